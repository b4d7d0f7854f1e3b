"""The equality standards (WRES and WDES) as domain.md section 9 defines them, for every scope at once.

Each metric family is counted per organisation with set-based queries (GROUP BY organisation and group), then
pooled up the tree in Python: ICB, region and national figures add the underlying counts of their
organisations and never average ratios. Relative likelihoods come with 95% confidence intervals (log method,
0.5 added to each cell when one is zero). Disclosure control (published figures) applies below national level.
"""

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.db.models import Case, Count, Q, Value, When

from carelead.core.choices import BME_CODES, CLINICAL_STAFF_GROUPS, WHITE_CODES
from carelead.core.disclosure import policy, published_value

TWO_YEAR_READINGS = ("pooled", "mean_of_likelihoods", "mean_of_ratios")
WRES1_BANDS = ["1", "2", "3", "4", "5", "6", "7", "8a", "8b", "8c", "8d", "9", "VSM"]
WDES1_CLUSTERS = {
    "cluster_1": {"1", "2", "3", "4"},
    "cluster_2": {"5", "6", "7"},
    "cluster_3": {"8a", "8b"},
    "cluster_4": {"8c", "8d", "9", "VSM"},
    "medical": {"medical"},
}
SURVEY_WRES = ["WRES5", "WRES6", "WRES7", "WRES8"]


@dataclass(frozen=True)
class Period:
    """A financial year, 1 April to 31 March."""

    label: str
    start: date
    end: date

    @classmethod
    def parse(cls, text: str) -> "Period":
        first, second = text.split("-")
        year = int(first)
        if len(first) != 4 or len(second) != 2 or (year + 1) % 100 != int(second):
            raise ValueError(f"'{text}' is not a financial year such as 2025-26")
        return cls(text, date(year, 4, 1), date(year + 1, 3, 31))

    @property
    def previous(self) -> "Period":
        year = self.start.year - 1
        return Period(f"{year}-{(year + 1) % 100:02d}", date(year, 4, 1), date(year + 1, 3, 31))


def ethnic_group_of(code: str | None) -> str:
    if code and code != "99" and code[0] in WHITE_CODES:
        return "white"
    if code and code != "99" and code[0] in BME_CODES:
        return "bme"
    return "unknown"


def disability_group_of(code: str | None) -> str:
    return {"Y": "disabled", "N": "non_disabled"}.get(code or "U", "unknown")


def ethnic_group_case(prefix: str = "") -> Case:
    """ethnic_group_of worked out in the database (prefix: the path to the ethnic_category field's owner)."""
    white, bme = Q(), Q()
    for letter in sorted(WHITE_CODES):
        white |= Q(**{f"{prefix}ethnic_category__startswith": letter})
    for letter in sorted(BME_CODES):
        bme |= Q(**{f"{prefix}ethnic_category__startswith": letter})
    return Case(When(white, then=Value("white")), When(bme, then=Value("bme")), default=Value("unknown"))


def disability_group_case(prefix: str = "") -> Case:
    return Case(
        When(**{f"{prefix}disability": "Y"}, then=Value("disabled")),
        When(**{f"{prefix}disability": "N"}, then=Value("non_disabled")),
        default=Value("unknown"),
    )


class Tree:
    """Every organisation's scopes: itself, its ICB, its region, and England."""

    def __init__(self):
        from carelead.organisations.models import Organisation

        self.orgs = {o["id"]: o for o in Organisation.objects.values("id", "code", "type", "icb__code", "region__code")}

    def scopes_of(self, org_id: int) -> list[str]:
        org = self.orgs[org_id]
        scopes = ["national"]
        if org["type"] not in ("national", "region", "icb"):
            scopes.append(f"org:{org['code']}")
        if org["icb__code"]:
            scopes.append(f"icb:{org['icb__code']}")
        if org["region__code"]:
            scopes.append(f"region:{org['region__code']}")
        return scopes


def pool(tree: Tree, per_org: Iterable[tuple[int, tuple, int]]) -> dict[str, dict[tuple, int]]:
    """Add per-organisation counts {key: n} up to every scope that contains the organisation."""
    out: dict[str, dict[tuple, int]] = defaultdict(lambda: defaultdict(int))
    for org_id, key, n in per_org:
        for scope in tree.scopes_of(org_id):
            out[scope][key] += n
    return out


