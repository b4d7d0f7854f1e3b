"""Equality pages: the dashboard, each measure with its definition, counts and trend, the fairness monitors,
a comparison of organisations, and the regulator's evidence pack."""

from dataclasses import dataclass
from math import log

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render

from carelead.accounts.permissions import permission_required
from carelead.audit.models import AuditLog
from carelead.audit.services import Actor, audit_record
from carelead.equality.engine import Period
from carelead.equality.measures import MEASURES, all_measures, measure_get
from carelead.equality.monitors import CHARACTERISTICS, GROUP_LABELS, MONITORS, interpretation_band
from carelead.equality.permissions import VIEW_EQUALITY
from carelead.equality.selectors import (
    figures_state,
    full_figures_allowed,
    latest_period,
    metric_rows,
    monitor_rows,
    trend_charts,
)
from carelead.equality.trends import latest_run
from carelead.organisations.models import Organisation

HEADLINES = [
    ("WRES2", {}, "White applicants' likelihood of appointment from shortlisting relative to BME applicants"),
    ("WRES3", {}, "BME staff's likelihood of entering the formal disciplinary process relative to White staff"),
    ("WRES4", {}, "White staff's likelihood of accessing non-mandatory training relative to BME staff"),
    ("WRES9", {"board_part": "voting"}, "BME share of voting board members minus BME share of the workforce"),
    ("WDES2", {}, "Non-disabled applicants' likelihood of appointment relative to Disabled applicants"),
    ("WDES3", {}, "Disabled staff's likelihood of entering the capability process relative to non-disabled staff"),
    ("WDES10", {"board_part": "voting"}, "Disabled share of voting board members minus the workforce share"),
]
COMPARE_PAGE_SIZE = 50


@dataclass
class ScopeView:
    """Which scope and year a page shows, and whether this user sees exact figures for it."""

    scope: str
    org: Organisation | None
    period: Period
    full: bool

    @property
    def name(self) -> str:
        return self.org.name if self.org else "England"

    @property
    def published(self) -> bool:
        return not self.full


def _scope_org(scope: str) -> Organisation | None:
    if scope == "national":
        return None
    kind, _, code = scope.partition(":")
    org = Organisation.objects.filter(code=code).first() if kind in ("org", "icb", "region") else None
    expected = {"icb": {"icb"}, "region": {"region"}}.get(kind)
    if org is None or (expected and org.type not in expected) or (kind == "org" and org.type in ("region", "icb")):
        raise Http404("No such scope")
    return org


def scope_of(org: Organisation) -> str:
    return {"region": "region", "icb": "icb", "national": "national"}.get(org.type, "org") + (
        "" if org.type == "national" else f":{org.code}"
    )


def _scope_view(request, *, allow_full: bool = True) -> ScopeView:
    default_scope = "national"
    if request.assignment.organisation_id:
        default_scope = scope_of(request.assignment.organisation)
    scope = request.GET.get("scope", default_scope) or default_scope
    try:
        period = Period.parse(request.GET.get("period", latest_period().label))
    except ValueError:
        period = latest_period()
    org = _scope_org(scope)
    full = allow_full and full_figures_allowed(assignment=request.assignment, scope_path=org.path if org else None)
    return ScopeView(scope, org, period, full)


def _children(scope: str, org: Organisation | None) -> list[tuple[str, str]]:
    """The scopes one level down: regions of England, ICBs of a region, organisations of an ICB."""
    if org is None:
        orgs = Organisation.objects.filter(type="region")
        return [(f"region:{o.code}", o.name) for o in orgs.order_by("name")]
    if org.type == "region":
        return [(f"icb:{o.code}", o.name) for o in Organisation.objects.filter(type="icb", region=org).order_by("name")]
    if org.type == "icb":
        return [
            (f"org:{o.code}", o.name) for o in Organisation.objects.filter(icb=org).exclude(type="icb").order_by("name")
        ]
    return []


def _parent(org: Organisation | None) -> str | None:
    """The scope one level up, for the way back from a drill-down."""
    if org is None:
        return None
    if org.type == "region":
        return "national"
    if org.type != "icb" and org.icb_id:
        return f"icb:{org.icb.code}"
    return f"region:{org.region.code}" if org.region_id else "national"


def _value(rows, code, scope, keys):
    for row in rows:
        if row["code"] == code and row["scope"] == scope and all(row.get(k) == v for k, v in keys.items()):
            return row
    return None


def _standards_rows(view: ScopeView) -> list[dict]:
    return metric_rows(standard="wres", period=view.period, published=view.published) + metric_rows(
        standard="wdes", period=view.period, published=view.published
    )


def _base_context(view: ScopeView) -> dict:
    return {
        "scope": view.scope,
        "scope_name": view.name,
        "org": view.org,
        "period": view.period,
        "full": view.full,
        "band": interpretation_band(),
        "figures": figures_state(period=view.period, published=view.published),
    }


