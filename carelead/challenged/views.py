"""Challenged organisations: the list in scope, an organisation's status history with its leadership vacancies
and packages, recording a status, proposing and deciding packages, and the regional dashboard of suggestions
and outcomes."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse

from carelead.accounts.permissions import assignment_has, permission_required
from carelead.accounts.roles import Role
from carelead.challenged import selectors, services
from carelead.challenged.forms import DecisionForm, PackageForm, SearchForm, StatusForm
from carelead.challenged.models import IncentivePackage, PackageStatus
from carelead.challenged.permissions import APPROVE_PACKAGE, PROPOSE_PACKAGE, RECORD_STATUS, VIEW_CHALLENGED
from carelead.core.forms import add_service_errors
from carelead.talent.permissions import VIEW_POOLS

PAGE_SIZE = 20


def _named(request) -> bool:
    """Whether the acting role sees people's names (the regulator sees organisation-level figures only)."""
    return request.assignment.role != Role.REGULATOR


def _crumbs(*items) -> list[dict]:
    return [
        {"text": "Home", "href": reverse("core:home")},
        {"text": "Challenged organisations", "href": reverse("challenged:list")},
        *({"text": t, "href": h} for t, h in items),
    ]


@permission_required(VIEW_CHALLENGED)
def organisation_list(request):
    """Challenged organisations in the scope, searchable, a page at a time."""
    form = SearchForm(request.GET or None)
    q = form.cleaned_data["q"] if form.is_valid() else ""
    page = Paginator(selectors.challenged_organisations(assignment=request.assignment, q=q), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "challenged/list.jinja",
        {
            "form": form,
            "q": q,
            "page": page,
            "can_suggest": assignment_has(request.assignment, VIEW_POOLS),
            "breadcrumbs": [
                {"text": "Home", "href": reverse("core:home")},
                {"text": "Challenged organisations", "href": ""},
            ],
        },
    )


@permission_required(VIEW_CHALLENGED)
def organisation_detail(request, code: str):
    """One organisation's status history, leadership vacancies and incentive packages."""
    organisation = selectors.organisation_in_scope(assignment=request.assignment, code=code)
    history = selectors.status_history(organisation=organisation)
    page = Paginator(selectors.leadership_vacancies(organisation=organisation), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    assignment = request.assignment
    return render(
        request,
        "challenged/organisation.jinja",
        {
            "organisation": organisation,
            "history": history,
            "history_limit": selectors.HISTORY_SHOWN,
            "page": page,
            "named": _named(request),
            "can_record": assignment_has(assignment, RECORD_STATUS),
            "can_propose": assignment_has(assignment, PROPOSE_PACKAGE) and organisation.is_challenged,
            "can_decide": assignment_has(assignment, APPROVE_PACKAGE),
            "can_match": assignment_has(assignment, VIEW_POOLS),
            "closed": services.CLOSED_VACANCY,
            "breadcrumbs": _crumbs((organisation.name, "")),
        },
    )


@permission_required(RECORD_STATUS)
def status_new(request, code: str):
    """Record an organisation's oversight segment and CQC rating from a date."""
    organisation = selectors.organisation_in_scope(assignment=request.assignment, code=code)
    initial = {
        "effective_on": services.today(),
        "oversight_segment": organisation.oversight_segment,
        "cqc_rating": organisation.cqc_rating,
    }
    form = StatusForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.status_change_record(
                organisation=organisation,
                effective_on=form.cleaned_data["effective_on"],
                oversight_segment=form.cleaned_data["oversight_segment"],
                cqc_rating=form.cleaned_data["cqc_rating"],
                note=form.cleaned_data["note"],
                by=request.user,
                assignment=request.assignment,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Status of {organisation.name} recorded.")
            return redirect("challenged:organisation", code=organisation.code)
    return render(
        request,
        "challenged/status_form.jinja",
        {
            "organisation": organisation,
            "form": form,
            "page_has_errors": bool(form.errors),
            "breadcrumbs": _crumbs(
                (organisation.name, reverse("challenged:organisation", kwargs={"code": organisation.code})),
                ("Record status", ""),
            ),
        },
    )


@permission_required(PROPOSE_PACKAGE)
def package_propose(request, pk: int):
    """Propose an incentive package on a leadership vacancy, or revise one that was declined."""
    vacancy = selectors.vacancy_in_scope(assignment=request.assignment, pk=pk)
    existing = IncentivePackage.objects.filter(vacancy=vacancy).first()
    limits = services.incentive_limits()
    initial = {f: getattr(existing, f) for f in services.PACKAGE_FIELDS} if existing else None
    form = PackageForm(request.POST or None, initial=initial, limits=limits)
    if request.method == "POST" and form.is_valid():
        try:
            services.package_propose(
                vacancy=vacancy, values=form.cleaned_data, by=request.user, assignment=request.assignment
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Incentive package for {vacancy.reference} proposed for approval.")
            return redirect("challenged:organisation", code=vacancy.organisation.code)
    return render(
        request,
        "challenged/package_form.jinja",
        {
            "vacancy": vacancy,
            "existing": existing,
            "form": form,
            "limits": limits,
            "approved": existing is not None and existing.status == PackageStatus.APPROVED,
            "page_has_errors": bool(form.errors),
            "breadcrumbs": _crumbs(
                (
                    vacancy.organisation.name,
                    reverse("challenged:organisation", kwargs={"code": vacancy.organisation.code}),
                ),
                ("Incentive package", ""),
            ),
        },
    )


@permission_required(APPROVE_PACKAGE)
def package_decide(request, pk: int):
    """Approve or decline a proposed package, with a reason."""
    package = selectors.package_in_scope(assignment=request.assignment, pk=pk)
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.package_decide(
                package=package,
                approve=form.cleaned_data["decision"] == "approve",
                reason=form.cleaned_data["reason"],
                by=request.user,
                assignment=request.assignment,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Decision on the package for {package.vacancy.reference} recorded.")
            return redirect("challenged:organisation", code=package.vacancy.organisation.code)
    organisation = package.vacancy.organisation
    return render(
        request,
        "challenged/package_decide.jinja",
        {
            "package": package,
            "vacancy": package.vacancy,
            "form": form,
            "own": package.proposed_by_id == request.user.pk,
            "page_has_errors": bool(form.errors),
            "breadcrumbs": _crumbs(
                (organisation.name, reverse("challenged:organisation", kwargs={"code": organisation.code})),
                ("Decide a package", ""),
            ),
        },
    )


@permission_required(VIEW_CHALLENGED)
def dashboard(request):
    """Proactive suggestions of ready leaders, and the outcomes of appointments to challenged organisations."""
    named = _named(request)
    result = selectors.outcomes(assignment=request.assignment)
    suggested, suggested_total = [], 0
    if assignment_has(request.assignment, VIEW_POOLS):
        suggested, suggested_total = selectors.suggestions(assignment=request.assignment)
    rows = result.rows if named else result.organisations
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "challenged/dashboard.jinja",
        {
            "result": result,
            "page": page,
            "named": named,
            "suggested": suggested,
            "suggested_total": suggested_total,
            "show_suggestions": assignment_has(request.assignment, VIEW_POOLS),
            "can_match": assignment_has(request.assignment, VIEW_POOLS),
            "breadcrumbs": _crumbs(("Outcomes and suggestions", "")),
        },
    )