def in_post_q(day: date, prefix: str = "") -> Q:
    return (
        Q(**{f"{prefix}start_date__lte": day})
        & (Q(**{f"{prefix}end_date__isnull": True}) | Q(**{f"{prefix}end_date__gte": day}))
        & Q(**{f"{prefix}bank": False})
    )


def _published(n: int | None, national: bool) -> tuple[int | None, bool]:
    return published_value(n, national=national)


def relative_likelihood(a: int, n1: int, c: int, n2: int) -> dict[str, Any]:
    """likelihood(X) ÷ likelihood(Y) with a 95% CI; a of n1 in X, c of n2 in Y."""
    if n1 == 0 or n2 == 0:
        return {"value": None, "ci_low": None, "ci_high": None, "note": "a group has no members"}
    if c == 0:
        return {"value": None, "ci_low": None, "ci_high": None, "note": "the second likelihood is zero"}
    value = (a / n1) / (c / n2)
    ca, cn1, cc, cn2 = (a + 0.5, n1 + 1, c + 0.5, n2 + 1) if 0 in (a, c, n1 - a, n2 - c) else (a, n1, c, n2)
    ratio = (ca / cn1) / (cc / cn2)
    se = math.sqrt(max(1 / ca - 1 / cn1 + 1 / cc - 1 / cn2, 0))
    return {
        "value": value,
        "ci_low": math.exp(math.log(ratio) - 1.96 * se),
        "ci_high": math.exp(math.log(ratio) + 1.96 * se),
        "note": None,
    }


def rl_row(
    code: str, scope: str, period: str, counts: dict[str, int], *, published: bool, names: tuple[str, str], **keys
) -> dict[str, Any]:
    """A relative-likelihood row from the four counts, with disclosure control when published."""
    a, n1, c, n2 = counts["a"], counts["n1"], counts["c"], counts["n2"]
    national = scope == "national"
    row = {"code": code, "scope": scope, "period": period, **keys}
    if published and not national:
        shown = [_published(v, national) for v in (a, n1, c, n2)]
        if any(s for _, s in shown):
            return {
                **row,
                "value": None,
                "suppressed": True,
                "ci_low": None,
                "ci_high": None,
                "note": "suppressed: a count of 1 to 7",
                **{
                    f"{names[0]}_count": None,
                    f"{names[0]}_group": None,
                    f"{names[1]}_count": None,
                    f"{names[1]}_group": None,
                },
            }
        a, n1, c, n2 = (v for v, _ in shown)
    result = relative_likelihood(a, n1, c, n2)
    return {
        **row,
        **result,
        "suppressed": False,
        f"{names[0]}_count": a,
        f"{names[0]}_group": n1,
        f"{names[1]}_count": c,
        f"{names[1]}_group": n2,
    }


def share_rows(
    code: str, scope: str, period: str, counts: dict[str, int], *, groups: list[str], published: bool, **keys
) -> list[dict[str, Any]]:
    """Percentage of each group in a population, with disclosure control when published."""
    national = scope == "national"
    total = sum(counts.get(g, 0) for g in groups)
    rows = []
    shown_total, total_suppressed = _published(total, national) if published else (total, False)
    hidden: set[str] = set()
    if published and not national:
        cells = {g: counts.get(g, 0) for g in groups}
        hidden = {g for g, n in cells.items() if _published(n, national)[1]}
        # One hidden cell beside a shown total could be worked out by subtraction: hide another with it.
        hidden |= policy().secondary(cells, hidden) if not total_suppressed else set()
    for group in groups:
        n = counts.get(group, 0)
        shown, suppressed = _published(n, national) if published else (n, False)
        suppressed = suppressed or total_suppressed or group in hidden
        value = None if suppressed or not shown_total else 100 * shown / shown_total
        rows.append(
            {
                "code": code,
                "scope": scope,
                "period": period,
                "group": group,
                **keys,
                "value": value,
                "suppressed": suppressed,
                "count": None if suppressed else shown,
                "total": None if suppressed else shown_total,
                "note": "no staff in this group of the workforce" if not total and not suppressed else None,
            }
        )
    return rows