@permission_required(VIEW_EQUALITY)
def dashboard(request):
    """Headline figures for a scope (exact only where the role has record-level rights over it)."""
    view = _scope_view(request)
    below = _children(view.scope, view.org)
    # One pass keeps the rows of the scopes shown; the lookups below then search tens of rows, not all of England's.
    wanted = {view.scope, *(child for child, _ in below)}
    rows = [r for r in _standards_rows(view) if r["scope"] in wanted]
    headlines = [(code, label, _value(rows, code, view.scope, keys)) for code, keys, label in HEADLINES]
    children = [
        (child, name, [_value(rows, code, child, keys) for code, keys, _ in HEADLINES]) for child, name in below
    ]
    flagged = [
        r
        for r in monitor_rows(period=view.period, published=view.published)
        if r["scope"] == view.scope and r["outside_band"] and r["significant"]
    ]
    return render(
        request,
        "equality/dashboard.jinja",
        {
            **_base_context(view),
            "headlines": headlines,
            "children": children,
            "codes": [code for code, _, _ in HEADLINES],
            "parent": _parent(view.org),
            "flagged": flagged,
            "monitors": MONITORS,
            "group_labels": GROUP_LABELS,
        },
    )


@permission_required(VIEW_EQUALITY)
def measure_index(request):
    """Every measure with its definition."""
    view = _scope_view(request)
    groups = [
        ("Workforce Race Equality Standard", [m for m in all_measures() if m.standard == "wres"]),
        ("Workforce Disability Equality Standard", [m for m in all_measures() if m.standard == "wdes"]),
        ("Fairness monitors", [m for m in all_measures() if m.standard == "fairness"]),
    ]
    return render(request, "equality/measure_index.jinja", {**_base_context(view), "groups": groups})


def _pivot_shares(rows: list[dict], key: str) -> list[dict]:
    """WRES1/WDES1 rows as one line per band (or cluster) and staff type, a column per group."""
    lines: dict[tuple, dict] = {}
    for r in rows:
        line = lines.setdefault((r[key], r["staff_type"]), {"band": r[key], "staff_type": r["staff_type"], "cells": {}})
        line["cells"][r["group"]] = r
    return list(lines.values())


@permission_required(VIEW_EQUALITY)
def measure_detail(request, code: str):
    """One measure for a scope: its definition, the figures with their counts, its trend and the actions on it."""
    measure = measure_get(code)
    if measure is None:
        raise Http404("No such measure")
    view = _scope_view(request)
    if measure.standard == "fairness":
        rows = [
            r
            for r in monitor_rows(period=view.period, published=view.published)
            if r["code"] == code and r["scope"] == view.scope
        ]
    else:
        rows = [
            r
            for r in metric_rows(standard=measure.standard, period=view.period, published=view.published)
            if r["code"] == code and r["scope"] == view.scope
        ]
    run = latest_run()
    context = {
        **_base_context(view),
        "measure": measure,
        "rows": rows,
        "characteristics": CHARACTERISTICS,
        "group_labels": GROUP_LABELS,
        "charts": trend_charts(scope=view.scope, measure_code=code, published=view.published, run=run),
        "trend_run": run,
        "actions": _actions(view.org, [code]),
    }
    if measure.kind == "share":
        context["pivot"] = _pivot_shares(rows, "band" if code == "WRES1" else "cluster")
        context["groups"] = ["white", "bme", "unknown"] if code == "WRES1" else ["disabled", "non_disabled", "unknown"]
    return render(request, "equality/measure_detail.jinja", context)


def _actions(org: Organisation | None, codes: list[str] | None = None):
    """An organisation's EDI actions on these measures (none for areas)."""
    if org is None or org.type in ("region", "icb", "national"):
        return None
    from carelead.actionplans.selectors import actions_for

    return actions_for(org, measure_codes=codes)


@permission_required(VIEW_EQUALITY)
def fairness(request):
    """Every fairness monitor for a scope: relative likelihoods by ethnicity, disability, sex and age band."""
    view = _scope_view(request)
    rows = [r for r in monitor_rows(period=view.period, published=view.published) if r["scope"] == view.scope]
    monitors = []
    for code, decision in MONITORS.items():
        by_characteristic = [
            (c, [r for r in rows if r["code"] == code and r["characteristic"] == c.code]) for c in CHARACTERISTICS
        ]
        monitors.append((decision, by_characteristic))
    return render(
        request,
        "equality/fairness.jinja",
        {**_base_context(view), "monitors": monitors, "group_labels": GROUP_LABELS},
    )


def _compare_options() -> list[tuple[str, str]]:
    options = [
        (code + (f":{keys['board_part']}" if keys else ""), f"{code}: {label}") for code, keys, label in HEADLINES
    ]
    for code, decision in MONITORS.items():
        for characteristic, group in (("ethnicity", "bme"), ("disability", "disabled")):
            options.append((f"{code}:{characteristic}", f"{decision.title}, {GROUP_LABELS[group]} ({code})"))
    return options


