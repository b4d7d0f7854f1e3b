"""No speak-up content reaches anyone but the organisation's guardians: not through any page, not through the API,
not through the exports, not through the audit log, and there is no admin site. A case full of marked text (in the
concern, the conversation, notes, escalations, the outcome, the reporter's name and a file's name and content) is
looked for everywhere each other persona can go."""

import io
import re

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from carelead.audit.models import AuditLog
from carelead.imports.registry import KINDS
from carelead.speakup import services
from carelead.speakup.tests.factories import raised

MARK = "QUOKKA7"
OTHERS = ["staff", "line_manager", "org_hr", "org_admin", "regional_talent", "ned_team", "provider", "regulator",
          "national_admin"]  # fmt: skip


@pytest.fixture
def marked(world, storage, files):
    """A named concern and an anonymous one, handled by the guardian, every piece of text carrying the mark."""
    guardian = world.users["guardian"]
    assignment = guardian.assignments.get()
    named = raised(
        organisation=world.orgs["RAA"],
        mode="named",
        name=f"Reporter {MARK}",
        email=f"{MARK.lower()}@example.org",
        description=f"Concern {MARK}: falls are not reported.",
        files=[files(f"{MARK} statement.txt", f"Statement {MARK}".encode())],
    ).case
    anonymous = raised(organisation=world.orgs["RAA"], description=f"Anonymous {MARK} concern").case
    for case in (named, anonymous):
        services.case_reply(assignment=assignment, by=guardian, case=case, body=f"Reply {MARK}")
        services.case_reporter_reply(case=case, body=f"Answer {MARK}", files=[files("more.txt", MARK.encode())])
        services.case_note_add(assignment=assignment, by=guardian, case=case, body=f"Note {MARK}")
        services.case_escalate(
            assignment=assignment,
            by=guardian,
            case=case,
            escalated_to=f"Director {MARK}",
            escalated_on=case.received_on,
            details=f"Details {MARK}",
        )
        services.case_close(
            assignment=assignment, by=guardian, case=case, outcome=f"Outcome {MARK}", closed_on=case.received_on
        )
    return [named, anonymous]


def _plain_paths(resolver=None, prefix: str = ""):
    """Every URL of the project that takes no argument, as a path."""
    for pattern in (resolver or get_resolver()).url_patterns:
        text = str(pattern.pattern)
        if "<" in text or "(?P" in text:
            continue
        text = text.lstrip("^").rstrip("$")
        if isinstance(pattern, URLResolver):
            yield from _plain_paths(pattern, prefix + text)
        elif isinstance(pattern, URLPattern):
            yield "/" + prefix + text


def _client(world, persona: str) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(world.users[persona])
    return client


def _body(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode(errors="replace")
    return response.content.decode(errors="replace")


def test_the_guardian_sees_the_marked_case(client_for, marked):
    text = client_for("guardian").get(f"/speak-up/cases/{marked[0].pk}/").content.decode()
    assert text.count(MARK) >= 6


@pytest.mark.parametrize("persona", OTHERS)
def test_no_page_shows_case_content_to_another_role(world, marked, persona):
    client = _client(world, persona)
    paths = sorted(set(_plain_paths()))
    assert "/speak-up/cases/" in paths and "/audit/" in paths
    shown = 0
    for path in paths:
        response = client.get(path)
        if response.status_code == 200:
            shown += 1
        assert MARK not in _body(response), (persona, path)
    assert shown > 5
    for case in marked:
        for path in (f"/speak-up/cases/{case.pk}/", f"/speak-up/cases/{case.pk}/files/{case.attachments.first().pk}/"):
            response = client.get(path)
            assert response.status_code == 403 and MARK not in _body(response), (persona, path)


def _api_paths() -> list[str]:
    return [p for p in _plain_paths() if p.startswith("/api/")]


def test_no_api_endpoint_is_about_speak_up(client_for, world):
    schema = client_for("national_admin").get("/api/schema/", HTTP_ACCEPT="application/json")
    assert schema.status_code == 200
    paths = re.findall(r"^  (/api/[^:]*):", schema.content.decode(), flags=re.MULTILINE) or list(
        schema.json().get("paths", {})
    )
    assert paths, "the schema lists the API's paths"
    assert not [p for p in paths if "speak" in p.lower() or "case" in p.lower() or "guardian" in p.lower()]
    from carelead.api import urls as api_urls

    for pattern in api_urls.router.registry:
        assert pattern[1].queryset is None or pattern[1].queryset.model._meta.app_label != "speakup"


@pytest.mark.parametrize("persona", OTHERS)
def test_no_api_list_shows_case_content(world, marked, persona):
    client = _client(world, persona)
    paths = [*_api_paths(), "/api/v1/equality/wres/", "/api/v1/equality/wdes/"]
    assert "/api/v1/organisations/" in paths and "/api/v1/people/" in paths
    for path in paths:
        response = client.get(path, HTTP_ACCEPT="application/json")
        assert MARK not in _body(response), (persona, path)


def test_no_export_kind_holds_case_content(world, marked, tmp_path):
    for kind in sorted(KINDS):
        out = io.StringIO()
        call_command("export", kind, stdout=out)
        assert MARK not in out.getvalue(), kind
        assert "speakup" not in KINDS[kind].__class__.__module__


def test_the_audit_log_names_cases_but_never_their_content(world, marked):
    entries = AuditLog.objects.filter(object_type__startswith="speakup")
    assert entries.count() >= 8
    for entry in entries:
        assert MARK not in f"{entry.object_repr} {entry.changes} {entry.object_id}"
