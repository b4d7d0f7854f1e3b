"""Pages about people: my record, my team, staff search and a staff record."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render

from carelead.accounts.permissions import assignment_has, permission_required
from carelead.core.choices import ethnic_category_label
from carelead.people.forms import MonitoringForm, StaffSearchForm
from carelead.people.models import EqualityMonitoring
from carelead.people.permissions import VIEW_OWN_RECORD, VIEW_SPECIAL_CATEGORY, VIEW_STAFF, VIEW_TEAM
from carelead.people.selectors import (
    monitoring_visible,
    person_get,
    person_history,
    person_monitoring_read,
    person_monitoring_viewers,
    person_search,
    person_team,
)
from carelead.people.services import MONITORING_FIELDS, monitoring_update_own
from config.jinja2 import format_date


def _own_person(request):
    person = request.user.person
    if person is None:
        raise PermissionDenied
    return person


@permission_required(VIEW_OWN_RECORD)
def me(request):
    """What CareLead holds about the signed-in person."""
    person = _own_person(request)
    monitoring = person_monitoring_read(
        assignment=request.assignment, user=request.user, person=person, purpose="own record"
    )
    return render(
        request,
        "people/me.jinja",
        {
            "person": person,
            "history": person_history(person=person),
            "monitoring": monitoring,
            "monitoring_labels": _monitoring_labels(monitoring),
            "viewers": person_monitoring_viewers(person=person),
        },
    )


@permission_required(VIEW_OWN_RECORD)
def me_monitoring(request):
    """Change one's own equality monitoring answers."""
    person = _own_person(request)
    current = EqualityMonitoring.objects.filter(person=person).first()
    initial = {f: getattr(current, f) for f in MONITORING_FIELDS} if current else {}
    if initial.get("ethnic_category") in ("Z", "99"):
        initial["ethnic_category"] = ""
    elif initial.get("ethnic_category"):
        initial["ethnic_category"] = initial["ethnic_category"][0]
    form = MonitoringForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        monitoring_update_own(person=person, user=request.user, values=form.cleaned_data)
        messages.success(request, "Your equality monitoring answers have been saved.")
        return redirect("people:me")
    return render(request, "people/me_monitoring.jinja", {"form": form, "page_has_errors": bool(form.errors)})


@permission_required(VIEW_TEAM)
def team(request):
    """The people the signed-in manager manages, directly and down the tree."""
    manager = _own_person(request)
    page = Paginator(person_team(manager=manager), 25).get_page(request.GET.get("page"))
    return render(request, "people/team.jinja", {"page": page, "manager": manager})


@permission_required(VIEW_STAFF)
def search(request):
    """Staff search for HR, organisation admins, regional talent teams and national admins."""
    form = StaffSearchForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    people = person_search(assignment=request.assignment, user=request.user, **{k: v for k, v in filters.items() if v})
    page = Paginator(people, 25).get_page(request.GET.get("page"))
    return render(request, "people/search.jinja", {"form": form, "page": page})


def detail(request, staff_id: str):
    """One staff record, within the reader's reach (404 otherwise); special-category data only where allowed."""
    person = person_get(assignment=request.assignment, user=request.user, staff_id=staff_id)
    show_monitoring = monitoring_visible(assignment=request.assignment, user=request.user, person=person)
    monitoring = None
    if show_monitoring and request.GET.get("show") == "monitoring":
        monitoring = person_monitoring_read(
            assignment=request.assignment, user=request.user, person=person, purpose="staff record page"
        )
    return render(
        request,
        "people/detail.jinja",
        {
            "person": person,
            "history": person_history(person=person),
            "direct_reports": person.direct_reports.count(),
            "can_see_monitoring": show_monitoring,
            # Roles that answer subject access requests (the export holds special-category data).
            "can_export_subject_access": assignment_has(request.assignment, VIEW_SPECIAL_CATEGORY),
            "can_change_level": assignment_has(request.assignment, "people.change_level"),
            "monitoring": monitoring,
            "monitoring_labels": _monitoring_labels(monitoring),
        },
    )


def _monitoring_labels(monitoring) -> list[tuple[str, str]]:
    if monitoring is None:
        return []
    return [
        ("Sex", monitoring.get_sex_display()),
        ("Ethnic group", ethnic_category_label(monitoring.ethnic_category)),
        ("Disability", monitoring.get_disability_display()),
        ("Sexual orientation", monitoring.sexual_orientation or "Not known"),
        ("Religion or belief", monitoring.religion or "Not known"),
        ("Date of birth", format_date(monitoring.date_of_birth) if monitoring.date_of_birth else "Not known"),
    ]
