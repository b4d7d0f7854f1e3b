"""Board diversity pages: one board's composition beside its workforce and the population it serves, every board
in the scope compared, and the form for an organisation's population figures."""

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from carelead.accounts.permissions import Scope, assignment_has, permission_required
from carelead.boarddiversity.forms import OverviewFilterForm, PopulationReferenceForm
from carelead.boarddiversity.models import GROUPS, Dimension
from carelead.boarddiversity.permissions import (
    MANAGE_POPULATION_REFERENCES,
    VIEW_BOARD_DIVERSITY,
    VIEW_BOARD_DIVERSITY_OVERVIEW,
)
from carelead.boarddiversity.selectors import (
    BROAD_GROUPS,
    DISABILITY_GROUPS,
    GROUP_LABELS,
    PARTS,
    SEX_GROUPS,
    SORTS,
    WRES_GROUPS,
    Column,
    area_rows,
    board_composition,
    board_diversity_overview,
    column,
    exact_figures_allowed,
    overview_summary,
    population_of,
    population_references,
    reference_may_manage,
    standard_rows,
)
from carelead.boarddiversity.services import population_references_save
from carelead.boards.permissions import VIEW_BOARDS
from carelead.boards.selectors import board_organisation_get, regions_in_scope
from carelead.core.disclosure import policy
from carelead.core.forms import add_service_errors
from carelead.equality.engine import Period
from carelead.equality.permissions import VIEW_EQUALITY
from carelead.equality.selectors import latest_period

OVERVIEW_PAGE_SIZE = 25


def _period(text: str | None) -> Period:
    """The financial year asked for, or the last complete one."""
    try:
        return Period.parse(text) if text else latest_period()
    except ValueError:
        return latest_period()


@dataclass
class Line:
    """One group's line in a composition table: the board's parts, the workforce and the population."""

    group: str
    label: str
    voting: object
    board: object
    workforce: dict | None = None
    population: object = None
    has_workforce: bool = False


def _lines(
    counts: dict[str, dict[str, int]],
    order: list[str],
    *,
    exact: bool,
    workforce: dict | None = None,
    population=None,
    dimension: str = "",
) -> tuple[list[Line], dict[str, Column]]:
    columns = {part: column(counts[part], order, exact=exact) for part in PARTS}
    lines = []
    for group in order:
        label = GROUP_LABELS["other_sex" if dimension == Dimension.SEX and group == "other" else group]
        pop = population.share(dimension, group) if population is not None and group != "unknown" else None
        lines.append(
            Line(
                group=group,
                label=label,
                voting=columns["voting"].cells[group],
                board=columns["all"].cells[group],
                workforce=(workforce or {}).get(group),
                population=pop,
                has_workforce=workforce is not None,
            )
        )
    return lines, columns


def _comparisons(standards: dict, population) -> list[dict]:
    """WRES 9 and WDES 10 for each part of the board, with the population share and the gap from it. The
    workforce share is the one the equality pages publish for the whole workforce (WRES 1 and WDES 1), so it
    shows even where the board's own count hides WRES 9."""
    out = []
    for code, group, dimension in (("WRES9", "bme", Dimension.ETHNICITY), ("WDES10", "disabled", Dimension.DISABILITY)):
        pop = population.share(dimension, group)
        workforce = standards["workforce"].get(group)
        for part in ("voting", "executive", "all"):
            row = standards["board"].get((code, part))
            board_share = None
            if row and not row["suppressed"] and row["board_total"]:
                board_share = 100 * row["board_count"] / row["board_total"]
            out.append(
                {
                    "code": code,
                    "group": group,
                    "label": GROUP_LABELS[group].split(" (")[0],
                    "part": part,
                    "row": row,
                    "board_share": board_share,
                    "workforce": workforce,
                    "workforce_share": workforce["value"] if workforce else None,
                    "population_share": pop,
                    "population_gap": board_share - float(pop) if board_share is not None and pop is not None else None,
                }
            )
    return out


