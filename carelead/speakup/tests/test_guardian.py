"""Guardians' case handling: scope, every action with its audit row, the confidential reporter's name shown only on
request and recorded, revealing an identity, query counts, and no other way in (the admin site)."""

import datetime

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from django.utils import timezone

from carelead.accounts.tests.factories import RoleAssignmentFactory, UserFactory
from carelead.audit.models import AuditLog
from carelead.speakup import selectors, services
from carelead.speakup.models import Case, Escalation, IdentityAccess, Message, Note
from carelead.speakup.tests.factories import case, history, raised

TODAY = timezone.localdate


def guardian_of(world, code: str, email: str | None = None):
    user = UserFactory(email=email or f"guardian-{code.lower()}@example.org", full_name=f"Guardian {code}")
    RoleAssignmentFactory(user=user, role="guardian", organisation=world.orgs[code])
    return user


@pytest.fixture
def guardian(client_for):
    return client_for("guardian")


def case_audits(c: Case):
    return AuditLog.objects.filter(object_type="speakup.Case", object_id=str(c.pk)).order_by("pk")


# Scope --------------------------------------------------------------------------------------------------------------


def test_guardians_see_only_their_organisations_cases(client, world):
    raa = case(organisation=world.orgs["RAA"], categories=("bullying",))
    rbb = case(organisation=world.orgs["RBB"], categories=("patient_safety",))
    client.force_login(guardian_of(world, "RBB"))
    listing = client.get("/speak-up/cases/").content.decode()
    assert rbb.reference in listing and raa.reference not in listing
    assert client.get(f"/speak-up/cases/{rbb.pk}/").status_code == 200
    for suffix in ("", "triage/", "notes/", "reply/", "escalate/", "feedback/", "close/"):
        assert client.get(f"/speak-up/cases/{raa.pk}/{suffix}").status_code == 404, suffix
        assert client.post(f"/speak-up/cases/{raa.pk}/{suffix}", {"body": "x"}).status_code == 404, suffix
    assert Note.objects.count() == 0 and Message.objects.count() == 0


def test_an_icb_guardian_reaches_the_organisations_beneath_it_and_no_further(world):
    raa = case(organisation=world.orgs["RAA"])
    rcc = case(organisation=world.orgs["RCC"])
    icb = guardian_of(world, "QZZ").assignments.get()
    assert list(selectors.cases_visible(assignment=icb)) == [raa]
    assert rcc not in selectors.cases_visible(assignment=icb)


@pytest.mark.parametrize("persona", ["org_hr", "org_admin", "national_admin", "regulator", "regional_talent", "staff"])
def test_no_other_role_reaches_case_content_through_the_selectors(world, persona):
    case(organisation=world.orgs["RAA"])
    assignment = world.users[persona].assignments.get()
    assert not selectors.cases_visible(assignment=assignment).exists()


def test_a_guardian_role_without_an_organisation_reaches_nothing(world):
    case(organisation=world.orgs["RAA"])
    national = UserFactory(email="national-guardian@example.org")
    assignment = RoleAssignmentFactory(user=national, role="guardian", organisation=None)
    assert not selectors.cases_visible(assignment=assignment).exists()


def test_the_admin_site_does_not_expose_speak_up(client, world):
    assert "django.contrib.admin" not in settings.INSTALLED_APPS
    with pytest.raises(NoReverseMatch):
        reverse("admin:index")
    for path in ("/admin/", "/admin/speakup/case/"):
        with pytest.raises(Resolver404):
            resolve(path)


# The list --------------------------------------------------------------------------------------------------------


