"""Pages of the NED candidate pool: the public registration of interest, and the NED appointments team's pool,
candidate pages, assessment, and the two development routes (NExT Director placements and the aspiring chair
programme)."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.crypto import salted_hmac
from django.views.decorators.cache import never_cache

from carelead.accounts.permissions import assignment_has, permission_required
from carelead.core.choices import OrganisationType
from carelead.core.forms import add_service_errors
from carelead.nedpool import selectors
from carelead.nedpool.forms import (
    AssessmentForm,
    CandidateFilterForm,
    EnrolmentForm,
    EraseForm,
    PlacementForm,
    RegistrationForm,
    StatusFilterForm,
)
from carelead.nedpool.models import Enrolment, Placement
from carelead.nedpool.permissions import MANAGE_CANDIDATES, VIEW_CANDIDATES
from carelead.nedpool.services import (
    candidate_assess,
    candidate_erase,
    candidate_register,
    enrolment_save,
    placement_save,
)
from carelead.organisations.models import Organisation

PAGE_SIZE = 25


def _page(request, items):
    return Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))


# The public registration ----------------------------------------------------------------------------------------

# How many registrations one client address may send in an hour, and how many attempts (including ones with
# errors). Only a salted hash of the address is kept, in the cache, for the hour; never in the database.
REGISTRATION_LIMIT = 5
ATTEMPT_LIMIT = 20
WINDOW_SECONDS = 3600


def _limits() -> tuple[int, int]:
    configured = getattr(settings, "CARELEAD_NED_REGISTRATION_LIMITS", {})
    return int(configured.get("REGISTRATIONS", REGISTRATION_LIMIT)), int(configured.get("ATTEMPTS", ATTEMPT_LIMIT))


def _counter_key(request, kind: str) -> str:
    address = request.META.get("REMOTE_ADDR", "")
    digest = salted_hmac("carelead.nedpool.registration", address).hexdigest()
    return f"nedpool:{kind}:{digest}:{int(time.time() // WINDOW_SECONDS)}"


def _count(request, kind: str) -> int:
    return cache.get(_counter_key(request, kind), 0)


def _bump(request, kind: str) -> None:
    key = _counter_key(request, kind)
    cache.set(key, cache.get(key, 0) + 1, timeout=WINDOW_SECONDS)


@login_not_required
@never_cache
def register_view(request):
    """Register interest in a board role: no account needed."""
    form = RegistrationForm(request.POST or None, regions=selectors.region_choices())
    if request.method == "POST":
        registrations, attempts = _limits()
        if _count(request, "registrations") >= registrations or _count(request, "attempts") >= attempts:
            return render(request, "nedpool/register_limited.jinja", status=429)
        _bump(request, "attempts")
        if form.is_valid():
            _bump(request, "registrations")
            if form.is_bot:
                # Treated as a registration so the sender learns nothing; nothing is kept.
                return redirect("nedpool:registered")
            data = form.cleaned_data
            chosen = list(Organisation.objects.filter(code__in=data["regions"], type=OrganisationType.REGION))
            try:
                candidate_register(
                    name=data["name"],
                    email=data["email"],
                    phone=data["phone"],
                    regions=chosen,
                    sectors=data["sectors"],
                    skills=data["skills"],
                    statement=data["statement"],
                    board_experience=data["board_experience"],
                    roles=data["roles"],
                    monitoring=form.monitoring(),
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                # The same page whether the address was new or already registered.
                return redirect("nedpool:registered")
    from django.conf import settings

    kept_for = settings.CARELEAD_NED_CANDIDATE_RETENTION_DAYS
    kept = f"{kept_for // 365} years" if kept_for % 365 == 0 and kept_for >= 730 else f"{kept_for} days"
    return render(request, "nedpool/register.jinja", {"form": form, "page_has_errors": bool(form.errors), "kept": kept})


@login_not_required
def registered_view(request):
    """What happens next, after registering."""
    return render(request, "nedpool/registered.jinja")


# The team's pool --------------------------------------------------------------------------------------------------


@permission_required(VIEW_CANDIDATES)
def candidates_view(request):
    """The pool: search and filter candidates, and the pool's composition as published figures."""
    regions = selectors.region_choices()
    filters = CandidateFilterForm(request.GET, regions=regions)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    page = _page(request, selectors.candidate_search(assignment=request.assignment, filters=chosen))
    return render(
        request,
        "nedpool/candidates.jinja",
        {
            "filters": filters,
            "page": page,
            "composition": selectors.pool_composition(assignment=request.assignment),
            "national": request.assignment.organisation_id is None,
            "scope_name": getattr(request.assignment.organisation, "name", "England"),
            "can_manage": assignment_has(request.assignment, MANAGE_CANDIDATES),
            "filtered": any(chosen.values()) if chosen else False,
        },
    )


@permission_required(VIEW_CANDIDATES)
def candidate_view(request, pk: int):
    """One candidate: what they told us, the team's assessment, and their development routes."""
    candidate = selectors.candidate_get(assignment=request.assignment, pk=pk)
    skills = list(candidate.skills.all())
    return render(
        request,
        "nedpool/candidate.jinja",
        {
            "candidate": candidate,
            "declared": [s.label for s in skills if not s.validated],
            "validated": [s.label for s in skills if s.validated],
            "can_manage": assignment_has(request.assignment, MANAGE_CANDIDATES),
        },
    )