@permission_required(VIEW_BOARD_DIVERSITY)
@require_http_methods(["GET", "HEAD"])
def board_diversity_view(request, code: str):
    """A board's composition by ethnicity, disability and sex on the last day of a financial year, beside its
    workforce (WRES 9 and WDES 10 from the equality engine) and the population it serves."""
    organisation = board_organisation_get(assignment=request.assignment, code=code)
    period = _period(request.GET.get("period"))
    exact = exact_figures_allowed(assignment=request.assignment, organisation=organisation)
    composition = board_composition(organisation=organisation, day=period.end)
    standards = standard_rows(organisation=organisation, period=period, published=not exact)
    area_name, area = area_rows(organisation=organisation, period=period, assignment=request.assignment)
    population = population_of(organisation=organisation)
    ethnicity, ethnicity_columns = _lines(
        composition.ethnicity,
        WRES_GROUPS,
        exact=exact,
        workforce=standards["workforce"],
        population=population,
        dimension=Dimension.ETHNICITY,
    )
    broad, broad_columns = _lines(
        composition.broad, BROAD_GROUPS, exact=exact, population=population, dimension=Dimension.ETHNICITY
    )
    sex, sex_columns = _lines(composition.sex, SEX_GROUPS, exact=exact, population=population, dimension=Dimension.SEX)
    disability, disability_columns = _lines(
        composition.disability,
        DISABILITY_GROUPS,
        exact=exact,
        workforce=standards["workforce"],
        population=population,
        dimension=Dimension.DISABILITY,
    )
    every_column = [*ethnicity_columns.values(), *broad_columns.values(), *sex_columns.values()]
    every_column += list(disability_columns.values())
    return render(
        request,
        "boarddiversity/board.jinja",
        {
            "organisation": organisation,
            "period": period,
            "exact": exact,
            "size": composition.size("all"),
            "voting_size": composition.size("voting"),
            "totals": {"voting": ethnicity_columns["voting"].total, "all": ethnicity_columns["all"].total},
            "tables": [
                ("ethnicity", "Ethnicity", ethnicity),
                ("ethnic-groups", "Ethnic groups", broad),
                ("disability", "Disability", disability),
                ("sex", "Sex", sex),
            ],
            "hidden": sum(c.hidden for c in every_column),
            "suppress_max": policy().suppress_max,
            "comparisons": _comparisons(standards, population),
            "area_name": area_name,
            "area": area,
            "population": population,
            "dimensions": [(d, d.label) for d in Dimension],
            "can_manage": reference_may_manage(assignment=request.assignment, organisation=organisation),
            "can_see_board": assignment_has(request.assignment, VIEW_BOARDS),
            "can_see_equality": assignment_has(request.assignment, VIEW_EQUALITY),
            "can_see_overview": assignment_has(request.assignment, VIEW_BOARD_DIVERSITY_OVERVIEW),
        },
    )


def _summary_scope(request, region) -> tuple[str, str]:
    """The scope whose boards the overview's summary pools: the region chosen, or the role's own scope."""
    if region is not None:
        return f"region:{region.code}", region.name
    scope = Scope.of(request.assignment)
    if scope.national:
        return "national", "England"
    org = request.assignment.organisation
    return f"region:{org.code}" if org.type == "region" else f"org:{org.code}", org.name


@permission_required(VIEW_BOARD_DIVERSITY_OVERVIEW)
@require_http_methods(["GET", "HEAD"])
def board_diversity_overview_view(request):
    """Every board in the scope: the BME and Disabled shares of its voting members beside its workforce and the
    population it serves, as published figures, sorted by the gap."""
    regions = list(regions_in_scope(assignment=request.assignment))
    form = OverviewFilterForm(request.GET or None, regions=regions, initial={"period": latest_period().label})
    chosen = form.cleaned_data if form.is_valid() else {}
    period = _period(chosen.get("period"))
    region = form.regions.get(chosen.get("region") or "")
    sort = chosen.get("sort") or "bme_gap"
    rows = board_diversity_overview(
        assignment=request.assignment,
        period=period,
        region=region,
        organisation_type=chosen.get("organisation_type") or "",
        sort=sort,
    )
    page = Paginator(rows, OVERVIEW_PAGE_SIZE).get_page(request.GET.get("page"))
    summary_scope, summary_name = _summary_scope(request, region)
    return render(
        request,
        "boarddiversity/overview.jinja",
        {
            "form": form,
            "period": period,
            "page": page,
            "sort_label": SORTS[sort],
            "show_regions": len(regions) > 1,
            "summary": overview_summary(scope=summary_scope, period=period),
            "summary_name": summary_name,
            "filtered_by_type": bool(chosen.get("organisation_type")),
            "suppress_max": policy().suppress_max,
        },
    )


@permission_required(MANAGE_POPULATION_REFERENCES)
def population_reference_view(request, code: str):
    """Record the population figures an organisation's board is compared with."""
    organisation = board_organisation_get(assignment=request.assignment, code=code)
    if not reference_may_manage(assignment=request.assignment, organisation=organisation):
        raise Http404("No such organisation")
    references = list(population_references(organisation=organisation))
    form = PopulationReferenceForm(request.POST or None, initial=PopulationReferenceForm.initial_from(references))
    if request.method == "POST" and form.is_valid():
        try:
            counts = population_references_save(
                organisation=organisation, figures=form.figures(), by=request.user, assignment=request.assignment
            )
        except ValidationError as exc:
            add_service_errors(form, exc, rename={key: form.service_field(key) for key in exc.message_dict})
        else:
            changed = counts.created + counts.updated + counts.deleted
            messages.success(
                request,
                f"Population figures for {organisation.name} saved: {changed} changed."
                if changed
                else f"The population figures for {organisation.name} were already as entered: nothing changed.",
            )
            return redirect("boarddiversity:board", code=organisation.code)
    return render(
        request,
        "boarddiversity/reference.jinja",
        {
            "organisation": organisation,
            "form": form,
            "groups": GROUPS,
            "page_has_errors": bool(form.errors),
            "board_url": reverse("boarddiversity:board", kwargs={"code": organisation.code}),
        },
    )