def _headcount(tree: Tree, day: date):
    """Staff in post on a day, per organisation, as (org, band, clinical, ethnic group, disability group) counts.

    The groups are worked out in the database, so the rows returned number at most organisations × bands × 2 × 3 × 3
    whatever the number of raw codes.
    """
    from carelead.people.models import Person

    rows = (
        Person.objects.filter(in_post_q(day))
        .annotate(
            eq_type=Case(
                When(staff_group__in=sorted(CLINICAL_STAFF_GROUPS), then=Value("clinical")),
                default=Value("non_clinical"),
            ),
            eq_eth=ethnic_group_case("monitoring__"),
            eq_dis=disability_group_case("monitoring__"),
        )
        .values("organisation_id", "pay_band", "eq_type", "eq_eth", "eq_dis")
        .annotate(n=Count("id"))
        .order_by()
    )
    return [(r["organisation_id"], r["pay_band"], r["eq_type"], r["eq_eth"], r["eq_dis"], r["n"]) for r in rows]


def _entrants(model, period: Period, extra: Q | None = None):
    """Distinct non-bank staff with a case dated in the period, per organisation and group."""
    rows = (
        model.objects.filter(extra or Q(), date__gte=period.start, date__lte=period.end, person__bank=False)
        .values("person__organisation_id", "person__monitoring__ethnic_category", "person__monitoring__disability")
        .annotate(n=Count("person", distinct=True))
    )
    return [
        (
            r["person__organisation_id"],
            ethnic_group_of(r["person__monitoring__ethnic_category"]),
            disability_group_of(r["person__monitoring__disability"]),
            r["n"],
        )
        for r in rows
    ]


def _recruitment(period: Period):
    from carelead.equality.models import RecruitmentDecision

    rows = (
        RecruitmentDecision.objects.filter(date__gte=period.start, date__lte=period.end, shortlisted=True)
        .values("organisation_id", "ethnic_category", "disability", "appointed")
        .annotate(n=Count("id"))
    )
    return [
        (
            r["organisation_id"],
            ethnic_group_of(r["ethnic_category"]),
            disability_group_of(r["disability"]),
            r["appointed"],
            r["n"],
        )
        for r in rows
    ]


def _cpd_takers(period: Period):
    from django.db.models import Exists, OuterRef

    from carelead.learning.models import TrainingRecord
    from carelead.people.models import Person

    took = TrainingRecord.objects.filter(
        person=OuterRef("pk"), mandatory=False, date__gte=period.start, date__lte=period.end
    )
    rows = (
        Person.objects.filter(in_post_q(period.end))
        .filter(Exists(took))
        .values("organisation_id", "monitoring__ethnic_category")
        .annotate(n=Count("id"))
    )
    return [(r["organisation_id"], ethnic_group_of(r["monitoring__ethnic_category"]), r["n"]) for r in rows]


def _board(day: date):
    from carelead.boards.models import BoardMember

    rows = (
        BoardMember.objects.filter(Q(start_date__lte=day), Q(end_date__isnull=True) | Q(end_date__gte=day))
        .values("organisation_id", "role", "voting", "monitoring__ethnic_category", "monitoring__disability")
        .annotate(n=Count("id"))
    )
    return [
        (
            r["organisation_id"],
            r["role"],
            r["voting"],
            ethnic_group_of(r["monitoring__ethnic_category"]),
            disability_group_of(r["monitoring__disability"]),
            r["n"],
        )
        for r in rows
    ]


def _survey(period: Period, prefix: str):
    from carelead.equality.models import SurveyResult

    return list(
        SurveyResult.objects.filter(period=period.label, measure__startswith=prefix).values(
            "organisation_id", "measure", "group", "percent", "respondents"
        )
    )


def compute(
    *, standard: str, period: Period, published: bool = True, reading: str | None = None
) -> list[dict[str, Any]]:
    """Every row of WRES or WDES for every scope (``reading``: how WRES3/WDES3 read the two years)."""
    return compute_standards(period=period, published=published, reading=reading, standards=(standard,))[standard]


