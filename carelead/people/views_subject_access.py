"""Subject access: everything CareLead holds about one person, as a page and as a JSON download."""

import re
from datetime import date, datetime

from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.utils import timezone

from carelead.accounts.permissions import assignment_has
from carelead.people.models import Person
from carelead.people.permissions import VIEW_SPECIAL_CATEGORY
from carelead.people.subject_access import (
    SUBJECT,
    subject_access,
    subject_access_audience,
    subject_access_exported,
)
from config.jinja2 import format_date


def _subject(request, staff_id: str) -> tuple[Person, str]:
    """The person and how the user stands to them: 403 for a role that answers no requests (whether the record
    exists or not, so nothing is learned by trying numbers), 404 for a record out of the role's reach."""
    person = Person.objects.select_related("organisation", "line_manager").filter(staff_id=staff_id).first()
    own = person is not None and request.user.person_id == person.pk
    if not own and not assignment_has(getattr(request, "assignment", None), VIEW_SPECIAL_CATEGORY):
        raise PermissionDenied
    if person is None:
        raise Http404("No such staff record")
    audience = subject_access_audience(assignment=request.assignment, user=request.user, person=person)
    if audience is None:
        raise Http404("No such staff record")
    return person, audience


def _shown(value):
    """A stored value as the page shows it: dates in words, yes or no, lists as lists."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime | date):
        return format_date(value)
    if isinstance(value, list):
        return [str(_shown(v)) for v in value if v not in (None, "")]
    if isinstance(value, dict):
        return [f"{k}: {_shown(v)}" for k, v in value.items()]
    return str(value)


def _page_parts(export: dict) -> list[dict]:
    return [
        {
            **p,
            "sections": [
                {
                    **s,
                    "rows": [{c["key"]: _shown(row.get(c["key"])) for c in s["columns"]} for row in s["rows"]],
                }
                for s in p["sections"]
            ],
        }
        for p in export["parts"]
    ]


def subject_access_page(request, staff_id: str):
    """Everything CareLead holds about one person, part by part; every look is audited."""
    person, audience = _subject(request, staff_id)
    subject_access_exported(user=request.user, person=person, audience=audience, fmt="page")
    export = subject_access(person, audience=audience)
    return render(
        request,
        "people/subject_access.jinja",
        {
            "person": person,
            "own": audience == SUBJECT,
            "export": export,
            "parts": _page_parts(export),
        },
    )


def subject_access_download(request, staff_id: str):
    """The same as a JSON file; every download is audited."""
    person, audience = _subject(request, staff_id)
    subject_access_exported(user=request.user, person=person, audience=audience, fmt="json")
    response = JsonResponse(
        subject_access(person, audience=audience),
        encoder=DjangoJSONEncoder,
        json_dumps_params={"indent": 2, "ensure_ascii": False},
    )
    safe_id = re.sub(r"[^A-Za-z0-9_-]", "_", person.staff_id)
    name = f"carelead-subject-access-{safe_id}-{timezone.localdate().isoformat()}.json"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