def test_the_list_filters_by_status_category_and_anonymity(guardian, world):
    raa = world.orgs["RAA"]
    new_bullying = case(organisation=raa, categories=("bullying",))
    closed_safety = case(organisation=raa, status="closed", categories=("patient_safety",), mode="named")
    confidential = case(organisation=raa, categories=("discrimination",), mode="confidential")

    def listed(**query):
        text = guardian.get("/speak-up/cases/", query).content.decode()
        return {c.reference for c in (new_bullying, closed_safety, confidential) if c.reference in text}

    assert listed() == {new_bullying.reference, closed_safety.reference, confidential.reference}
    assert listed(status="closed") == {closed_safety.reference}
    assert listed(category="bullying") == {new_bullying.reference}
    assert listed(category="discrimination") == {confidential.reference}
    assert listed(anonymity="anonymous") == {new_bullying.reference}
    assert listed(anonymity="identified") == {closed_safety.reference, confidential.reference}
    # Names never show in the list, not even a named reporter's.
    assert closed_safety.reporter_name not in guardian.get("/speak-up/cases/").content.decode()


def test_the_list_is_paginated(guardian, world):
    for _ in range(30):
        case(organisation=world.orgs["RAA"])
    text = guardian.get("/speak-up/cases/").content.decode()
    assert " ".join(["Showing", "1", "to", "25", "of", "30", "cases"]) in " ".join(text.split())
    assert text.count('<tr class="nhsuk-table__row">') == 26
    second = guardian.get("/speak-up/cases/?page=2").content.decode()
    assert second.count('<tr class="nhsuk-table__row">') == 6


# Actions and their audit ------------------------------------------------------------------------------------------


def test_triage_sets_status_corrects_categories_and_is_audited(guardian, world):
    c = raised(organisation=world.orgs["RAA"], categories=("other",)).case
    response = guardian.post(
        f"/speak-up/cases/{c.pk}/triage/", {"status": "in_progress", "categories": ["bullying", "discrimination"]}
    )
    assert response.status_code == 302
    c.refresh_from_db()
    assert c.status == "in_progress" and c.triaged_on == TODAY()
    assert c.categories == ["bullying", "discrimination"] and c.reported_categories == ["other"]
    entry = case_audits(c).get()
    assert entry.actor == world.users["guardian"] and entry.action == "update"
    assert entry.organisation_id == world.orgs["RAA"].pk
    assert entry.changes == {"status": ["new", "in_progress"], "changed": ["categories"]}
    # The audit row names the case, never its content or its reporter.
    assert "bullying" not in str(entry.changes) and "nurse" not in entry.object_repr
    refused = guardian.post(f"/speak-up/cases/{c.pk}/triage/", {"status": "closed", "categories": ["bullying"]})
    assert "Select a status" in refused.content.decode()
    with pytest.raises(ValidationError, match="Close the case from its page"):
        services.case_triage(
            assignment=world.users["guardian"].assignments.get(),
            by=world.users["guardian"],
            case=c,
            status="closed",
            categories=["bullying"],
        )


def test_services_refuse_a_guardian_of_another_organisation(world):
    c = case(organisation=world.orgs["RAA"], mode="confidential")
    other = guardian_of(world, "RBB")
    assignment = other.assignments.get()
    calls = [
        lambda: services.case_note_add(assignment=assignment, by=other, case=c, body="x"),
        lambda: services.case_reply(assignment=assignment, by=other, case=c, body="x"),
        lambda: services.case_identity_show(assignment=assignment, by=other, case=c),
        lambda: services.case_identity_reveal(assignment=assignment, by=other, case=c, revealed_to="x", reason="y"),
        lambda: services.case_triage(assignment=assignment, by=other, case=c, status="triaged", categories=["other"]),
    ]
    for call in calls:
        with pytest.raises(PermissionDenied):
            call()
    assert not AuditLog.objects.filter(object_type="speakup.Case").exists()


