"""Vacancy pages: open vacancies and applying for them, one's own applications, the managers' vacancies and
decisions, and progression routes."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from carelead.accounts.permissions import Scope, assignment_has, permission_required
from carelead.core.choices import LEVEL_ORDER, Level, OrganisationType
from carelead.core.forms import add_service_errors
from carelead.organisations.models import Organisation
from carelead.people.models import Person
from carelead.people.selectors import person_visible_q
from carelead.standards.permissions import REQUEST_EXCEPTION
from carelead.standards.selectors import management_standards
from carelead.talent.permissions import VIEW_POOLS
from carelead.vacancies import services
from carelead.vacancies.forms import (
    ApplyForm,
    DecisionForm,
    InviteForm,
    ManageFilterForm,
    OpenFilterForm,
    RouteForm,
    VacancyForm,
    VacancyStatusForm,
    WithdrawForm,
)
from carelead.vacancies.models import ApplicationSource, ApplicationStatus, VacancyStatus
from carelead.vacancies.permissions import APPLY, INVITE, MANAGE_VACANCIES, VIEW_RECRUITMENT
from carelead.vacancies.selectors import (
    LEVEL_ROLES,
    application_counts,
    application_for_applicant,
    application_get,
    application_of,
    applications_for,
    applications_of,
    decisions_of,
    decisions_with_deciders,
    employing_organisations_q,
    open_vacancies,
    route_for,
    succession_plans_for,
    vacancies_in_scope,
    vacancy_for_applicant,
    vacancy_get,
    vacancy_search,
    withdrawal_reason,
)

PAGE_SIZE = 25


def _standards(vacancy) -> list[tuple[str, str]]:
    """The vacancy's required standards with their titles (codes no longer in the framework keep only the code)."""
    if not vacancy.required_standards:
        return []
    titles = management_standards()
    return [(code, titles.get(code, "")) for code in vacancy.required_standards]


# Everyone with APPLY: open vacancies, applying, one's own applications, progression routes ------------------


@permission_required(APPLY)
def vacancy_list(request):
    """Open leadership vacancies across England, closing soonest first."""
    regions = list(
        Organisation.objects.filter(type=OrganisationType.REGION).order_by("name").values_list("code", "name")
    )
    form = OpenFilterForm(request.GET or None, regions=regions)
    chosen = form.cleaned_data if form.is_valid() else {}
    filters = {k: chosen.get(k, "") for k in ("q", "level", "region", "sector")}
    page = Paginator(open_vacancies(**filters), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "vacancies/list.jinja",
        {
            "form": form,
            "page": page,
            "filtered": any(filters.values()),
            "can_manage": assignment_has(request.assignment, VIEW_RECRUITMENT),
            "has_record": request.user.person_id is not None,
        },
    )


@permission_required(APPLY)
def vacancy_detail(request, pk: int):
    """A vacancy as people looking for a role see it, with how to apply."""
    vacancy = vacancy_for_applicant(user=request.user, pk=pk)
    mine = application_of(person_id=request.user.person_id, vacancy=vacancy)
    person = request.user.person
    can_apply = (
        person is not None
        and person.in_post
        and mine is None
        and vacancy.status == VacancyStatus.OPEN
        and vacancy.closes_on >= timezone.localdate()
    )
    manageable = (
        assignment_has(request.assignment, VIEW_RECRUITMENT)
        and vacancies_in_scope(assignment=request.assignment).filter(pk=vacancy.pk).exists()
    )
    return render(
        request,
        "vacancies/detail.jinja",
        {
            "vacancy": vacancy,
            "standards": _standards(vacancy),
            "mine": mine,
            "can_apply": can_apply,
            "has_record": person is not None,
            "manageable": manageable,
        },
    )