@permission_required(MANAGE_CANDIDATES)
def candidate_assess_view(request, pk: int):
    """The team's assessment of a candidate: status, readiness, validated skills and notes."""
    candidate = selectors.candidate_get(assignment=request.assignment, pk=pk)
    skills = list(candidate.skills.all())
    held = [s.skill for s in skills if s.validated]
    initial = {
        "status": candidate.status,
        "readiness": candidate.readiness,
        "validated_skills": held,
        "notes": candidate.notes,
    }
    form = AssessmentForm(request.POST or None, initial=initial, extra_skills=held)
    if request.method == "POST" and form.is_valid():
        try:
            candidate_assess(assignment=request.assignment, by=request.user, candidate=candidate, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Assessment of {candidate.name} saved.")
            return redirect("nedpool:candidate", pk=candidate.pk)
    return render(
        request,
        "nedpool/assess.jinja",
        {
            "candidate": candidate,
            "form": form,
            "declared": [s.label for s in skills if not s.validated],
            "page_has_errors": bool(form.errors),
        },
    )


@permission_required(MANAGE_CANDIDATES)
def candidate_erase_view(request, pk: int):
    """Erase a candidate's details at their request, after a reason and a confirmation."""
    candidate = selectors.candidate_get(assignment=request.assignment, pk=pk)
    if candidate.erased_at is not None:
        messages.info(request, "This candidate's details have already been erased.")
        return redirect("nedpool:candidate", pk=candidate.pk)
    form = EraseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            candidate_erase(
                assignment=request.assignment, by=request.user, candidate=candidate, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "The candidate's details have been erased.")
            return redirect("nedpool:candidate", pk=candidate.pk)
    return render(
        request,
        "nedpool/erase.jinja",
        {"candidate": candidate, "form": form, "page_has_errors": bool(form.errors)},
    )


# Development routes ----------------------------------------------------------------------------------------------


def _route_page(request, *, candidate, form_class, initial, save, saved: str, template: str, context: dict):
    """The form page of a development route (a placement or a programme place): bind, save through the service,
    show its refusal on the form, or go back to the candidate."""
    form = form_class(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            save(assignment=request.assignment, by=request.user, candidate=candidate, **context, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, saved)
            return redirect("nedpool:candidate", pk=candidate.pk)
    return render(
        request, template, {"candidate": candidate, "form": form, "page_has_errors": bool(form.errors), **context}
    )


def _placement_page(request, *, candidate, placement=None):
    initial = {"status": Placement.Status.PLANNED}
    if placement is not None:
        initial = {
            "host_code": placement.host.code,
            "starts_on": placement.starts_on,
            "ends_on": placement.ends_on,
            "mentor_name": placement.mentor_name,
            "status": placement.status,
        }
    return _route_page(
        request,
        candidate=candidate,
        form_class=PlacementForm,
        initial=initial,
        save=placement_save,
        saved="NExT Director placement saved.",
        template="nedpool/placement_form.jinja",
        context={"placement": placement},
    )


@permission_required(MANAGE_CANDIDATES)
def placement_new_view(request, pk: int):
    """Record a NExT Director placement for a candidate."""
    return _placement_page(request, candidate=selectors.candidate_get(assignment=request.assignment, pk=pk))


@permission_required(MANAGE_CANDIDATES)
def placement_edit_view(request, pk: int):
    """Change a NExT Director placement: its dates, host, mentor or status."""
    placement = selectors.placement_get(assignment=request.assignment, pk=pk)
    return _placement_page(request, candidate=placement.candidate, placement=placement)


@permission_required(VIEW_CANDIDATES)
def placements_view(request):
    """Every NExT Director placement of the candidates in reach."""
    filters = StatusFilterForm(request.GET, statuses=Placement.Status.choices)
    status = filters.cleaned_data.get("status", "") if filters.is_valid() else ""
    page = _page(request, selectors.placement_list(assignment=request.assignment, status=status))
    return render(
        request,
        "nedpool/placements.jinja",
        {"filters": filters, "page": page, "can_manage": assignment_has(request.assignment, MANAGE_CANDIDATES)},
    )


def _enrolment_page(request, *, candidate, enrolment=None):
    initial = {"status": Enrolment.Status.ENROLLED}
    if enrolment is not None:
        initial = {"cohort_name": enrolment.cohort_name, "starts_on": enrolment.starts_on, "status": enrolment.status}
    return _route_page(
        request,
        candidate=candidate,
        form_class=EnrolmentForm,
        initial=initial,
        save=enrolment_save,
        saved="Aspiring chair programme place saved.",
        template="nedpool/enrolment_form.jinja",
        context={"enrolment": enrolment},
    )


@permission_required(MANAGE_CANDIDATES)
def enrolment_new_view(request, pk: int):
    """Give a candidate a place on an aspiring chair programme cohort."""
    return _enrolment_page(request, candidate=selectors.candidate_get(assignment=request.assignment, pk=pk))


@permission_required(MANAGE_CANDIDATES)
def enrolment_edit_view(request, pk: int):
    """Change a candidate's aspiring chair programme place."""
    enrolment = selectors.enrolment_get(assignment=request.assignment, pk=pk)
    return _enrolment_page(request, candidate=enrolment.candidate, enrolment=enrolment)


@permission_required(VIEW_CANDIDATES)
def enrolments_view(request):
    """Every aspiring chair programme place of the candidates in reach, by cohort."""
    filters = StatusFilterForm(request.GET, statuses=Enrolment.Status.choices)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    page = _page(
        request,
        selectors.enrolment_list(
            assignment=request.assignment, status=chosen.get("status", ""), cohort=chosen.get("cohort", "")
        ),
    )
    return render(
        request,
        "nedpool/enrolments.jinja",
        {"filters": filters, "page": page, "can_manage": assignment_has(request.assignment, MANAGE_CANDIDATES)},
    )
