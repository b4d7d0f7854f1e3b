"""The matching page: a vacancy's ranked candidates with their explained scores, and invitations to apply.

The regional talent team sees and acts on its region's vacancies; national administrators read every region's.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from carelead.accounts.permissions import Scope, assignment_has, permission_required
from carelead.talent.models import Readiness
from carelead.talent.permissions import VIEW_POOLS
from carelead.vacancies import matching
from carelead.vacancies.models import ApplicationSource, ApplicationStatus, Vacancy, VacancyStatus
from carelead.vacancies.permissions import MATCH

PAGE_SIZE = 25
INVITABLE = (VacancyStatus.OPEN, VacancyStatus.SHORTLISTING)


def vacancy_for_matching(*, assignment, pk: int) -> Vacancy:
    """A vacancy in the assignment's scope, with its organisation; 404 for one anywhere else."""
    vacancy = Vacancy.objects.select_related("organisation").filter(pk=pk).first()
    if vacancy is None or not Scope.of(assignment).contains_path(vacancy.organisation.path):
        raise Http404("No such vacancy")
    return vacancy


def _breadcrumbs(vacancy: Vacancy) -> list[dict]:
    """Back to the vacancy as the people running it see it (everyone who may rank a pool may read that page)."""
    return [
        {"text": "Home", "href": reverse("core:home")},
        {"text": "Vacancies you run", "href": reverse("vacancies:manage")},
        {"text": vacancy.reference, "href": reverse("vacancies:manage_detail", kwargs={"pk": vacancy.pk})},
        {"text": "Candidates", "href": ""},
    ]


def _filtered(candidates: list, *, readiness: str, q: str, not_applied: bool) -> list:
    out = candidates
    if readiness:
        out = [c for c in out if c.facts.readiness == readiness]
    if not_applied:
        out = [c for c in out if not c.application_status]
    if q:
        term = q.strip().lower()
        out = [
            c
            for c in out
            if c.person.staff_id.lower() == term
            or c.person.last_name.lower().startswith(term)
            or c.person.first_name.lower().startswith(term)
            or c.person.full_name.lower().startswith(term)
        ]
    return out


@permission_required(VIEW_POOLS)
def match(request, pk: int):
    """The ranked, explained candidates for one vacancy, and how the shortlist compares with the pool."""
    vacancy = vacancy_for_matching(assignment=request.assignment, pk=pk)
    ranking = matching.ranking_for(vacancy=vacancy)
    readiness = request.GET.get("readiness", "")
    if readiness not in Readiness.values:
        readiness = ""
    q = request.GET.get("q", "")[:100]
    not_applied = request.GET.get("not_applied") == "1"
    shown = _filtered(ranking.candidates, readiness=readiness, q=q, not_applied=not_applied)
    page = Paginator(shown, PAGE_SIZE).get_page(request.GET.get("page"))
    composition, totals = matching.ranking_composition(ranking=ranking)
    can_invite = assignment_has(request.assignment, MATCH) and vacancy.status in INVITABLE
    return render(
        request,
        "vacancies/match.jinja",
        {
            "vacancy": vacancy,
            "ranking": ranking,
            "page": page,
            "weights": matching.weights_table(),
            "composition": composition,
            "composition_totals": totals,
            "top": matching.TOP_OF_RANKING,
            "can_invite": can_invite,
            "readiness": readiness,
            "readiness_choices": Readiness.choices,
            "q": q,
            "not_applied": not_applied,
            "filtered": bool(readiness or q or not_applied),
            "statuses": dict(ApplicationStatus.choices),
            "breadcrumbs": _breadcrumbs(vacancy),
        },
    )


@require_POST
@permission_required(MATCH)
def invite(request, pk: int):
    """Invite one ranked candidate to apply; the application is recorded as invited and audited."""
    from carelead.vacancies.services import application_create

    vacancy = vacancy_for_matching(assignment=request.assignment, pk=pk)
    staff_id = request.POST.get("staff_id", "")
    ranking = matching.ranking_for(vacancy=vacancy)
    candidate = next((c for c in ranking.candidates if c.person.staff_id == staff_id), None)
    if candidate is None:
        raise Http404("That person is not among the ranked candidates for this vacancy")
    try:
        application_create(vacancy=vacancy, person=candidate.person, by=request.user, source=ApplicationSource.INVITED)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"{candidate.person.full_name} is invited to apply for {vacancy.reference}.")
    back = request.POST.get("back", "")
    target = reverse("vacancies:match", kwargs={"pk": vacancy.pk})
    if back.startswith("?"):
        target += back
    return redirect(target)