@permission_required(APPLY)
def vacancy_apply(request, pk: int):
    """Apply for an open vacancy with a supporting statement."""
    person = request.user.person
    if person is None:
        raise Http404("Applying needs a staff record")
    vacancy = vacancy_for_applicant(user=request.user, pk=pk)
    existing = application_of(person_id=person.pk, vacancy=vacancy)
    if existing is not None:
        messages.info(request, "You have already applied for this vacancy.")
        return redirect("vacancies:my_application", pk=existing.pk)
    form = ApplyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            application = services.application_create(
                vacancy=vacancy, person=person, by=request.user, statement=form.cleaned_data["statement"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Your application for {vacancy.title} has been sent.")
            return redirect("vacancies:my_application", pk=application.pk)
    from carelead.standards.gate import eligibility_for_level

    gate = eligibility_for_level(person=person, level=vacancy.level)
    return render(
        request,
        "vacancies/apply.jinja",
        {"vacancy": vacancy, "form": form, "gate": gate, "page_has_errors": bool(form.errors)},
    )


@permission_required(APPLY)
def my_applications(request):
    """The signed-in person's applications and where each stands."""
    page = Paginator(applications_of(person_id=request.user.person_id), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "vacancies/mine.jinja", {"page": page, "has_record": request.user.person_id is not None})


@permission_required(APPLY)
def my_application(request, pk: int):
    """One of my applications: the decisions made on it and their reasons; withdraw it while it is in play."""
    application = application_for_applicant(user=request.user, pk=pk)
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.application_withdraw(application=application, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, "Your application has been withdrawn.")
        return redirect("vacancies:my_application", pk=pk)
    return render(
        request,
        "vacancies/my_application.jinja",
        {
            "application": application,
            "vacancy": application.vacancy,
            "decisions": decisions_of(application),
            "withdrawal": withdrawal_reason(application.vacancy),
            "form": form,
            "can_withdraw": application.status in services.IN_PLAY,
        },
    )


@permission_required(APPLY)
def routes(request):
    """Progression routes: what the next level's roles look like, its gate and how to meet it, and vacancies."""
    person = request.user.person
    own = person.level if person is not None else Level.STAFF
    form = RouteForm(request.GET or None, initial={"level": own})
    chosen = form.cleaned_data.get("level", "") if form.is_valid() else ""
    start = chosen or own
    route = route_for(person=person, start=start)
    return render(
        request,
        "vacancies/routes.jinja",
        {"form": form, "route": route, "person": person, "roles": LEVEL_ROLES, "levels": LEVEL_ORDER},
    )


# Managers: vacancies in the scope, applications and decisions --------------------------------------------


@permission_required(VIEW_RECRUITMENT)
def manage_list(request):
    """Vacancies of the organisations in the scope, newest first, with search and filters."""
    form = ManageFilterForm(request.GET or None)
    chosen = form.cleaned_data if form.is_valid() else {}
    filters = {k: (chosen.get(k) or "").strip() for k in ("q", "status", "level", "organisation")}
    page = Paginator(vacancy_search(assignment=request.assignment, **filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "vacancies/manage.jinja",
        {
            "form": form,
            "page": page,
            "filtered": any(filters.values()),
            "can_create": assignment_has(request.assignment, MANAGE_VACANCIES),
            "today": timezone.localdate(),
        },
    )


def _organisation_in_scope(request, code: str) -> Organisation | None:
    return (
        Organisation.objects.filter(Scope.of(request.assignment).organisations_q(), employing_organisations_q())
        .filter(code__iexact=code)
        .first()
    )


@permission_required(MANAGE_VACANCIES)
def vacancy_create_view(request):
    """Create a draft vacancy at an organisation in the scope."""
    assignment = request.assignment
    default_code = (
        assignment.organisation.code
        if assignment.organisation_id and assignment.organisation.type not in services.NOT_EMPLOYERS
        else ""
    )
    form = VacancyForm(
        request.POST or None,
        standards=management_standards(),
        plans=succession_plans_for(assignment=assignment),
        initial={"organisation": request.GET.get("org", default_code)},
    )
    if request.method == "POST" and form.is_valid():
        organisation = _organisation_in_scope(request, form.cleaned_data["organisation"])
        if organisation is None:
            form.add_error("organisation", "No organisation in your area has that code")
        else:
            try:
                vacancy = services.vacancy_create(organisation=organisation, by=request.user, values=form.values())
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, f"Vacancy {vacancy.reference} created as a draft. Open it when it is ready.")
                return redirect("vacancies:manage_detail", pk=vacancy.pk)
    return render(
        request, "vacancies/form.jinja", {"form": form, "vacancy": None, "page_has_errors": bool(form.errors)}
    )


@permission_required(MANAGE_VACANCIES)
def vacancy_edit(request, pk: int):
    """Change a draft or open vacancy."""
    vacancy = vacancy_get(assignment=request.assignment, pk=pk)
    if vacancy.status not in (VacancyStatus.DRAFT, VacancyStatus.OPEN):
        messages.error(request, f"{vacancy.reference} is {vacancy.get_status_display().lower()}, so it cannot change.")
        return redirect("vacancies:manage_detail", pk=pk)
    form = VacancyForm(
        request.POST or None,
        standards=management_standards(),
        plans=succession_plans_for(assignment=request.assignment, organisation=vacancy.organisation),
        editing=True,
        initial={
            **{name: getattr(vacancy, name) for name in services.EDITABLE_FIELDS},
            "succession_plan": vacancy.succession_plan_id,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.vacancy_change(vacancy=vacancy, by=request.user, values=form.values())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "The vacancy has been changed.")
            return redirect("vacancies:manage_detail", pk=pk)
    return render(
        request, "vacancies/form.jinja", {"form": form, "vacancy": vacancy, "page_has_errors": bool(form.errors)}
    )


@permission_required(VIEW_RECRUITMENT)
def vacancy_manage(request, pk: int):
    """One vacancy for the people running it: its details, status and applications."""
    vacancy = vacancy_get(assignment=request.assignment, pk=pk)
    status = request.GET.get("status", "")
    if status not in ApplicationStatus.values:
        status = ""
    page = Paginator(applications_for(vacancy=vacancy, status=status), PAGE_SIZE).get_page(request.GET.get("page"))
    can_manage = assignment_has(request.assignment, MANAGE_VACANCIES)
    return render(
        request,
        "vacancies/manage_detail.jinja",
        {
            "vacancy": vacancy,
            "standards": _standards(vacancy),
            "counts": application_counts(vacancy=vacancy),
            "statuses": ApplicationStatus.choices,
            "status": status,
            "page": page,
            "withdrawal": withdrawal_reason(vacancy),
            "can_manage": can_manage,
            "can_edit": can_manage and vacancy.status in (VacancyStatus.DRAFT, VacancyStatus.OPEN),
            "can_move": can_manage and bool(services.vacancy_moves(vacancy)),
            "can_rank": assignment_has(request.assignment, VIEW_POOLS),
            "can_invite": assignment_has(request.assignment, INVITE)
            and vacancy.status in (VacancyStatus.OPEN, VacancyStatus.SHORTLISTING),
        },
    )


@permission_required(MANAGE_VACANCIES)
def vacancy_status(request, pk: int):
    """Move a vacancy on: open it, close it for shortlisting, start interviews, or withdraw it."""
    vacancy = vacancy_get(assignment=request.assignment, pk=pk)
    moves = services.vacancy_moves(vacancy)
    form = VacancyStatusForm(request.POST or None, moves=moves)
    if request.method == "POST" and form.is_valid():
        try:
            services.vacancy_status_change(
                vacancy=vacancy, to=form.cleaned_data["to"], by=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            now = VacancyStatus(form.cleaned_data["to"]).label.lower()
            messages.success(request, f"{vacancy.reference} is now {now}.")
            return redirect("vacancies:manage_detail", pk=pk)
    return render(
        request,
        "vacancies/status.jinja",
        {"vacancy": vacancy, "form": form, "moves": moves, "page_has_errors": bool(form.errors)},
    )


@permission_required(INVITE)
def vacancy_invite(request, pk: int):
    """The regional talent team invites someone in the region to apply."""
    vacancy = vacancy_get(assignment=request.assignment, pk=pk)
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        person = (
            Person.objects.filter(person_visible_q(assignment=request.assignment, user=request.user))
            .filter(staff_id=form.cleaned_data["staff_id"].strip())
            .first()
        )
        if person is None:
            form.add_error("staff_id", "No one in your area has that staff ID")
        else:
            try:
                services.application_create(
                    vacancy=vacancy,
                    person=person,
                    by=request.user,
                    source=ApplicationSource.INVITED,
                    statement=form.cleaned_data["statement"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, f"{person.full_name} has been invited and added to the applications.")
                return redirect("vacancies:manage_detail", pk=pk)
    return render(
        request,
        "vacancies/invite.jinja",
        {
            "vacancy": vacancy,
            "form": form,
            "open": vacancy.status in (VacancyStatus.OPEN, VacancyStatus.SHORTLISTING),
            "page_has_errors": bool(form.errors),
        },
    )


@permission_required(VIEW_RECRUITMENT)
def application_manage(request, pk: int):
    """One application for the people running the vacancy: the statement, the decisions, and the next one."""
    application = application_get(assignment=request.assignment, pk=pk)
    vacancy = application.vacancy
    can_manage = assignment_has(request.assignment, MANAGE_VACANCIES)
    moves = services.application_moves(application) if can_manage else ()
    form = DecisionForm(request.POST or None, moves=moves)
    refusal = ""
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        if form.is_valid():
            to = form.cleaned_data["to"]
            try:
                services.application_decide(
                    application=application,
                    to=to,
                    reason=form.cleaned_data["reason"],
                    by=request.user,
                    barring_cleared=form.cleaned_data["barring_cleared"],
                )
            except ValidationError as exc:
                if getattr(exc, "code", None) == "gate":
                    refusal = " ".join(exc.messages)
                elif getattr(exc, "code", None) == "barring":
                    form.add_error("barring_cleared", " ".join(exc.messages))
                else:
                    add_service_errors(form, exc)
            except PermissionDenied as exc:
                form.add_error(None, str(exc) or "You cannot decide on this application.")
            else:
                messages.success(request, f"Decision recorded: {ApplicationStatus(to).label.lower()}.")
                return redirect("vacancies:application", pk=pk)
    gate = None
    if application.status in (ApplicationStatus.SHORTLISTED, ApplicationStatus.INTERVIEWED):
        from carelead.standards.gate import eligibility_for_level

        gate = eligibility_for_level(person=application.person, level=vacancy.level)
    can_request_exception = (
        gate is not None
        and not gate.appointable
        and assignment_has(request.assignment, REQUEST_EXCEPTION)
        and Scope.of(request.assignment).contains_path(application.person.organisation.path)
    )
    return render(
        request,
        "vacancies/application.jinja",
        {
            "application": application,
            "vacancy": vacancy,
            "decisions": decisions_with_deciders(application),
            "form": form,
            "moves": moves,
            "gate": gate,
            "refusal": refusal,
            "can_request_exception": can_request_exception,
            "exception_url": reverse("standards:exception_new", kwargs={"staff_id": application.person.staff_id})
            + "?"
            + urlencode({"level": vacancy.level}),
            "page_has_errors": bool(form.errors or refusal),
        },
    )
