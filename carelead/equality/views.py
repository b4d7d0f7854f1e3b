"""The equality dashboard: headline WRES and WDES figures for a scope, with drill-down to the scopes inside it."""

from django.http import Http404
from django.shortcuts import render

from carelead.accounts.permissions import permission_required
from carelead.equality.engine import Period
from carelead.equality.permissions import VIEW_EQUALITY
from carelead.equality.selectors import full_figures_allowed, latest_period, metric_rows
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


def _scope_org(scope: str) -> Organisation | None:
    if scope == "national":
        return None
    kind, _, code = scope.partition(":")
    org = Organisation.objects.filter(code=code).first()
    if org is None or kind not in ("org", "icb", "region"):
        raise Http404("No such scope")
    return org


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


@permission_required(VIEW_EQUALITY)
def dashboard(request):
    """Headline figures for a scope (exact only where the role has record-level rights over it)."""
    default_scope = "national"
    if request.assignment.organisation_id:
        own = request.assignment.organisation
        default_scope = {"region": "region", "icb": "icb"}.get(own.type, "org") + f":{own.code}"
    scope = request.GET.get("scope", default_scope)
    try:
        period = Period.parse(request.GET.get("period", latest_period().label))
    except ValueError:
        period = latest_period()
    org = _scope_org(scope)
    full = full_figures_allowed(assignment=request.assignment, scope_path=org.path if org else None)
    wres = metric_rows(standard="wres", period=period, published=not full)
    wdes = metric_rows(standard="wdes", period=period, published=not full)
    rows = wres + wdes
    headlines = [(code, label, _value(rows, code, scope, keys)) for code, keys, label in HEADLINES]
    children = [
        (child, name, [_value(rows, code, child, keys) for code, keys, _ in HEADLINES])
        for child, name in _children(scope, org)
    ]
    return render(
        request,
        "equality/dashboard.jinja",
        {
            "scope": scope,
            "scope_name": org.name if org else "England",
            "org": org,
            "period": period,
            "full": full,
            "headlines": headlines,
            "children": children,
            "codes": [code for code, _, _ in HEADLINES],
            "parent": _parent(org),
        },
    )
