"""Vacancy matching (domain.md section 5): rank the people who could fill a vacancy, and say why.

The candidates for a vacancy are the approved, unexpired members of the talent pool for the vacancy's region and
level, and anyone who applied. Only those who pass the progression gate for the vacancy's level are ranked; the
rest are counted, never listed. Each ranked person gets a score made of five parts, every part explained in
words:

- standards met: of the standards the vacancy requires, the share the person has evidence for (a counting
  completion of a curriculum module that develops the standard);
- readiness: from their latest talent conversation, else from their latest signed-off appraisal;
- recent appraisal: the final rating of their latest signed-off appraisal, if signed off in the last two years;
- mobility: they said they would work in the vacancy's region or sector;
- region: they already work in the vacancy's region.

No special-category data (ethnicity, disability, sex, religion, sexual orientation, health, age) is read here.
Ties are broken by readiness, then standards met, then staff ID, so the order is total and repeatable.

Everything is computed in bulk for any number of vacancies at once, in a fixed number of queries.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q
from django.utils import timezone

from carelead.core.choices import AppraisalRating, Sector
from carelead.core.keys import keys_q
from carelead.standards.selectors import standards_evidenced
from carelead.talent.models import MembershipStatus, PoolMembership, Readiness

# The weights of the score, defined once; the ranking page prints them.
WEIGHT_STANDARDS = 40  # all the vacancy's required standards met; a share of it for some
WEIGHT_READINESS = {Readiness.READY_NOW: 30, Readiness.ONE_TWO: 15, Readiness.THREE_PLUS: 5}
WEIGHT_APPRAISAL = {
    AppraisalRating.EXCEPTIONAL: 15,
    AppraisalRating.GOOD: 10,
    AppraisalRating.DEVELOPMENT_NEEDED: 3,
    AppraisalRating.UNSATISFACTORY: 0,
}
WEIGHT_MOBILITY = 10
WEIGHT_REGION = 5
RECENT_APPRAISAL_YEARS = 2

# An appraisal's career conversation records readiness in its own words.
APPRAISAL_READINESS = {"now": Readiness.READY_NOW, "1_2_years": Readiness.ONE_TWO, "3_plus": Readiness.THREE_PLUS}
READINESS_ORDER = {Readiness.READY_NOW: 0, Readiness.ONE_TWO: 1, Readiness.THREE_PLUS: 2}
READINESS_WORDS = {
    Readiness.READY_NOW: "ready now",
    Readiness.ONE_TWO: "ready in 1 to 2 years",
    Readiness.THREE_PLUS: "ready in 3 years or more",
}
ONE_DECIMAL = Decimal("0.1")
# What the ranking reads of each candidate: no special-category data, and nothing it does not show or score.
PERSON_FIELDS = (
    "staff_id",
    "first_name",
    "last_name",
    "job_title",
    "level",
    "end_date",
    "organisation__name",
    "organisation__code",
    "organisation__region_id",
    "organisation__sector",
)


def weights_table() -> list[tuple[str, str]]:
    """The weights as the ranking page shows them: (part, how many points)."""
    readiness = ", ".join(f"{READINESS_WORDS[r]} {p}" for r, p in WEIGHT_READINESS.items())
    rating = ", ".join(f"{AppraisalRating(r).label.lower()} {p}" for r, p in WEIGHT_APPRAISAL.items())
    return [
        ("Standards met", f"up to {WEIGHT_STANDARDS}, in proportion to the vacancy's required standards met"),
        ("Readiness", f"{readiness}; not recorded 0"),
        ("Recent appraisal", f"{rating}; none signed off in the last {RECENT_APPRAISAL_YEARS} years 0"),
        ("Mobility", f"{WEIGHT_MOBILITY} if they would work in the vacancy's region or sector"),
        ("Region", f"{WEIGHT_REGION} if they already work in the vacancy's region"),
    ]


@dataclass(frozen=True)
class Facts:
    """What the score of one person for one vacancy is made from (no special-category data)."""

    staff_id: str
    standards_met: int = 0
    standards_required: int = 0
    readiness: str = ""
    readiness_from: str = ""  # "talent conversation" or "appraisal"
    rating: str = ""
    rating_year: str = ""
    mobility: bool = False
    mobility_words: str = ""
    in_region: bool = False
    region_name: str = ""


@dataclass(frozen=True)
class Part:
    name: str
    points: Decimal
    words: str


@dataclass
class Candidate:
    person: object
    facts: Facts
    score: Decimal
    parts: list[Part]
    application_status: str = ""  # blank when the person has not applied
    rank: int = 0

    @property
    def explanation(self) -> str:
        """The score in words, e.g. "Ready now; meets 14 of 15 standards; rated good in 2025/26"."""
        text = "; ".join(p.words for p in self.parts if p.words)
        return text[:1].upper() + text[1:]

    @property
    def sort_key(self) -> tuple:
        return sort_key(self.facts, self.score)


@dataclass
class Ranking:
    vacancy: object
    on: date
    candidates: list[Candidate] = field(default_factory=list)
    considered_ids: list[int] = field(default_factory=list)  # everyone in the pool or applying, before the gate
    excluded_by_gate: int = 0

    @property
    def considered(self) -> int:
        return len(self.considered_ids)


def score(facts: Facts) -> tuple[Decimal, list[Part]]:
    """The score of one person for one vacancy, part by part."""
    parts = [
        Part(
            "readiness",
            Decimal(WEIGHT_READINESS.get(facts.readiness, 0)),
            READINESS_WORDS.get(facts.readiness, "readiness not recorded"),
        )
    ]
    if facts.standards_required:
        points = (Decimal(WEIGHT_STANDARDS) * facts.standards_met / facts.standards_required).quantize(
            ONE_DECIMAL, ROUND_HALF_UP
        )
        words = f"meets {facts.standards_met} of {facts.standards_required} standards"
    else:
        points, words = Decimal(0), "the vacancy names no required standards"
    parts.append(Part("standards", points, words))
    if facts.rating:
        label = AppraisalRating(facts.rating).label.lower()
        parts.append(
            Part(
                "appraisal",
                Decimal(WEIGHT_APPRAISAL.get(facts.rating, 0)),
                f"rated {label} in {facts.rating_year.replace('-', '/')}",
            )
        )
    else:
        parts.append(
            Part("appraisal", Decimal(0), f"no appraisal signed off in the last {RECENT_APPRAISAL_YEARS} years")
        )
    parts.append(Part("mobility", Decimal(WEIGHT_MOBILITY if facts.mobility else 0), facts.mobility_words))
    parts.append(
        Part(
            "region",
            Decimal(WEIGHT_REGION if facts.in_region else 0),
            f"already works in {facts.region_name}" if facts.in_region else "",
        )
    )
    return sum((p.points for p in parts), Decimal(0)), parts


def sort_key(facts: Facts, total: Decimal) -> tuple:
    """Highest score first, then readiness, then most standards met, then staff ID: a total order."""
    return (-total, READINESS_ORDER.get(facts.readiness, len(READINESS_ORDER)), -facts.standards_met, facts.staff_id)


def ordered(candidates: Iterable[Candidate]) -> list[Candidate]:
    """Candidates in ranking order, numbered from 1."""
    out = sorted(candidates, key=lambda c: c.sort_key)
    for number, candidate in enumerate(out, start=1):
        candidate.rank = number
    return out


@dataclass(frozen=True)
class _Ref:
    """A person known by key only: what the gate needs to say whether they may be appointed."""

    pk: int


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _sector_words(sector: str) -> str:
    return "the NHS" if sector == Sector.NHS else Sector(sector).label.lower()


def rankings_for(*, vacancies: Iterable, on: date | None = None) -> dict[int, Ranking]:
    """The ranking of candidates for each vacancy, in a fixed number of queries whatever their number.

    Vacancies should come with ``organisation`` loaded. Returns {vacancy id: Ranking}.
    """
    from carelead.appraisals.selectors import latest_outcomes
    from carelead.organisations.models import Organisation
    from carelead.people.models import Person
    from carelead.standards.gate import eligibility_for_people
    from carelead.talent.services import latest_conversations
    from carelead.vacancies.models import Application, ApplicationStatus

    on = on or timezone.localdate()
    vacancies = list(vacancies)
    rankings = {v.pk: Ranking(vacancy=v, on=on) for v in vacancies}
    if not vacancies:
        return rankings

    # Who is considered for which vacancy: pool members of its region and level, and applicants.
    pools = {(v.organisation.region_id, v.level) for v in vacancies if v.organisation.region_id}
    pool_q = Q(pk__in=[])
    for region_id, level in sorted(pools):
        pool_q |= Q(pool__region_id=region_id, pool__level=level)
    members = PoolMembership.objects.filter(pool_q, status=MembershipStatus.APPROVED, expires_on__gte=on)
    applications = Application.objects.filter(vacancy__in=vacancies).exclude(status=ApplicationStatus.WITHDRAWN)
    member_rows = list(members.values_list("person_id", "pool__region_id", "pool__level"))
    application_rows = list(applications.values_list("vacancy_id", "person_id", "status"))
    # The people by key: one indexed lookup (an OR of two subqueries would scan the whole staff table).
    ids = {row[0] for row in member_rows} | {row[1] for row in application_rows}
    in_post = Q(end_date__isnull=True) | Q(end_date__gte=on)
    # Everyone considered, as bare keys for the gate; full records are read only for those who pass it.
    people = {
        pk: _Ref(pk) for pk in Person.objects.filter(in_post, keys_q("pk", sorted(ids))).values_list("pk", flat=True)
    }
    in_pool: dict[tuple[int, str], set[int]] = {}
    for person_id, region_id, level in member_rows:
        if person_id in people:
            in_pool.setdefault((region_id, level), set()).add(person_id)
    applied: dict[int, dict[int, str]] = {}
    for vacancy_id, person_id, status in application_rows:
        if person_id in people:
            applied.setdefault(vacancy_id, {})[person_id] = status
    considered = {
        v.pk: in_pool.get((v.organisation.region_id, v.level), set()) | set(applied.get(v.pk, {})) for v in vacancies
    }

    # The gate, for every person at every level they are considered for.
    levels: dict[int, set[str]] = {}
    for v in vacancies:
        for person_id in considered[v.pk]:
            levels.setdefault(person_id, set()).add(v.level)
    everyone = [people[pk] for pk in sorted(levels)]
    gate = eligibility_for_people(people=everyone, levels_of=lambda p: sorted(levels[p.pk]), on=on)
    passed = {v.pk: sorted(pk for pk in considered[v.pk] if gate[(pk, v.level)].appointable) for v in vacancies}
    ranked_ids = sorted({pk for ids in passed.values() for pk in ids})
    records = {
        p.pk: p
        for p in Person.objects.filter(keys_q("pk", ranked_ids)).select_related("organisation").only(*PERSON_FIELDS)
    }

    required_all = {code for v in vacancies for code in (v.required_standards or [])}
    evidence = standards_evidenced(ranked_ids, codes=required_all, on=on)
    conversations = latest_conversations(ranked_ids) if ranked_ids else {}
    appraisals = latest_outcomes(ranked_ids) if ranked_ids else {}
    region_ids = {v.organisation.region_id for v in vacancies if v.organisation.region_id}
    regions = {
        pk: (code, name)
        for pk, code, name in Organisation.objects.filter(pk__in=region_ids).values_list("pk", "code", "name")
    }
    recent_from = _years_before(on, RECENT_APPRAISAL_YEARS)

    for v in vacancies:
        required = set(v.required_standards or [])
        region_code, region_name = regions.get(v.organisation.region_id, ("", ""))
        sector = v.organisation.sector
        candidates = []
        for person_id in passed[v.pk]:
            person = records[person_id]
            conversation = conversations.get(person_id)
            appraisal = appraisals.get(person_id)
            readiness, readiness_from = "", ""
            if conversation is not None and conversation.readiness:
                readiness, readiness_from = conversation.readiness, "talent conversation"
            elif appraisal is not None and appraisal.get("readiness") in APPRAISAL_READINESS:
                readiness, readiness_from = APPRAISAL_READINESS[appraisal["readiness"]], "appraisal"
            rating, year = "", ""
            if (
                appraisal is not None
                and appraisal["final_rating"]
                and appraisal["signed_off_on"] is not None
                and appraisal["signed_off_on"] >= recent_from
            ):
                rating, year = appraisal["final_rating"], appraisal["cycle__year"]
            in_region = bool(v.organisation.region_id) and person.organisation.region_id == v.organisation.region_id
            mobility_words = ""
            if conversation is not None and region_code and region_code in (conversation.mobility_regions or []):
                mobility_words = (
                    f"named {region_name} as a region to work in" if in_region else f"would relocate to {region_name}"
                )
            elif conversation is not None and sector in (conversation.mobility_sectors or []):
                mobility_words = f"would work in {_sector_words(sector)}"
            facts = Facts(
                staff_id=person.staff_id,
                standards_met=len(evidence.get(person_id, set()) & required),
                standards_required=len(required),
                readiness=readiness,
                readiness_from=readiness_from,
                rating=rating,
                rating_year=year,
                mobility=bool(mobility_words),
                mobility_words=mobility_words,
                in_region=in_region,
                region_name=region_name,
            )
            total, parts = score(facts)
            candidates.append(
                Candidate(
                    person=person,
                    facts=facts,
                    score=total,
                    parts=parts,
                    application_status=applied.get(v.pk, {}).get(person_id, ""),
                )
            )
        ranking = rankings[v.pk]
        ranking.candidates = ordered(candidates)
        ranking.considered_ids = sorted(considered[v.pk])
        ranking.excluded_by_gate = len(considered[v.pk]) - len(passed[v.pk])
    return rankings


def ranking_for(*, vacancy, on: date | None = None) -> Ranking:
    """The ranking of candidates for one vacancy."""
    return rankings_for(vacancies=[vacancy], on=on)[vacancy.pk]


# How the shortlist and the top of the ranking compare with everyone considered, as published figures.
TOP_OF_RANKING = 20
SHORTLISTED_STATUSES = ("shortlisted", "interviewed", "not_appointed", "appointed")
GROUPS = {
    "ethnicity": ("Ethnicity", [("white", "White"), ("bme", "BME"), ("unknown", "Not known")]),
    "disability": (
        "Disability",
        [("disabled", "Disabled"), ("non_disabled", "Not disabled"), ("unknown", "Not known")],
    ),
    "sex": ("Sex", [("female", "Women"), ("male", "Men"), ("unknown", "Other or not known")]),
}


@dataclass(frozen=True)
class Cell:
    count: str  # as published: a rounded count, "*" when suppressed
    share: str  # a percentage from the published counts, "*" when it cannot be shown


@dataclass
class CompositionTable:
    code: str
    title: str
    columns: list[tuple[str, str]]  # (key, heading) of the groups compared
    rows: list[tuple[str, list[Cell]]]  # (group label, one cell per column)


def _group_counts(people) -> dict[str, int]:
    """Counts by ethnicity, disability and sex group of a queryset of people: aggregates only, one query."""
    from django.db.models import Count

    from carelead.core.choices import BME_CODES, WHITE_CODES

    def starts(letters) -> Q:
        q = Q(pk__in=[])
        for letter in sorted(letters):
            q |= Q(monitoring__ethnic_category__startswith=letter)
        return q

    return people.aggregate(
        total=Count("pk", distinct=True),
        white=Count("pk", filter=starts(WHITE_CODES), distinct=True),
        bme=Count("pk", filter=starts(BME_CODES), distinct=True),
        disabled=Count("pk", filter=Q(monitoring__disability="Y"), distinct=True),
        non_disabled=Count("pk", filter=Q(monitoring__disability="N"), distinct=True),
        female=Count("pk", filter=Q(monitoring__sex="F"), distinct=True),
        male=Count("pk", filter=Q(monitoring__sex="M"), distinct=True),
    )


def _published_column(counts: dict[str, int], groups: list[str]) -> dict[str, Cell]:
    """The groups' published counts with shares of the published total ("*" where hidden, "–" with nobody)."""
    from carelead.core.disclosure import published_column, published_share

    shown, total = published_column(counts, groups)
    out = {}
    for g in groups:
        figure = shown[g]
        if figure.suppressed or total.suppressed:
            share = "*"
        elif not total.shown:
            share = "–"
        else:
            share = published_share(figure, total)
        out[g] = Cell(figure.text, "*" if figure.suppressed else share)
    out["total"] = Cell(total.text, "")
    return out


