"""Pages of the quarterly speak-up return: the return for a scope and quarter, its CSV download and its trends.

These pages show counts only and link to no case. Which scopes a role reaches, and whether exactly, is decided by
``carelead.speakup.returns.return_scope_get``; a scope the role may not see is a 404, the same as one that does not
exist.
"""

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache

from carelead.accounts.permissions import assignment_has, permission_required
from carelead.audit.models import AuditLog
from carelead.audit.services import Actor, audit_record
from carelead.core import spreadsheet
from carelead.core.disclosure import policy
from carelead.equality.permissions import VIEW_EQUALITY
from carelead.speakup.forms_returns import OrganisationFindForm, QuarterForm
from carelead.speakup.permissions import HANDLE
from carelead.speakup.permissions_returns import VIEW_RETURN
from carelead.speakup.returns import (
    DEFINITIONS,
    TOTAL,
    TREND_QUARTERS,
    Quarter,
    csv_definition,
    latest_survey_year,
    quarterly_return,
    quarters_ending,
    return_access,
    return_scope_get,
    scope_inside,
    scopes_above,
    survey_theme,
    survey_years,
    trend_charts,
)

CSV_COLUMNS = [
    "scope",
    "scope_name",
    "quarter",
    "quarter_start",
    "quarter_end",
    "figures",
    "table",
    "item",
    "count",
    "definition",
]


def _url(name: str, scope, quarter: Quarter | None = None) -> str:
    params = {"scope": scope.code}
    if quarter is not None:
        params["quarter"] = quarter.code
    return reverse(f"speakup_returns:{name}") + "?" + urlencode(params)


def _quarter(request, *, label: str = "Quarter") -> tuple[QuarterForm, Quarter]:
    """The quarter asked for, or the last complete one (with the form's error when the one asked for is wrong)."""
    default = Quarter.last_complete(timezone.localdate())
    if "quarter" not in request.GET:
        return QuarterForm(initial={"quarter": default.code}, label=label), default
    form = QuarterForm(request.GET, label=label)
    return form, form.cleaned_data["quarter"] if form.is_valid() else default


def _reachable_above(request, scope) -> list:
    return [s for s in scopes_above(scope) if return_access(assignment=request.assignment, scope=s)]


def _page_context(request, scope, exact: bool, quarter_form: QuarterForm, quarter: Quarter) -> dict:
    return {
        "scope": scope,
        "exact": exact,
        "quarter": quarter,
        "quarter_form": quarter_form,
        "above": _reachable_above(request, scope),
        "suppress_max": policy().suppress_max,
        "round_to": policy().round_to,
        "is_guardian": assignment_has(request.assignment, HANDLE),
        "equality_links": assignment_has(request.assignment, VIEW_EQUALITY),
        "page_has_errors": bool(quarter_form.errors),
    }


@permission_required(VIEW_RETURN)
@never_cache
def return_view(request):
    """The return for a scope and quarter, with each count's definition."""
    scope, exact = return_scope_get(assignment=request.assignment, code=request.GET.get("scope"))
    quarter_form, quarter = _quarter(request)
    find_form = OrganisationFindForm(assignment=request.assignment)
    if "code" in request.GET:
        find_form = OrganisationFindForm(request.GET, assignment=request.assignment)
        if find_form.is_valid():
            return redirect(_url("return", find_form.cleaned_data["code"], quarter))
    inside = scope_inside(assignment=request.assignment, scope=scope)
    result = quarterly_return(scope=scope, quarter=quarter, exact=exact, with_children=inside)
    year = latest_survey_year(up_to=quarter.financial_year)
    survey = survey_theme(scope=scope, years=[year], assignment=request.assignment) if year else None
    context = _page_context(request, scope, exact, quarter_form, quarter)
    return render(
        request,
        "speakup/returns/return.jinja",
        {
            **context,
            "result": result,
            "bullying": next(r for t in result.tables for r in t.rows if r.measure.key == "category_bullying"),
            "survey": survey,
            "find_form": find_form,
            "measures": DEFINITIONS,
            "can_find": scope_inside(assignment=request.assignment, scope=scope) and scope.is_area,
            "download_url": _url("download", scope, quarter),
            "trends_url": _url("trends", scope, quarter),
            "page_has_errors": bool(quarter_form.errors or find_form.errors),
        },
    )


@permission_required(VIEW_RETURN)
@never_cache
def download_view(request):
    """The return as CSV, one line per figure with its definition; recorded in the audit log as an export."""
    scope, exact = return_scope_get(assignment=request.assignment, code=request.GET.get("scope"))
    _form, quarter = _quarter(request)
    result = quarterly_return(scope=scope, quarter=quarter, exact=exact)
    figures = "exact" if exact else "published"
    audit_record(
        actor=Actor.of(request.user),
        action=AuditLog.Action.EXPORT,
        object_type="speakup.QuarterlyReturn",
        object_id=f"{scope.code}:{quarter.code}",
        object_repr=f"Speak-up return, {scope.name}, {quarter.label}",
        changes={"figures": figures},
        organisation_id=scope.organisation.pk if scope.organisation else None,
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = f"speak-up-return-{scope.code.replace(':', '-')}-{quarter.code}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    writer = spreadsheet.csv_writer(response, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    common = [scope.code, scope.name, quarter.label, quarter.start.isoformat(), quarter.end.isoformat(), figures]
    writer.writerow([*common, TOTAL.label, TOTAL.label, result.total.text, TOTAL.definition])
    for table in result.tables:
        for row in table.rows:
            writer.writerow([*common, table.caption, row.measure.label, row.figure.text, csv_definition(row.measure)])
    return response


@permission_required(VIEW_RETURN)
@never_cache
def trends_view(request):
    """Quarterly Making Data Count charts for a scope, with the staff survey's bullying measures beside them."""
    scope, exact = return_scope_get(assignment=request.assignment, code=request.GET.get("scope"))
    quarter_form, last = _quarter(request, label="Last quarter shown")
    charts = trend_charts(scope=scope, last=last, exact=exact)
    first = quarters_ending(last, TREND_QUARTERS)[0]
    years = survey_years(first=first.financial_year, last=last.financial_year)
    survey = survey_theme(scope=scope, years=years, assignment=request.assignment) if years else None
    return render(
        request,
        "speakup/returns/trends.jinja",
        {
            **_page_context(request, scope, exact, quarter_form, last),
            "charts": charts,
            "first": first,
            "survey": survey,
            "return_url": _url("return", scope, last),
        },
    )