def compute_standards(
    *,
    period: Period,
    published: bool = True,
    reading: str | None = None,
    standards: tuple[str, ...] = ("wres", "wdes"),
) -> dict[str, list[dict[str, Any]]]:
    """WRES and WDES together, sharing the organisation tree and the two year-end headcounts they both need."""
    reading = reading or settings.CARELEAD_TWO_YEAR_READING
    if reading not in TWO_YEAR_READINGS:
        raise ValueError(f"the two-year reading must be one of {', '.join(TWO_YEAR_READINGS)}")
    tree = Tree()
    heads = _headcount(tree, period.end)
    heads_prev = _headcount(tree, period.previous.end)
    out = {}
    if "wres" in standards:
        out["wres"] = _wres(tree, period, heads, heads_prev, published, reading)
    if "wdes" in standards:
        out["wdes"] = _wdes(tree, period, heads, heads_prev, published, reading)
    return out


def _group_index(standard: str) -> int:
    return 3 if standard == "wres" else 4


def _representation(code, tree, heads, period, published, *, groups, group_at, bands: dict[str, set[str]]):
    rows = []
    per_org = []
    for r in heads:
        org, band, staff_type, n = r[0], r[1], r[2], r[5]
        group = r[group_at]
        for name, members in bands.items():
            if band in members:
                per_org.append((org, (name, staff_type, group), n))
                per_org.append((org, (name, "all", group), n))
        per_org.append((org, ("all", staff_type, group), n))
        per_org.append((org, ("all", "all", group), n))
    for scope, counts in pool(tree, per_org).items():
        cells = sorted({(b, t) for b, t, _ in counts})
        for band, staff_type in cells:
            subset = {g: counts.get((band, staff_type, g), 0) for g in groups}
            rows.extend(
                share_rows(
                    code,
                    scope,
                    period.label,
                    subset,
                    groups=groups,
                    published=published,
                    **{"band" if code == "WRES1" else "cluster": band, "staff_type": staff_type},
                )
            )
    return rows


def _scopes_with_staff(tree: Tree, heads) -> set[str]:
    return {scope for org in {r[0] for r in heads} for scope in tree.scopes_of(org)}


def _rl(code, tree, period, per_org, published, *, names, order, scopes=()):
    """Relative likelihood per scope from per-org (key=(group, outcome)) counts; order = (X group, Y group).

    Every scope in ``scopes`` gets a row even with no records (its value is then null with a note).
    """
    rows = []
    pooled = pool(tree, per_org)
    for scope in sorted(set(pooled) | set(scopes)):
        counts = pooled.get(scope, {})
        x, y = order
        four = {
            "a": counts.get((x, True), 0),
            "n1": counts.get((x, True), 0) + counts.get((x, False), 0),
            "c": counts.get((y, True), 0),
            "n2": counts.get((y, True), 0) + counts.get((y, False), 0),
        }
        rows.append(rl_row(code, scope, period.label, four, published=published, names=names))
    return rows


def _two_year(
    code, tree, period, heads, heads_prev, entrants_now, entrants_prev, published, *, at, order, names, reading
):
    """Two-year likelihood of entering a formal process, read as the setting says (pooled by default)."""
    per_org = []
    for year, rows in (("now", heads), ("prev", heads_prev)):
        for r in rows:
            per_org.append((r[0], ("head", r[at], year), r[5]))
    for year, entrants in (("now", entrants_now), ("prev", entrants_prev)):
        for org, eth, dis, n in entrants:
            per_org.append((org, ("in", eth if at == 3 else dis, year), n))
    rows = []
    x, y = order
    for scope, counts in pool(tree, per_org).items():
        yearly = {
            year: {
                "a": counts.get(("in", x, year), 0),
                "n1": counts.get(("head", x, year), 0),
                "c": counts.get(("in", y, year), 0),
                "n2": counts.get(("head", y, year), 0),
            }
            for year in ("prev", "now")
        }
        four = {k: yearly["prev"][k] + yearly["now"][k] for k in ("a", "n1", "c", "n2")}
        row = rl_row(code, scope, period.label, four, published=published, names=names, reading=f"{reading}_two_year")
        if reading != "pooled" and not row["suppressed"]:
            row.update(_averaged(yearly, reading, published=published and scope != "national"))
        rows.append(row)
    return rows