def _distance(row: dict, kind: str) -> float:
    """How far from parity a figure lies in the direction that means unfairness (for ranking, worst first)."""
    value = row["value"]
    if kind == "gap":
        return -value
    return log(value) if value > 0 else float("-inf")


@permission_required(VIEW_EQUALITY)
def compare(request):
    """Organisations inside a scope ranked by a chosen measure, the furthest from parity first."""
    view = _scope_view(request)
    options = _compare_options()
    choice = request.GET.get("measure") or options[0][0]
    if choice not in dict(options):
        raise Http404("No such measure")
    code, _, qualifier = choice.partition(":")
    measure = measure_get(code)
    inside = _organisations_inside(view)
    # Exact figures only where every organisation compared is within the user's record-level rights.
    if measure.standard == "fairness":
        rows = [
            r
            for r in monitor_rows(period=view.period, published=view.published)
            if r["code"] == code and r["characteristic"] == qualifier and r["group"] in ("bme", "disabled")
        ]
    else:
        keys = {"board_part": qualifier} if qualifier else {}
        rows = [
            r
            for r in metric_rows(standard=measure.standard, period=view.period, published=view.published)
            if r["code"] == code and all(r.get(k) == v for k, v in keys.items())
        ]
    by_scope = {r["scope"]: r for r in rows}
    ranked = [(org, by_scope.get(f"org:{org.code}")) for org in inside]
    shown = [(o, r) for o, r in ranked if r and r["value"] is not None]
    shown.sort(key=lambda item: _distance(item[1], measure.kind), reverse=True)
    rest = sorted(((o, r) for o, r in ranked if not r or r["value"] is None), key=lambda item: item[0].name)
    page = Paginator(shown + rest, COMPARE_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "equality/compare.jinja",
        {
            **_base_context(view),
            "options": options,
            "choice": choice,
            "measure": measure,
            "page": page,
            "scope_row": by_scope.get(view.scope),
            "measure_code": code,
        },
    )


def _organisations_inside(view: ScopeView):
    orgs = Organisation.objects.exclude(type__in=["national", "region", "icb"]).only("code", "name", "type")
    if view.org is not None:
        orgs = orgs.filter(path__startswith=view.org.path)
    return list(orgs.order_by("name"))


def _evidence(request) -> tuple[ScopeView, dict]:
    """The regulator's evidence pack for an organisation and year: published figures only, whoever asks."""
    view = _scope_view(request, allow_full=False)
    if view.org is None or not view.scope.startswith("org:"):
        raise Http404("The evidence pack is for one organisation: choose it with ?scope=org:CODE")
    wres = metric_rows(standard="wres", period=view.period, published=True)
    wdes = metric_rows(standard="wdes", period=view.period, published=True)
    mine = [r for r in wres + wdes if r["scope"] == view.scope]
    monitors = [r for r in monitor_rows(period=view.period, published=True) if r["scope"] == view.scope]
    from carelead.actionplans.selectors import progress_summary

    run = latest_run()
    pack = {
        "headlines": [(code, label, _value(mine, code, view.scope, keys)) for code, keys, label in HEADLINES],
        "survey": [r for r in mine if MEASURES.get(r["code"]) and MEASURES[r["code"]].kind == "survey"],
        "board": [r for r in mine if r["code"] in ("WRES9", "WDES10")],
        "monitors": monitors,
        "charts": [
            (code, trend_charts(scope=view.scope, measure_code=code, published=True, run=run))
            for code, _, _ in HEADLINES
        ],
        "actions": _actions(view.org),
        "progress": progress_summary(view.org),
    }
    return view, pack


@permission_required(VIEW_EQUALITY)
def evidence(request):
    """The evidence pack as a print-friendly page."""
    view, pack = _evidence(request)
    return render(
        request,
        "equality/evidence.jinja",
        {**_base_context(view), "full": False, **pack, "group_labels": GROUP_LABELS, "measures": MEASURES},
    )


@permission_required(VIEW_EQUALITY)
def evidence_download(request):
    """The evidence pack as a workbook."""
    from carelead.equality.workbook import evidence_workbook

    view, pack = _evidence(request)
    content = evidence_workbook(org=view.org, period=view.period, pack=pack)
    audit_record(
        actor=Actor.of(request.user),
        action=AuditLog.Action.EXPORT,
        object_type="equality.EvidencePack",
        object_id=f"{view.org.code}:{view.period.label}",
        object_repr=f"Equality evidence pack, {view.org.name}, {view.period.label}",
        organisation_id=view.org.pk,
    )
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    name = f"carelead-evidence-{view.org.code}-{view.period.label}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