def ranking_composition(*, ranking: Ranking, top: int = TOP_OF_RANKING) -> tuple[list[CompositionTable], dict]:
    """Everyone considered, the top of the ranking and the shortlist, by ethnicity, disability and sex.

    Published figures only (counts 1 to 7 hidden, others rounded, a lone hidden cell hidden with another), from
    three aggregate queries; nobody's own answers are read into the page.
    """
    from carelead.people.models import Person

    vacancy = ranking.vacancy
    top_ids = [c.person.pk for c in ranking.candidates[:top]]
    sets = [
        ("considered", "Everyone considered", Person.objects.filter(pk__in=ranking.considered_ids)),
        ("top", f"Top {top} of the ranking", Person.objects.filter(pk__in=top_ids)),
        (
            "shortlist",
            "Shortlist",
            Person.objects.filter(applications__vacancy=vacancy, applications__status__in=SHORTLISTED_STATUSES),
        ),
    ]
    counts = {key: _group_counts(people) for key, _, people in sets}
    for c in counts.values():
        c["unknown_ethnicity"] = c["total"] - c["white"] - c["bme"]
        c["unknown_disability"] = c["total"] - c["disabled"] - c["non_disabled"]
        c["unknown_sex"] = c["total"] - c["female"] - c["male"]
    columns = [(key, title) for key, title, _ in sets]
    tables = []
    totals = {}
    for code, (title, groups) in GROUPS.items():
        keys = [g if g != "unknown" else f"unknown_{code}" for g, _ in groups]
        published = {}
        for key, _, _ in sets:
            view = {**counts[key], **{k: counts[key][k] for k in keys}}
            published[key] = _published_column(view, keys)
            totals[key] = published[key]["total"]
        rows = [(label, [published[key][k] for key, _, _ in sets]) for (g, label), k in zip(groups, keys, strict=True)]
        tables.append(CompositionTable(code, title, columns, rows))
    return tables, totals