def _averaged(yearly: dict[str, dict[str, int]], reading: str, *, published: bool) -> dict[str, Any]:
    """The two readings that average the years instead of pooling them; no confidence interval is defined."""
    if published and any(policy().suppressed(n) for counts in yearly.values() for n in counts.values()):
        return {
            "value": None,
            "suppressed": True,
            "ci_low": None,
            "ci_high": None,
            "note": "suppressed: a count of 1 to 7",
        }
    if published:
        yearly = {year: {k: published_value(n)[0] for k, n in counts.items()} for year, counts in yearly.items()}
    none = {"value": None, "ci_low": None, "ci_high": None}
    if any(counts[k] == 0 for counts in yearly.values() for k in ("n1", "n2")):
        return {**none, "note": "a group has no members in one of the years"}
    if reading == "mean_of_likelihoods":
        first = sum(c["a"] / c["n1"] for c in yearly.values()) / 2
        second = sum(c["c"] / c["n2"] for c in yearly.values()) / 2
        if second == 0:
            return {**none, "note": "the second likelihood is zero"}
        value = first / second
    else:
        ratios = [relative_likelihood(c["a"], c["n1"], c["c"], c["n2"])["value"] for c in yearly.values()]
        if None in ratios:
            return {**none, "note": "the second likelihood is zero in one of the years"}
        value = sum(ratios) / 2
    return {**none, "value": value, "note": "confidence interval given for the pooled reading only"}


def _board_rows(code, tree, period, heads, board, published, *, group, at_head, at_board):
    per_org = []
    for r in heads:
        per_org.append((r[0], ("workforce", "total"), r[5]))
        if r[at_head] == group:
            per_org.append((r[0], ("workforce", group), r[5]))
    for org, role, voting, eth, dis, n in board:
        member_group = eth if at_board == 3 else dis
        parts = ["all"] + (["voting"] if voting else []) + (["executive"] if role == "executive" else [])
        for part in parts:
            per_org.append((org, (part, "total"), n))
            if member_group == group:
                per_org.append((org, (part, group), n))
    rows = []
    for scope, counts in pool(tree, per_org).items():
        national = scope == "national"
        workforce_total = counts.get(("workforce", "total"), 0)
        workforce_group = counts.get(("workforce", group), 0)
        for part in ("voting", "executive", "all"):
            board_total, board_group = counts.get((part, "total"), 0), counts.get((part, group), 0)
            values = [board_group, board_total, workforce_group, workforce_total]
            suppressed = False
            if published and not national:
                shown = [_published(v, national) for v in values]
                suppressed = any(s for _, s in shown)
                values = [v for v, _ in shown]
            note = None
            if suppressed:
                value = None
            elif not values[1] or not values[3]:
                value, note = None, "no board members or no workforce"
            else:
                value = 100 * values[0] / values[1] - 100 * values[2] / values[3]
            rows.append(
                {
                    "code": code,
                    "scope": scope,
                    "period": period.label,
                    "board_part": part,
                    "value": value,
                    "suppressed": suppressed,
                    "note": note,
                    "board_count": None if suppressed else values[0],
                    "board_total": None if suppressed else values[1],
                    "workforce_count": None if suppressed else values[2],
                    "workforce_total": None if suppressed else values[3],
                }
            )
    return rows


def _survey_rows(tree, period, prefix, published):
    """Survey measures as imported: organisation figures, and roll-ups weighted by respondents where known."""
    per_org = []
    results = _survey(period, prefix)
    for r in results:
        if r["respondents"]:
            per_org.append(
                (r["organisation_id"], (r["measure"], r["group"], "weighted"), float(r["percent"]) * r["respondents"])
            )
            per_org.append((r["organisation_id"], (r["measure"], r["group"], "respondents"), r["respondents"]))
    rows = []
    for scope, counts in pool(tree, per_org).items():
        keys = {(m, g) for m, g, _ in counts}
        for measure, group in sorted(keys):
            respondents = counts.get((measure, group, "respondents"), 0)
            national = scope == "national"
            suppressed = published and policy().suppressed(respondents, national=national)
            value = None if suppressed or not respondents else counts[(measure, group, "weighted")] / respondents
            rows.append(
                {
                    "code": measure,
                    "scope": scope,
                    "period": period.label,
                    "group": group,
                    "value": value,
                    "suppressed": suppressed,
                    "respondents": None if suppressed else respondents,
                }
            )
    org_only = [r for r in results if not r["respondents"]]
    for r in org_only:
        code = tree.orgs[r["organisation_id"]]["code"]
        rows.append(
            {
                "code": r["measure"],
                "scope": f"org:{code}",
                "period": period.label,
                "group": r["group"],
                "value": float(r["percent"]),
                "suppressed": False,
                "respondents": None,
            }
        )
    return rows


