"""Development views for line managers (their team) and HR (their organisation's compliance)."""

from django.core.paginator import Paginator
from django.shortcuts import render

from carelead.accounts.permissions import Scope, permission_required
from carelead.core.choices import LEVEL_ORDER, Level
from carelead.people.models import Person
from carelead.people.permissions import VIEW_TEAM
from carelead.people.selectors import person_team
from carelead.standards.gate import eligibility_for_people, next_level
from carelead.standards.permissions import VIEW_COMPLIANCE


def _rows(people):
    results = eligibility_for_people(people=people, levels_of=lambda p: [p.level, *filter(None, [next_level(p.level)])])
    rows = []
    for p in people:
        upcoming = next_level(p.level)
        rows.append(
            {
                "person": p,
                "own": results[(p.pk, p.level)],
                "next": results.get((p.pk, upcoming)) if upcoming else None,
                "next_label": Level(upcoming).label if upcoming else None,
            }
        )
    return rows


@permission_required(VIEW_TEAM)
def team_development(request):
    """For each person I manage: do they meet their level, and how close are they to the next."""
    from django.core.exceptions import PermissionDenied

    if request.user.person is None:
        raise PermissionDenied
    page = Paginator(person_team(manager=request.user.person), 25).get_page(request.GET.get("page"))
    return render(request, "standards/team.jinja", {"page": page, "rows": _rows(list(page.object_list))})


@permission_required(VIEW_COMPLIANCE)
def compliance(request):
    """Managers in the organisation who do not meet the gating requirements of the level they hold."""
    from django.db.models import Q
    from django.utils import timezone

    scope = Scope.of(request.assignment)
    managers = list(
        Person.objects.filter(scope.organisations_q("organisation__"), level__in=LEVEL_ORDER[1:])
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=timezone.localdate()))
        .select_related("organisation")
        .order_by("last_name", "first_name", "staff_id")
    )
    results = {
        pk: e for (pk, _level), e in eligibility_for_people(people=managers, levels_of=lambda p: [p.level]).items()
    }
    summary = []
    for level in LEVEL_ORDER[1:]:
        at_level = [p for p in managers if p.level == level]
        meeting = sum(1 for p in at_level if results[p.pk].eligible)
        covered = sum(1 for p in at_level if not results[p.pk].eligible and results[p.pk].exception)
        summary.append(
            {
                "level": Level(level).label,
                "people": len(at_level),
                "meeting": meeting,
                "exception": covered,
                "short": len(at_level) - meeting - covered,
            }
        )
    short = [{"person": p, "result": results[p.pk]} for p in managers if not results[p.pk].eligible]
    page = Paginator(short, 25).get_page(request.GET.get("page"))
    return render(request, "standards/compliance.jinja", {"summary": summary, "page": page})
