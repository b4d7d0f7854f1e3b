"""Careers and talent for the demo: talent conversations, regional talent pools, succession plans, vacancies at
every stage with their decisions, and challenged organisations with incentive packages and outcome histories.

Rows go in through a Sink (COPY on PostgreSQL) with keys numbered here, so the same seed gives the same keys,
and the in-app recruitment decisions (keyed ``CL-<application id>``) are reproducible too. Reading the people is
one pass in key order over the managers and their likely successors, so memory stays bounded at national size.
"""

import json
import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db import connection
from django.db.models import Q
from django.utils import timezone

from carelead.challenged.models import IncentivePackage, StatusChange
from carelead.challenged.services import is_challenged
from carelead.core.choices import LEVEL_ORDER, Level
from carelead.demo.sink import Sink
from carelead.equality.models import RecruitmentDecision
from carelead.organisations.models import Organisation
from carelead.people.models import EqualityMonitoring, Person
from carelead.succession.models import SuccessionCandidate, SuccessionPlan
from carelead.talent.models import PoolMembership, TalentConversation, TalentPool
from carelead.vacancies.models import Application, ApplicationDecision, Vacancy

POOL_LEVELS = [Level.FIRST_LINE, Level.MIDDLE, Level.SENIOR, Level.EXECUTIVE]
CHUNK = 20_000

ASPIRATIONS = [
    "To lead a service of my own within three years.",
    "A director role in a trust that is turning itself around.",
    "To broaden out of my profession into operational management.",
    "To stay close to patients while taking on a bigger team.",
    "To move into integrated care, working across health and social care.",
    "A chief executive role, once I have run a division.",
]
PLANS = [
    "Mid-career programme next year; a secondment to the ICB for six months.",
    "Shadow the divisional director; finance for non-finance managers module.",
    "Complete the senior leadership module and lead the winter plan.",
    "Coaching through the regional scheme; act up when the post falls vacant.",
    "Quality improvement training, then lead a cross-site project.",
]
NOMINATION_REASONS = [
    "Consistently strong results and ready for a bigger remit.",
    "Led the service through a difficult inspection with great credit.",
    "A natural developer of people; the team's results show it.",
    "Ready now for a step up; has acted up twice this year.",
]
DECLINE_REASONS = [
    "Not yet enough experience at the current level; renominate after the next appraisal.",
    "The evidence does not yet show leadership beyond the immediate team.",
]
SHORTLIST_REASONS = {
    "shortlisted": "Meets the essential criteria in the person specification.",
    "not_shortlisted": "Does not yet show the board-level experience the role needs.",
    "interviewed": "Interviewed by the panel; strong on the improvement questions.",
    "not_appointed": "A strong interview; another candidate showed more turnaround experience.",
    "appointed": "The panel's unanimous choice: the best evidence against every criterion.",
}
CHALLENGED_TEXT = "The organisation is in the Recovery Support Programme; the role comes with support and incentives."
ROLE_TEXT = "Lead and develop a team committed to safe, kind care."
OTHER_SECTOR = {"nhs": "social_care", "social_care": "nhs"}
LEVEL_TITLES = {
    Level.FIRST_LINE: "Ward manager",
    Level.MIDDLE: "Service manager",
    Level.SENIOR: "Divisional director of operations",
    Level.EXECUTIVE: "Chief executive",
}


@dataclass
class Candidate:
    """Someone who had a talent conversation: who they are and what it said."""

    person: int
    organisation: int
    region: int
    level: str
    readiness: str
    growth: str
    held_on: date