def test_notes_and_replies(guardian, world):
    c = raised(organisation=world.orgs["RAA"]).case
    assert guardian.post(f"/speak-up/cases/{c.pk}/notes/", {"body": "Spoke to the matron."}).status_code == 302
    assert guardian.post(f"/speak-up/cases/{c.pk}/reply/", {"body": "We are looking into it."}).status_code == 302
    note = Note.objects.get()
    assert note.written_by == world.users["guardian"] and note.body == "Spoke to the matron."
    reply = Message.objects.get()
    assert reply.sender == "guardian" and reply.author == world.users["guardian"]
    c.refresh_from_db()
    assert not c.awaiting_reply
    assert [e.changes["added"][0] for e in case_audits(c)] == ["note", "reply"]
    page = guardian.get(f"/speak-up/cases/{c.pk}/").content.decode()
    assert "Spoke to the matron." in page and "We are looking into it." in page
    empty = guardian.post(f"/speak-up/cases/{c.pk}/reply/", {"body": " "}).content.decode()
    assert "Write your reply" in empty


def test_escalation_feedback_and_closure(guardian, world):
    c = raised(organisation=world.orgs["RAA"]).case
    future = (TODAY() + datetime.timedelta(days=3)).isoformat()
    bad = guardian.post(f"/speak-up/cases/{c.pk}/escalate/", {"escalated_to": "", "escalated_on": TODAY()})
    assert "Enter who the concern was escalated to" in bad.content.decode()
    bad = guardian.post(f"/speak-up/cases/{c.pk}/escalate/", {"escalated_to": "Director", "escalated_on": future})
    assert "cannot be in the future" in bad.content.decode()
    ok = guardian.post(
        f"/speak-up/cases/{c.pk}/escalate/",
        {"escalated_to": "Director of nursing", "escalated_on": TODAY().isoformat(), "details": "Staffing"},
    )
    assert ok.status_code == 302
    c.refresh_from_db()
    assert c.status == "escalated" and Escalation.objects.get().escalated_to == "Director of nursing"

    missing_date = guardian.post(
        f"/speak-up/cases/{c.pk}/feedback/", {"feedback_given": "yes", "feedback_given_on": "", "detriment": "no"}
    )
    assert "Enter the date feedback was given" in missing_date.content.decode()
    guardian.post(
        f"/speak-up/cases/{c.pk}/feedback/",
        {"feedback_given": "yes", "feedback_given_on": TODAY().isoformat(), "detriment": "yes"},
    )
    c.refresh_from_db()
    assert c.feedback_given and c.feedback_given_on == TODAY() and c.detriment

    assert "Summarise the outcome" in guardian.post(f"/speak-up/cases/{c.pk}/close/", {}).content.decode()
    guardian.post(
        f"/speak-up/cases/{c.pk}/close/", {"outcome": "Extra nurse rostered.", "closed_on": TODAY().isoformat()}
    )
    c.refresh_from_db()
    assert c.status == "closed" and c.closed_on == TODAY() and c.outcome == "Extra nurse rostered."
    again = guardian.post(
        f"/speak-up/cases/{c.pk}/escalate/", {"escalated_to": "CQC", "escalated_on": TODAY().isoformat()}
    )
    assert "This case is closed" in again.content.decode()
    actions = [(e.action, e.changes) for e in case_audits(c)]
    assert actions[0][1]["status"] == ["new", "escalated"]
    assert actions[1][1] == {"changed": ["feedback_given", "detriment"]}
    assert actions[2][1] == {"status": ["escalated", "closed"]}
    # Reopening through the status page clears the closing date and keeps the outcome.
    guardian.post(f"/speak-up/cases/{c.pk}/triage/", {"status": "in_progress", "categories": ["bullying"]})
    c.refresh_from_db()
    assert c.status == "in_progress" and c.closed_on is None and c.outcome == "Extra nurse rostered."


# The reporter's identity ------------------------------------------------------------------------------------------