def _wres(tree, period, heads, heads_prev, published, reading):
    from carelead.equality.models import DisciplinaryCase

    groups = ["white", "bme", "unknown"]
    rows = _representation(
        "WRES1", tree, heads, period, published, groups=groups, group_at=3, bands={b: {b} for b in WRES1_BANDS}
    )
    recruitment = [(org, (eth, appointed), n) for org, eth, dis, appointed, n in _recruitment(period)]
    rows += _rl(
        "WRES2",
        tree,
        period,
        recruitment,
        published,
        names=("white", "bme"),
        order=("white", "bme"),
        scopes=_scopes_with_staff(tree, heads),
    )
    rows += _two_year(
        "WRES3",
        tree,
        period,
        heads,
        heads_prev,
        _entrants(DisciplinaryCase, period),
        _entrants(DisciplinaryCase, period.previous),
        published,
        at=3,
        order=("bme", "white"),
        names=("bme", "white"),
        reading=reading,
    )
    takers: dict[tuple[int, str], int] = defaultdict(int)
    for org, eth, n in _cpd_takers(period):  # one row per raw ethnic code: add the codes of a group together
        takers[(org, eth)] += n
    per_org = []
    for r in heads:
        per_org.append((r[0], (r[3], False), r[5]))
    for (org, eth), n in takers.items():
        per_org.append((org, (eth, True), n))
        per_org.append((org, (eth, False), -n))
    rows += _rl("WRES4", tree, period, per_org, published, names=("white", "bme"), order=("white", "bme"))
    rows += _survey_rows(tree, period, "WRES", published)
    rows += _board_rows("WRES9", tree, period, heads, _board(period.end), published, group="bme", at_head=3, at_board=3)
    return rows


def _wdes(tree, period, heads, heads_prev, published, reading):
    from carelead.equality.models import CapabilityCase

    groups = ["disabled", "non_disabled", "unknown"]
    rows = _representation("WDES1", tree, heads, period, published, groups=groups, group_at=4, bands=WDES1_CLUSTERS)
    recruitment = [(org, (dis, appointed), n) for org, eth, dis, appointed, n in _recruitment(period)]
    rows += _rl(
        "WDES2",
        tree,
        period,
        recruitment,
        published,
        names=("non_disabled", "disabled"),
        order=("non_disabled", "disabled"),
        scopes=_scopes_with_staff(tree, heads),
    )
    performance = Q(reason="performance")
    rows += _two_year(
        "WDES3",
        tree,
        period,
        heads,
        heads_prev,
        _entrants(CapabilityCase, period, performance),
        _entrants(CapabilityCase, period.previous, performance),
        published,
        at=4,
        order=("disabled", "non_disabled"),
        names=("disabled", "non_disabled"),
        reading=reading,
    )
    rows += _survey_rows(tree, period, "WDES", published)
    rows += _board_rows(
        "WDES10", tree, period, heads, _board(period.end), published, group="disabled", at_head=4, at_board=4
    )
    return rows


def scope_filter(rows: list[dict[str, Any]], scope: str, tree: Tree | None = None) -> list[dict[str, Any]]:
    """Rows of a scope and every scope inside it ('national' keeps everything)."""
    if scope == "national":
        return rows
    tree = tree or Tree()
    kind, code = scope.split(":", 1)
    inside = {scope}
    for org in tree.orgs.values():
        if (kind == "region" and org["region__code"] == code) or (kind == "icb" and org["icb__code"] == code):
            inside.add(f"org:{org['code']}")
            if org["icb__code"]:
                inside.add(f"icb:{org['icb__code']}")
    return [r for r in rows if r["scope"] in inside]