@dataclass
class TalentDemo:
    seed: int
    trust: Organisation
    region: Organisation
    persona_staff: Person
    persona_manager: Person
    users: dict[str, int]
    today: date = field(default_factory=timezone.localdate)

    def __post_init__(self) -> None:
        self.rnd = random.Random(f"carelead-demo:{self.seed}:talent")
        self.sink = Sink(connection)
        s = self.sink
        self.t_conversation = s.table(
            TalentConversation,
            [
                "person",
                "held_with",
                "coach_name",
                "held_on",
                "impact",
                "growth",
                "growth_direction",
                "readiness",
                "mobility_regions",
                "mobility_sectors",
                "aspiration",
                "development_plan",
                "person_comments",
                "recorded_by",
            ],
        )
        self.t_pool = s.table(TalentPool, ["region", "level", "name", "description", "membership_months"])
        self.t_membership = s.table(
            PoolMembership,
            [
                "pool",
                "person",
                "status",
                "nominated_by",
                "nominated_on",
                "nomination_reason",
                "decided_by",
                "decided_on",
                "decision_reason",
                "expires_on",
                "renewals",
            ],
        )
        self.t_plan = s.table(
            SuccessionPlan,
            ["organisation", "role_title", "level", "incumbent", "critical", "notes", "review_due", "created_by"],
        )
        self.t_candidate = s.table(
            SuccessionCandidate, ["plan", "person", "source", "readiness", "rank", "emergency", "notes"]
        )
        self.t_vacancy = s.table(
            Vacancy,
            [
                "reference",
                "title",
                "organisation",
                "level",
                "location",
                "description",
                "required_standards",
                "opens_on",
                "closes_on",
                "status",
                "succession_plan",
                "appointed",
                "filled_on",
                "withdrawn_reason",
                "created_by",
            ],
        )
        self.t_application = s.table(Application, ["vacancy", "person", "source", "status", "applied_on", "statement"])
        self.t_decision = s.table(ApplicationDecision, ["application", "status", "reason", "by", "at"])
        self.t_recruitment = s.table(
            RecruitmentDecision,
            [
                "application_id",
                "vacancy_id",
                "organisation",
                "date",
                "shortlisted",
                "appointed",
                "ethnic_category",
                "disability",
                "sex",
                "level",
            ],
        )
        self.t_package = s.table(
            IncentivePackage,
            [
                "vacancy",
                "pay_uplift_percent",
                "pay_uplift_cap",
                "bonus_percent",
                "mentor",
                "coach",
                "improvement_support",
                "relocation",
                "return_guarantee",
                "notes",
                "status",
                "proposed_by",
                "decided_by",
                "decided_on",
                "decision_reason",
            ],
        )
        self.t_status = s.table(
            StatusChange,
            ["organisation", "effective_on", "oversight_segment", "cqc_rating", "challenged", "note", "recorded_by"],
        )
        self.regions = {
            pk: (code, name)
            for pk, code, name in Organisation.objects.filter(type="region")
            .order_by("pk")
            .values_list("pk", "code", "name")
        }
        self.trusts = list(
            Organisation.objects.filter(type="trust")
            .order_by("pk")
            .values_list("pk", "code", "name", "region_id", "oversight_segment", "cqc_rating", "sector")
        )
        self.sector_of = dict(Organisation.objects.values_list("pk", "sector"))
        self.candidates: list[Candidate] = []
        self.pools: dict[tuple[int, str], int] = {}
        self.members: dict[tuple[int, str], list[Candidate]] = {}
        self.standards = self._standard_codes()
        self.vacancy_seq: dict[str, int] = {}
        self.pending_recruitment: list[tuple] = []

    # -- who decides ------------------------------------------------------------------------------------------

    def hr_for(self, organisation: int) -> int:
        return self.users["org_hr"] if organisation == self.trust.pk else self.users["national_admin"]

    def talent_for(self, region: int) -> int:
        return self.users["regional_talent"] if region == self.region.pk else self.users["national_admin"]

    @staticmethod
    def _standard_codes() -> list[str]:
        from carelead.standards.models import Standard

        return list(
            Standard.objects.filter(domain__framework__code="CLMS", domain__framework__status="published")
            .order_by("domain__order", "order", "code")
            .values_list("code", flat=True)
        )

    def _day(self, back_from: int, back_to: int) -> date:
        return self.today - timedelta(days=self.rnd.randint(back_to, back_from))

    # -- talent conversations -----------------------------------------------------------------------------------

    def conversations(self) -> None:
        rnd = self.rnd
        managers = [Level.FIRST_LINE, Level.MIDDLE, Level.SENIOR, Level.EXECUTIVE]
        personas = {self.persona_staff.pk, self.persona_manager.pk}
        # managers, staff in bands 6 and 7 (offered a conversation each year), and the personas
        people = (
            Person.objects.filter(
                Q(level__in=managers) | Q(level=Level.STAFF, pay_band__in=["6", "7"]) | Q(pk__in=personas),
                end_date__isnull=True,
                bank=False,
            )
            .order_by("pk")
            .values_list("pk", "organisation_id", "organisation__region_id", "line_manager_id", "level")
        )
        for pk, org, region, manager, level in people.iterator(chunk_size=CHUNK):
            if pk not in personas and rnd.random() > (0.45 if level != Level.STAFF else 0.2):
                continue
            readiness = rnd.choices(["ready_now", "1_2_years", "3_plus_years"], [0.25, 0.45, 0.3])[0]
            growth = rnd.choices(["low", "medium", "high"], [0.2, 0.45, 0.35])[0]
            if pk == self.persona_manager.pk:
                readiness, growth = "ready_now", "high"
            if pk == self.persona_staff.pk:
                readiness, growth = "1_2_years", "high"
            regions = [self.regions[region][0]] if region in self.regions else []
            if rnd.random() < 0.35:
                regions += [code for code, _ in rnd.sample(list(self.regions.values()), k=min(2, len(self.regions)))]
            regions = sorted(set(regions))
            sectors = [self.sector_of[org]] + (
                ["social_care" if self.sector_of[org] == "nhs" else "nhs"] if rnd.random() < 0.2 else []
            )
            held_on = self._day(700, 5)
            self.t_conversation.add(
                (
                    pk,
                    manager,
                    "" if manager else "Regional coaching scheme",
                    held_on,
                    rnd.choices(["low", "medium", "high"], [0.15, 0.55, 0.3])[0],
                    growth,
                    rnd.choice(["depth", "breadth", "stretch"]) if growth != "high" else "stretch",
                    readiness,
                    json.dumps(regions),
                    json.dumps(sectors),
                    rnd.choice(ASPIRATIONS),
                    rnd.choice(PLANS),
                    "I agree with what we recorded." if rnd.random() < 0.3 else "",
                    self.hr_for(org),
                )
            )
            if level != Level.EXECUTIVE and region in self.regions and growth != "low":
                self.candidates.append(Candidate(pk, org, region, level, readiness, growth, held_on))
            if len(self.t_conversation.rows) >= CHUNK:
                self.sink.flush()

    # -- regional talent pools ----------------------------------------------------------------------------------

    def pool_memberships(self) -> None:
        rnd = self.rnd
        for region, (_, name) in self.regions.items():
            for level in POOL_LEVELS:
                self.pools[(region, level)] = self.t_pool.next_id
                label = Level(level).label.lower()
                self.t_pool.add(
                    (
                        region,
                        level,
                        f"{name} {label} talent pool",
                        f"People across {name} ready, or getting ready, for {label} roles.",
                        24,
                    )
                )
        for c in self.candidates:
            persona = c.person in (self.persona_staff.pk, self.persona_manager.pk)
            if not persona and (c.readiness == "3_plus_years" or rnd.random() > 0.6):
                continue
            target = LEVEL_ORDER[LEVEL_ORDER.index(c.level) + 1]
            nominated_on = min(c.held_on + timedelta(days=rnd.randint(3, 30)), self.today)
            status = rnd.choices(["approved", "nominated", "declined", "withdrawn"], [0.7, 0.14, 0.11, 0.05])[0]
            if c.person == self.persona_staff.pk:
                status, nominated_on = "nominated", self.today - timedelta(days=6)
            elif c.person == self.persona_manager.pk:
                status, nominated_on = "approved", self.today - timedelta(days=200)
            decided_on = expires_on = None
            reason, renewals = "", 0
            if status != "nominated":
                decided_on = min(nominated_on + timedelta(days=rnd.randint(5, 40)), self.today)
                reason = {
                    "approved": "Strong, consistent evidence; approved by the regional talent panel.",
                    "declined": rnd.choice(DECLINE_REASONS),
                    "withdrawn": "Withdrawn at the person's request.",
                }[status]
            if status == "approved":
                expires_on = decided_on + timedelta(days=730)
                if expires_on < self.today and rnd.random() < 0.4:
                    expires_on, renewals = expires_on + timedelta(days=365), 1
                if expires_on >= self.today:
                    self.members.setdefault((c.region, target), []).append(c)
            self.t_membership.add(
                (
                    self.pools[(c.region, target)],
                    c.person,
                    status,
                    self.hr_for(c.organisation),
                    nominated_on,
                    rnd.choice(NOMINATION_REASONS),
                    self.talent_for(c.region) if decided_on else None,
                    decided_on,
                    reason,
                    expires_on,
                    renewals,
                )
            )

    # -- succession plans ---------------------------------------------------------------------------------------

    def succession(self) -> None:
        rnd = self.rnd
        senior_regions = {self.region.pk}
        rows = (
            Person.objects.filter(
                end_date__isnull=True, bank=False, organisation__type="trust", level__in=[Level.SENIOR, Level.EXECUTIVE]
            )
            .order_by("organisation_id", "-level", "pk")
            .values_list("pk", "organisation_id", "organisation__region_id", "level", "job_title", "staff_id")
        )
        by_org: dict[int, list[tuple]] = {}
        for row in rows.iterator(chunk_size=CHUNK):
            by_org.setdefault(row[1], []).append(row)
        for org, people in by_org.items():
            seniors = [p for p in people if p[3] == Level.SENIOR]
            executives = [p for p in people if p[3] == Level.EXECUTIVE][:10]
            roles = executives + (seniors[:6] if people[0][2] in senior_regions else [])
            titles: set[str] = set()
            for pk, _, region, level, job_title, staff_id in roles:
                title = job_title or f"{Level(level).label} role"
                if title in titles:
                    title = f"{title} ({staff_id})"
                titles.add(title)
                plan = self.t_plan.next_id
                self.t_plan.add(
                    (
                        org,
                        title,
                        level,
                        pk,
                        True,
                        "",
                        self._day(60, -300),
                        self.hr_for(org),
                    )
                )
                inside = [p for p in seniors if p[0] != pk]
                chosen = rnd.sample(inside, k=min(len(inside), rnd.choice([0, 1, 1, 2, 2, 3])))
                from_pool = self.members.get((region, level), [])
                chosen_pool = rnd.sample(from_pool, k=min(len(from_pool), rnd.choice([0, 0, 1, 2])))
                seen: set[int] = set()
                rank = 0
                emergency_given = False
                for source, person in [("internal", p[0]) for p in chosen] + [("pool", c.person) for c in chosen_pool]:
                    if person in seen:
                        continue
                    seen.add(person)
                    rank += 1
                    readiness = rnd.choices(["ready_now", "1_2_years", "3_plus_years"], [0.35, 0.45, 0.2])[0]
                    emergency = not emergency_given and readiness == "ready_now" and rnd.random() < 0.7
                    emergency_given = emergency_given or emergency
                    self.t_candidate.add((plan, person, source, readiness, rank, emergency, ""))
            if self.sink.pending >= CHUNK:
                self.sink.flush()

    # -- challenged organisations: status history ---------------------------------------------------------------

    def status_history(self) -> dict[int, list[tuple[date, int | None, str]]]:
        """Quarterly-ish changes over three years ending at each trust's current values; returns the history."""
        rnd = self.rnd
        ratings = ["outstanding", "good", "requires_improvement", "inadequate"]
        histories: dict[int, list[tuple[date, int | None, str]]] = {}
        start = date(self.today.year - 3, 4, 1)
        for pk, _, _, _, segment, rating, _ in self.trusts:
            entries = [(start, segment, rating)]
            changes = rnd.choice([0, 1, 1, 2, 3])
            seg, rat = segment, rating
            days = sorted(rnd.sample(range(90, (self.today - start).days), k=changes))
            for offset in reversed(days):
                # walking back in time: the earlier value differs by one step
                if seg is not None and rnd.random() < 0.7:
                    seg = max(1, min(5, seg + rnd.choice([-1, 1, 1])))
                elif rat:
                    rat = ratings[max(0, min(3, ratings.index(rat) + rnd.choice([-1, 1])))]
                entries.append((start + timedelta(days=offset), seg, rat))
            # entries[0] holds today's values; the rest, latest first, hold what came before each change
            history = self._history(start, days, entries)
            histories[pk] = history
            for effective_on, seg_value, rat_value in history:
                challenged = is_challenged(oversight_segment=seg_value, cqc_rating=rat_value)
                self.t_status.add(
                    (
                        pk,
                        effective_on,
                        seg_value,
                        rat_value,
                        challenged,
                        "From the published segmentation.",
                        None,
                    )
                )
        # Every other organisation with a segment or rating: one row, from the start of the history.
        others = (
            Organisation.objects.exclude(type="trust")
            .exclude(oversight_segment__isnull=True, cqc_rating="")
            .order_by("pk")
            .values_list("pk", "oversight_segment", "cqc_rating")
        )
        for pk, segment, rating in others.iterator(chunk_size=CHUNK):
            challenged = is_challenged(oversight_segment=segment, cqc_rating=rating)
            self.t_status.add((pk, start, segment, rating, challenged, "From the published ratings.", None))
        return histories

    @staticmethod
    def _history(start: date, days: list[int], entries: list[tuple[date, int | None, str]]):
        current = entries[0]
        earlier = entries[1:]  # values before each change, latest change first
        dates = [start + timedelta(days=d) for d in days]
        if not dates:
            return [(start, current[1], current[2])]
        values = [*reversed([(e[1], e[2]) for e in earlier]), (current[1], current[2])]
        starts = [start, *dates]
        return [(starts[i], values[i][0], values[i][1]) for i in range(len(starts))]

    # -- vacancies --------------------------------------------------------------------------------------------------

    def _reference(self, code: str, year: int) -> str:
        key = f"{code}-{year}"
        self.vacancy_seq[key] = self.vacancy_seq.get(key, 0) + 1
        return f"VAC-{code}-{year}-{self.vacancy_seq[key]:04d}"

    def vacancies(self, histories) -> None:
        rnd = self.rnd
        trust_people = {}
        for pk, org, level in (
            Person.objects.filter(
                end_date__isnull=True, bank=False, organisation__type="trust", level__in=LEVEL_ORDER[1:]
            )
            .order_by("pk")
            .values_list("pk", "organisation_id", "level")
            .iterator(chunk_size=CHUNK)
        ):
            trust_people.setdefault((org, level), []).append(pk)
        for trust_pk, code, name, region, segment, rating, _ in self.trusts:
            in_region = region == self.region.pk
            is_persona = trust_pk == self.trust.pk
            challenged = is_challenged(oversight_segment=segment, cqc_rating=rating)
            stages: list[tuple[str, str]] = []
            if is_persona:
                stages = [
                    ("draft", Level.MIDDLE),
                    ("open", Level.SENIOR),
                    ("open", Level.MIDDLE),
                    ("shortlisting", Level.MIDDLE),
                    ("interviewing", Level.SENIOR),
                    ("filled", Level.MIDDLE),
                    ("withdrawn", Level.FIRST_LINE),
                ]
            if challenged and (in_region or rnd.random() < 0.5):
                stages.append(("open", Level.EXECUTIVE))
            if in_region and not is_persona and rnd.random() < 0.5:
                stages.append((rnd.choice(["open", "shortlisting", "interviewing"]), rnd.choice(LEVEL_ORDER[2:])))
            # Appointments in the last three years where the organisation was challenged at the time.
            was_challenged = [
                d for d, s, r in histories.get(trust_pk, []) if is_challenged(oversight_segment=s, cqc_rating=r)
            ]
            if was_challenged and (in_region or rnd.random() < 0.3):
                stages.append(("filled_challenged", Level.EXECUTIVE))
            for stage, level in stages:
                self._vacancy(stage, level, trust_pk, code, name, region, trust_people, challenged, was_challenged)
            if self.sink.pending >= CHUNK:
                self.sink.flush()
        self._write_recruitment()

    def _vacancy(self, stage, level, trust_pk, code, name, region, trust_people, challenged, was_challenged):
        rnd = self.rnd
        if stage == "filled_challenged":
            opens_on = max(was_challenged[0], self.today - timedelta(days=900))
            opens_on = min(opens_on, self.today - timedelta(days=200))
            closes_on = opens_on + timedelta(days=28)
            status = "filled"
        elif stage in ("draft", "open"):
            opens_on = None if stage == "draft" else self.today - timedelta(days=rnd.randint(3, 20))
            closes_on = self.today + timedelta(days=rnd.randint(10, 35))
            status = stage
        else:
            opens_on = self.today - timedelta(days=rnd.randint(40, 120))
            closes_on = opens_on + timedelta(days=28)
            status = stage
        title = LEVEL_TITLES[level] if level != Level.EXECUTIVE else "Chief executive"
        required = (
            self.standards[:15]
            if level == Level.EXECUTIVE
            else rnd.sample(self.standards, k=min(8, len(self.standards)))
        )
        vacancy = self.t_vacancy.next_id
        reference = self._reference(code, (opens_on or self.today).year)
        # applicants: pool members at this level in the region, and people already at the level in the trust
        applicants: list[tuple[int, str]] = []
        if status != "draft":
            pool = self.members.get((region, level), [])
            applicants += [(c.person, "applied") for c in rnd.sample(pool, k=min(len(pool), rnd.randint(2, 5)))]
            if (
                trust_pk == self.trust.pk
                and level == LEVEL_ORDER[LEVEL_ORDER.index(self.persona_manager.level) + 1]
                and status == "open"
            ):
                applicants.append((self.persona_manager.pk, "applied"))
            inside = trust_people.get((trust_pk, level), [])
            applicants += [(p, "applied") for p in rnd.sample(inside, k=min(len(inside), rnd.randint(1, 3)))]
        seen, unique = set(), []
        for person, source in applicants:
            if person not in seen:
                seen.add(person)
                unique.append((person, source))
        appointed = None
        filled_on = None
        if status == "filled":
            internal = [p for p, _ in unique if p in set(trust_people.get((trust_pk, level), []))]
            if not internal:
                internal = trust_people.get((trust_pk, level), [])[:1]
                if internal:
                    unique.append((internal[0], "applied"))
            if not internal:
                status, appointed = "interviewing", None
            else:
                appointed = internal[0]
                filled_on = closes_on + timedelta(days=rnd.randint(30, 120))
        self.t_vacancy.add(
            (
                reference,
                title,
                trust_pk,
                level,
                name.split(" NHS")[0].replace(" Hospitals", "").replace(" University", ""),
                f"{title} at {name}. " + (CHALLENGED_TEXT if challenged or stage == "filled_challenged" else ROLE_TEXT),
                json.dumps(required),
                opens_on,
                closes_on,
                status,
                None,
                appointed,
                filled_on,
                "The service is being redesigned; the role will be advertised again in the spring."
                if status == "withdrawn"
                else "",
                self.hr_for(trust_pk),
            )
        )
        if level == Level.EXECUTIVE and (challenged or stage == "filled_challenged"):
            approved = stage == "filled_challenged" or rnd.random() < 0.7
            self.t_package.add(
                (
                    vacancy,
                    "15.0" if approved else "12.5",
                    45000,
                    "10.0" if rnd.random() < 0.5 else "5.0",
                    True,
                    True,
                    True,
                    rnd.choice([0, 8000, 12000]),
                    rnd.random() < 0.6,
                    "Two years of improvement-team support and a named mentor who has led a turnaround.",
                    "approved" if approved else "proposed",
                    self.hr_for(trust_pk),
                    self.talent_for(region) if approved else None,
                    (opens_on or self.today) if approved else None,
                    "Within the national limits; the organisation's recovery plan needs this role filled."
                    if approved
                    else "",
                )
            )
        decided_by = self.hr_for(trust_pk)
        for person, source in unique:
            application = self.t_application.next_id
            applied_on = (opens_on or self.today) + timedelta(days=rnd.randint(0, 10))
            applied_on = min(applied_on, self.today)
            outcome = "applied"
            trail: list[str] = []
            if status in ("shortlisting", "interviewing", "filled"):
                short = person == appointed or rnd.random() < 0.6
                trail.append("shortlisted" if short else "not_shortlisted")
                if short and status in ("interviewing", "filled"):
                    trail.append("interviewed")
                    if status == "filled":
                        trail.append("appointed" if person == appointed else "not_appointed")
                outcome = trail[-1]
            if status == "withdrawn":
                outcome = "withdrawn"
            self.t_application.add(
                (vacancy, person, source, outcome, applied_on, "I have led a service through a change of this size.")
            )
            at = connection.ops.adapt_datetimefield_value(
                timezone.make_aware(datetime.combine(min(closes_on + timedelta(days=3), self.today), time(10)))
            )
            for step in trail:
                self.t_decision.add((application, step, SHORTLIST_REASONS[step], decided_by, at))
            if trail:
                day = (
                    filled_on
                    if appointed and "appointed" in trail[-1:]
                    else min(closes_on + timedelta(days=3), self.today)
                )
                self.pending_recruitment.append(
                    (
                        f"CL-{application}",
                        reference,
                        trust_pk,
                        day,
                        "shortlisted" in trail,
                        trail[-1] == "appointed",
                        person,
                        level,
                    )
                )

    def _write_recruitment(self) -> None:
        """The decided applications as recruitment rows, with each applicant's own monitoring answers."""
        people = sorted({row[6] for row in self.pending_recruitment})
        found = {}
        for i in range(0, len(people), 5000):
            found.update(
                {
                    row[0]: row[1:]
                    for row in EqualityMonitoring.objects.filter(person_id__in=people[i : i + 5000]).values_list(
                        "person_id", "ethnic_category", "disability", "sex"
                    )
                }
            )
        for key, reference, org, day, shortlisted, appointed, person, level in self.pending_recruitment:
            ethnic, disability, sex = found.get(person, ("", "U", ""))
            self.t_recruitment.add((key, reference, org, day, shortlisted, appointed, ethnic, disability, sex, level))

    # -- everything -----------------------------------------------------------------------------------------------

    def run(self) -> dict[str, int]:
        postgres = connection.vendor == "postgresql"
        if postgres:
            # Foreign keys checked per statement, so the indexes set aside can be rebuilt (as the main load does).
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        self.conversations()
        self.pool_memberships()
        self.sink.flush()
        self.succession()
        histories = self.status_history()
        self.sink.flush()
        self.vacancies(histories)
        self.sink.flush()
        self.sink.finish()
        self.sink.analyze()
        if postgres:
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        return {t.model._meta.label: t.count for t in self.sink.tables}


def talent_create(*, seed: int, trust, region, persona_staff, persona_manager, users: dict[str, int]) -> dict[str, int]:
    """Write the careers and talent demo data; returns rows written per model."""
    demo = TalentDemo(
        seed=seed,
        trust=trust,
        region=region,
        persona_staff=persona_staff,
        persona_manager=persona_manager,
        users=users,
    )
    return demo.run()