def test_a_confidential_name_shows_only_on_request_and_each_look_is_recorded(guardian, world):
    c = raised(organisation=world.orgs["RAA"], mode="confidential").case
    page = guardian.get(f"/speak-up/cases/{c.pk}/").content.decode()
    assert "Alex Reporter" not in page and "alex@example.org" not in page
    assert "Show the reporter&#39;s name" in page or "Show the reporter's name" in page
    confirm = guardian.get(f"/speak-up/cases/{c.pk}/identity/").content.decode()
    assert "Alex Reporter" not in confirm
    assert not IdentityAccess.objects.exists() and not case_audits(c).exists()
    shown = guardian.post(f"/speak-up/cases/{c.pk}/identity/").content.decode()
    assert "Alex Reporter" in shown and "alex@example.org" in shown
    access = IdentityAccess.objects.get()
    assert access.kind == "shown" and access.by == world.users["guardian"]
    entry = case_audits(c).get()
    assert entry.action == "view_special" and entry.changes == {"identity": ["shown", access.pk]}
    assert "Alex" not in str(entry.changes) + entry.object_repr
    # Back on the case page the name is hidden again; the look is listed.
    page = guardian.get(f"/speak-up/cases/{c.pk}/").content.decode()
    assert "Alex Reporter" not in page and "saw the name" in page


def test_revealing_an_identity_needs_whom_why_and_confirmation_and_is_audited(guardian, world):
    c = raised(organisation=world.orgs["RAA"], mode="confidential").case
    refused = guardian.post(f"/speak-up/cases/{c.pk}/reveal/", {"revealed_to": "", "reason": ""}).content.decode()
    for message in (
        "Enter who the identity is revealed to",
        "Give the reason for revealing the identity",
        "Confirm that the reporter agreed",
    ):
        assert message in refused
    assert not IdentityAccess.objects.exists()
    done = guardian.post(
        f"/speak-up/cases/{c.pk}/reveal/",
        {"revealed_to": "Investigating officer", "reason": "The reporter agreed on the phone.", "confirm": "on"},
    )
    assert done.status_code == 302
    access = IdentityAccess.objects.get()
    assert (access.kind, access.revealed_to, access.reason) == (
        "revealed",
        "Investigating officer",
        "The reporter agreed on the phone.",
    )
    c.refresh_from_db()
    assert c.identity_revealed_on == TODAY()
    entry = case_audits(c).get()
    assert entry.action == "view_special" and entry.actor == world.users["guardian"]
    assert entry.changes == {"identity": ["revealed", access.pk]}
    page = guardian.get(f"/speak-up/cases/{c.pk}/").content.decode()
    assert "Alex Reporter" in page and "revealed to Investigating officer" in page


def test_identity_pages_are_only_for_confidential_cases(guardian, world):
    anonymous = raised(organisation=world.orgs["RAA"]).case
    named = raised(organisation=world.orgs["RAA"], mode="named").case
    for c in (anonymous, named):
        assert guardian.get(f"/speak-up/cases/{c.pk}/identity/").status_code == 404
        assert guardian.post(f"/speak-up/cases/{c.pk}/reveal/").status_code == 404
    assert "Alex Reporter" in guardian.get(f"/speak-up/cases/{named.pk}/").content.decode()
    assert (
        "CareLead holds nothing about who raised" in guardian.get(f"/speak-up/cases/{anonymous.pk}/").content.decode()
    )


# Query counts -----------------------------------------------------------------------------------------------------


def _queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(queries)


def test_list_queries_do_not_grow(guardian, world):
    for _ in range(3):
        case(organisation=world.orgs["RAA"])
    small = _queries(guardian, "/speak-up/cases/")
    for _ in range(40):
        case(organisation=world.orgs["RAA"], mode="named", categories=("bullying", "other"))
    assert _queries(guardian, "/speak-up/cases/") == small
    assert _queries(guardian, "/speak-up/cases/?category=bullying&anonymity=identified") == small


def test_detail_queries_do_not_grow(guardian, world):
    user = world.users["guardian"]
    small_case = case(organisation=world.orgs["RAA"], mode="confidential")
    history(case=small_case, guardian=user, size=1)
    large_case = case(organisation=world.orgs["RAA"], mode="confidential")
    history(case=large_case, guardian=user, size=25)
    assert _queries(guardian, f"/speak-up/cases/{small_case.pk}/") == _queries(
        guardian, f"/speak-up/cases/{large_case.pk}/"
    )
