"""Boards' terms of office, the NED candidate pool and the fit and proper person test, for the demo.

Terms follow each seat's start date and the tenure rule the board services enforce: a term lasts at most five
years, the next starts the day after the last ends, any term that takes a member beyond six years in total is
preceded by a rigorous review agreeing to extend (made in the 12 months before the term was recorded), and nobody
serves beyond nine years. A couple of seats per region are left beyond six years with no review, so the board
pages and the terms-ending list have something to flag. Every seat is treated alike, executives included,
because the board pages apply the same terms and tenure rule to every seat.

The fit and proper person tests cover every NHS board, for this financial year (at every stage; a few boards not
started or overdue) and last year (mostly signed off and submitted). An assessment is
signed off only when the sign-off service would allow it, and a year is submitted only when every member in post
is signed off for it.

Rows go in through the demo's Sink (COPY on PostgreSQL, executemany on SQLite) in chunks, with keys numbered here
so the same seed gives the same keys; memory stays bounded by the board seats (a few thousand), never by the
workforce. The barring list goes through its own loader, which checks every row and audits it.
"""

import csv
import json
import random
import tempfile
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils import timezone

from carelead.audit.services import Actor
from carelead.boardappraisals.services import board_framework_current
from carelead.boards.models import (
    MAX_YEARS,
    REVIEW_AFTER_YEARS,
    BoardMember,
    TenureReview,
    Term,
    add_months,
    add_years,
    alert_months,
    term_years,
    years_end,
)
from carelead.core.choices import BoardRole, OrganisationType, Sector
from carelead.demo import catalogue as cat
from carelead.demo.names import NAME_GROUPS
from carelead.demo.sink import Sink
from carelead.demo.workforce import BME, FIRST_NAME_GROUP, SURNAME_GROUP, WHITE
from carelead.fitproper.models import (
    Assessment,
    BarredPerson,
    BoardMemberReference,
    Check,
    CheckKind,
    CheckOutcome,
    DomainConfirmation,
    Submission,
    financial_year_for,
    financial_year_start,
    name_key,
)
from carelead.fitproper.services import BARRING_COLUMNS, barring_load
from carelead.nedpool.models import (
    Candidate,
    CandidateMonitoring,
    CandidateReadiness,
    CandidateSkill,
    CandidateStatus,
    Enrolment,
    Placement,
    RoleInterest,
    skill_choices,
)
from carelead.nedpool.models import add_months as placement_months
from carelead.organisations.models import Organisation

# Rows buffered before they are written: large enough for fast batches, small enough to bound memory.
CHUNK = 20_000
DAY = timedelta(days=1)
# The share of NHS boards, besides the persona trust, that started this year's fit and proper person tests (the
# rest are overdue once the year's due date passes). Last year's are recorded for every NHS board.
FPP_STARTED = 0.9
# Seats left beyond six years with no tenure review, per region, for the pages to flag.
FLAGGED_PER_REGION = 2
# Candidates: at least this many, and this many per NHS board in the load (about 2,000 nationally).
CANDIDATES_MIN = 200
CANDIDATES_PER_BOARD = 8

EXTEND_REASONS = (
    "The board's nominations committee reviewed the member's contribution, independence and the board's skills "
    "mix; the chair of the audit committee is hard to replace during the financial recovery plan.",
    "A rigorous review by the nominations committee with the senior independent director: strong appraisal, "
    "independence confirmed, and continuity needed through the merger of two clinical services.",
    "Reviewed against the board's skills matrix and the member's last two appraisals; the quality committee "
    "needs continuity until the CQC action plan closes.",
)
DO_NOT_EXTEND_REASON = (
    "The nominations committee reviewed the member's tenure and the board's skills mix and agreed that the seat "
    "should be refreshed at the end of the current term; recruitment will start in good time."
)
TERM_NOTES = (
    "Reappointed after a satisfactory annual appraisal.",
    "Appointment confirmed by the council of governors.",
    "Appointed by the regional appointments panel.",
    "Term agreed to keep the board's terms of office staggered.",
)
SHORTENED_NOTE = "Term shortened to bring the board's terms of office back into step."

STATEMENTS = (
    "I have spent my career in local government finance and want to help an NHS board get value for every pound.",
    "As a carer for my mother I have seen health and social care from the other side; I want boards to hear that.",
    "I chair a housing association's audit committee and would like to bring that experience to a health board.",
    "I lead a digital team in a bank and want to help the NHS use data safely to improve care.",
    "After thirty years as a nurse and director of nursing I want to give back as an independent board member.",
    "I run a community charity in one of the most deprived wards in the region and want its voice on a board.",
    "I am a solicitor specialising in employment law and want to support a just and learning culture.",
    "I have led large estates programmes and would like to help a trust plan its buildings for the next decades.",
)
EXPERIENCE = (
    "Trustee of a regional charity for six years, including two as treasurer.",
    "Non-executive director of a housing association; chair of its audit and risk committee.",
    "School governor for eight years, chair of the finance committee.",
    "Lay member of a university council.",
    "Board member of a community interest company providing care at home.",
    "",
    "",
)
TEAM_NOTES = (
    "Strong on finance and audit; would benefit from a NExT Director placement before a first board role.",
    "Impressive interview; clear understanding of the board's role in quality and safety.",
    "Lived experience is a real strength; needs more exposure to governance before a voting role.",
    "Ready now; suggested for the next campaign with a finance gap.",
    "Would be a good fit for a community or mental health trust board.",
)
MENTOR_FALLBACK = "Chair of the host board"

CHECK_NOTES_NA = {
    CheckKind.DBS: "The role is not eligible for a DBS check.",
    CheckKind.REGULATOR: "Holds no professional registration.",
}
CHECK_NOTES_DONE = {
    CheckKind.IDENTITY: "Passport and right to work seen.",
    CheckKind.DBS: "Enhanced certificate seen; nothing disclosed.",
    CheckKind.DISQUALIFIED_DIRECTORS: "Register searched; no entry.",
    CheckKind.INSOLVENCY: "Both registers searched; no entry.",
    CheckKind.REFERENCES: "References received covering the last six years.",
}
CONCERNS = (
    (
        CheckKind.TRIBUNAL,
        "An employment tribunal judgment against a company of which the member was a director in 2021.",
        "The member was not involved in the decision; the chair discussed it with them and is satisfied.",
    ),
    (
        CheckKind.SOCIAL_MEDIA,
        "Posts on a personal account criticising a named colleague at another trust.",
        "Discussed with the member, who removed the posts and apologised; no further action.",
    ),
    (
        CheckKind.REFERENCES,
        "One reference covering 2019 to 2021 could not be obtained: the employer has closed.",
        "A reference from the former chair of that organisation was obtained instead.",
    ),
    (
        CheckKind.INSOLVENCY,
        "A county court judgment for an unpaid debt in 2018 appears on the search.",
        "Satisfied in 2019; the member declared it at appointment. No concern about fitness.",
    ),
)
ATTESTATION = (
    "I declare that I am a fit and proper person to hold this role: none of the categories of unfitness applies to "
    "me, I have told the chair of anything that might call that into question, and I meet each of the board "
    "competency domains below."
)
RESPONSIBILITIES = {
    BoardRole.CHAIR: "Chaired the board and the council of governors; led the board's appraisals.",
    BoardRole.NON_EXECUTIVE: "Chaired the quality committee; member of the audit and risk committee.",
    BoardRole.EXECUTIVE: "Executive lead for a portfolio reporting to the chief executive; member of the board.",
    BoardRole.ASSOCIATE: "Associate non-executive director; member of the people committee.",
}
REFERENCE_CONCERN = (
    "A complaint about the member's conduct at a committee meeting was upheld in part; the member accepted the "
    "finding and completed coaching."
)
REFERENCE_INVESTIGATION = "An investigation into a complaint was open when the member left; its outcome is awaited."
BARRING_SOURCE = "Barring list of senior managers: published file"


@dataclass(slots=True)
class Seat:
    pk: int
    organisation_id: int
    name: str
    role: str
    start: date
    end: date | None
    person_id: int | None
    # Left beyond six years with no tenure review, for the pages to flag.
    flagged: bool = False

    def in_post(self, day: date) -> bool:
        return self.start <= day and (self.end is None or self.end >= day)


@dataclass(slots=True)
class Board:
    pk: int
    code: str
    name: str
    type: str
    sector: str
    region_id: int | None
    seats: list[Seat] = field(default_factory=list)

    def chair_on(self, day: date) -> Seat | None:
        chairs = [s for s in self.seats if s.role == BoardRole.CHAIR and s.in_post(day)]
        return max(chairs, key=lambda s: (s.start, s.pk)) if chairs else None


def _at(day: date, rnd: random.Random) -> datetime:
    """A moment in working hours on ``day``."""
    return timezone.make_aware(datetime.combine(day, time(rnd.randint(9, 16), rnd.randint(0, 59))))


def _between(rnd: random.Random, first: date, last: date) -> date:
    """A day from ``first`` to ``last`` (``first`` when the span is empty)."""
    span = (last - first).days
    return first + timedelta(days=rnd.randint(0, span)) if span > 0 else first


def _ascii(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(c for c in plain.lower() if c.isalnum())


class NedDemo:
    """Writes the NED and fit and proper demo data; ``create`` returns the rows written per model."""

    def __init__(self, *, seed: int, ned_user, trust=None, hr_user=None, chair_user=None) -> None:
        self.rnd = random.Random(f"carelead-demo:{seed}:ned")
        self.today = timezone.localdate()
        self.ned_user = ned_user
        self.hr_user = hr_user
        self.boards: dict[int, Board] = {}
        for pk, code, name, type_, sector, region_id in (
            Organisation.objects.exclude(type__in=(OrganisationType.NATIONAL, OrganisationType.REGION))
            .filter(board_members__isnull=False)
            .distinct()
            .order_by("code")
            .values_list("pk", "code", "name", "type", "sector", "region_id")
        ):
            self.boards[pk] = Board(pk, code, name, type_, sector, region_id)
        for row in BoardMember.objects.order_by("organisation_id", "pk").values_list(
            "pk", "organisation_id", "name", "role", "start_date", "end_date", "person_id"
        ):
            board = self.boards.get(row[1])
            if board is not None:
                board.seats.append(Seat(*row))
        self.nhs_boards = [
            b
            for b in sorted(self.boards.values(), key=lambda b: b.code)
            if b.sector == Sector.NHS and b.type in (OrganisationType.TRUST, OrganisationType.ICB)
        ]
        if trust is None and self.nhs_boards:
            trust = next((b for b in self.nhs_boards if b.type == OrganisationType.TRUST), self.nhs_boards[0])
        self.trust_id = getattr(trust, "pk", None)
        self.regions = list(
            Organisation.objects.filter(type=OrganisationType.REGION).order_by("code").values_list("pk", "code")
        )
        # Chairs who sign in to CareLead sign off their board's other members in person.
        chair_people = {s.person_id for b in self.boards.values() for s in b.seats if s.role == BoardRole.CHAIR}
        chair_people.discard(None)
        self.user_of_person = dict(
            get_user_model()
            .objects.filter(person_id__in=chair_people, is_active=True)
            .order_by("pk")
            .values_list("person_id", "pk")
        )
        if chair_user is not None:
            if chair_user.person_id not in chair_people:
                raise ValueError("chair_user must be linked to the staff record of a board's chair")
            self.user_of_person[chair_user.person_id] = chair_user.pk

    def _tables(self) -> None:
        """The tables written through the sink, parents before children."""
        sink = self.sink = Sink(connection)
        self.t_term = sink.table(Term, ["member", "number", "starts_on", "ends_on", "notes", "created_by"])
        self.t_review = sink.table(TenureReview, ["member", "reviewed_on", "outcome", "reason", "by", "recorded_at"])
        self.t_candidate = sink.table(
            Candidate,
            [
                "id",
                "name",
                "email",
                "phone",
                "sector_nhs",
                "sector_social_care",
                "roles",
                "statement",
                "board_experience",
                "consented_at",
                "repeat_registrations",
                "last_repeat_at",
                "status",
                "readiness",
                "notes",
                "assessed_on",
                "admitted_on",
                "created_at",
            ],
        )
        self.t_candidate_region = sink.table(Candidate.regions.through, ["candidate", "organisation"])
        self.t_skill = sink.table(CandidateSkill, ["candidate", "skill", "validated"])
        self.t_monitoring = sink.table(CandidateMonitoring, ["candidate", "sex", "ethnic_category", "disability"])
        self.t_placement = sink.table(Placement, ["candidate", "host", "starts_on", "ends_on", "mentor_name", "status"])
        self.t_enrolment = sink.table(Enrolment, ["candidate", "cohort_name", "starts_on", "status"])
        self.t_assessment = sink.table(
            Assessment,
            [
                "id",
                "member",
                "organisation",
                "year",
                "attestation_text",
                "attested_on",
                "attestation_recorded_by",
                "signed_off_by",
                "signed_off_at",
                "signed_off_as",
                "signed_off_for",
                "created_by",
            ],
        )
        self.t_check = sink.table(
            Check,
            [
                "assessment",
                "kind",
                "outcome",
                "checked_on",
                "checked_by",
                "notes",
                "resolution",
                "resolved_on",
                "resolved_by",
            ],
        )
        self.t_confirmation = sink.table(DomainConfirmation, ["assessment", "domain"])
        self.t_submission = sink.table(
            Submission, ["organisation", "year", "member_count", "submitted_by", "submitted_at"]
        )
        self.t_reference = sink.table(
            BoardMemberReference,
            [
                "member",
                "organisation",
                "role_held",
                "served_from",
                "served_to",
                "responsibilities",
                "concerns",
                "investigations",
                "written_by",
                "written_by_name",
                "written_on",
            ],
        )

    def _moment(self, day: date) -> object:
        """A moment in working hours on ``day``, as the database takes it."""
        return connection.ops.adapt_datetimefield_value(_at(day, self.rnd))

    def _flush_if_full(self) -> None:
        if self.sink.pending >= CHUNK:
            self.sink.flush()

    def create(self) -> dict[str, int]:
        postgres = connection.vendor == "postgresql"
        if postgres:
            # Foreign keys checked per statement, so the indexes the sink set aside can be rebuilt (as the main
            # load does).
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        self.seats_end_at_limit()
        self._tables()
        self.terms()
        self.candidates()
        self.fit_and_proper()
        self.sink.flush()
        self.sink.finish()
        self.sink.analyze()
        if postgres:
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        counts = {t.model._meta.label: t.count for t in self.sink.tables}
        counts[BarredPerson._meta.label] = self.barring_list()
        return counts

    # Terms of office ----------------------------------------------------------------------------------------------

    def seats_end_at_limit(self) -> None:
        """Nobody serves beyond nine years: a seat whose limit passed before today ended on its last day."""
        ended = []
        for board in self.boards.values():
            for seat in board.seats:
                limit = years_end(seat.start, MAX_YEARS)
                if (seat.end is None or seat.end > limit) and limit < self.today:
                    seat.end = limit
                    ended.append(BoardMember(pk=seat.pk, end_date=limit))
        BoardMember.objects.bulk_update(ended, ["end_date"], batch_size=CHUNK)

    def _review(self, seat: Seat, *, recorded: date, reviewed: date, outcome: str, reason: str) -> tuple:
        return (seat.pk, reviewed.isoformat(), outcome, reason, self.ned_user.pk, self._moment(recorded))

    def _plan(self, seat: Seat) -> tuple[list[list], list[tuple]]:
        """The seat's terms, first to current, as [number, starts_on, ends_on, note], and its tenure reviews."""
        rnd, today = self.rnd, self.today
        six, limit = years_end(seat.start, REVIEW_AFTER_YEARS), years_end(seat.start, MAX_YEARS)
        first = 4 if rnd.random() < 0.2 else 3
        terms: list[list] = []
        reviews: list[tuple] = []
        cur, number = seat.start, 1
        while True:
            if number == 1:
                length = first
            elif number == 2:
                length = 2 if first == 4 or rnd.random() < 0.1 else 3
            else:
                length = 3
            end = min(years_end(cur, length), limit)
            if end > six and not seat.flagged:
                # The review agreeing to extend came first, within the 12 months before the term was recorded.
                recorded = min(cur - timedelta(days=rnd.randint(0, 30)), today)
                reviewed = recorded - timedelta(days=rnd.randint(0, 240))
                reviews.append(
                    self._review(
                        seat,
                        recorded=recorded,
                        reviewed=max(reviewed, seat.start),
                        outcome=TenureReview.Outcome.EXTEND,
                        reason=rnd.choice(EXTEND_REASONS),
                    )
                )
            note = rnd.choice(TERM_NOTES) if number > 1 and rnd.random() < 0.4 else ""
            terms.append([number, cur, end, note])
            if end >= today or end >= limit:
                break
            cur, number = end + DAY, number + 1
        return terms, reviews

    def _pick_flagged(self) -> None:
        """A couple of non-executive seats per region beyond six years, left with no review for the pages to flag."""
        by_region: dict[int | None, list[Seat]] = defaultdict(list)
        for board in sorted(self.boards.values(), key=lambda b: b.code):
            for seat in board.seats:
                if (
                    seat.role != BoardRole.EXECUTIVE
                    and seat.in_post(self.today)
                    and years_end(seat.start, REVIEW_AFTER_YEARS) < self.today
                ):
                    by_region[board.region_id].append(seat)
        for region_id in sorted(by_region, key=lambda r: r or 0):
            seats = by_region[region_id]
            for seat in self.rnd.sample(seats, min(FLAGGED_PER_REGION, len(seats))):
                seat.flagged = True

    def terms(self) -> None:
        """Terms for every seat held today, tenure reviews where the rule needs them, and a few ahead of time."""
        self._pick_flagged()
        today = self.today
        soon = add_months(today, alert_months())
        for board in sorted(self.boards.values(), key=lambda b: b.code):
            plans = []
            for seat in board.seats:
                if not seat.in_post(today) and seat.start <= today:
                    continue  # former members keep the term the pages assume for them
                plan, seat_reviews = self._plan(seat)
                plans.append((seat, plan, seat_reviews))
            self._one_ending_soon(plans, soon)
            for seat, plan, seat_reviews in plans:
                ends_on = plan[-1][2]
                six = years_end(seat.start, REVIEW_AFTER_YEARS)
                next_end = years_end(ends_on + DAY, term_years())
                # Some seats whose term ends soon, and whose next term needs a review, have had it already.
                if (
                    today <= ends_on <= soon
                    and ends_on <= six < next_end <= years_end(seat.start, MAX_YEARS)
                    and self.rnd.random() < 0.5
                ):
                    extend = self.rnd.random() < 0.75
                    day = today - timedelta(days=self.rnd.randint(5, 90))
                    seat_reviews.append(
                        self._review(
                            seat,
                            recorded=day,
                            reviewed=max(day, seat.start),
                            outcome=TenureReview.Outcome.EXTEND if extend else TenureReview.Outcome.DO_NOT_EXTEND,
                            reason=self.rnd.choice(EXTEND_REASONS) if extend else DO_NOT_EXTEND_REASON,
                        )
                    )
                for n, starts, ends, note in plan:
                    self.t_term.add((seat.pk, n, starts.isoformat(), ends.isoformat(), note, self.ned_user.pk))
                for review in seat_reviews:
                    self.t_review.add(review)
            self._flush_if_full()

    def _one_ending_soon(self, plans: list, soon: date) -> None:
        """A board of five or more seats has at least one term ending within the alert period: when none does, a
        current term is shortened to end in it (shortening never takes a term past six years or nine)."""
        if len(plans) < 5:
            return
        today = self.today
        if any(today <= plan[-1][2] <= soon for _, plan, _ in plans):
            return
        for _, plan, _ in self.rnd.sample(plans, len(plans)):
            current = plan[-1]
            first = max(today, add_years(current[1], 1))
            last = min(soon, current[2] - DAY)
            if first <= last:
                current[2] = _between(self.rnd, first, last)
                current[3] = SHORTENED_NOTE
                return

    # The candidate pool -------------------------------------------------------------------------------------------

    def _candidate_count(self) -> int:
        return max(CANDIDATES_MIN, CANDIDATES_PER_BOARD * len(self.nhs_boards))

    def _cohorts(self) -> list[tuple[str, date]]:
        """The aspiring chair programme's cohorts: every spring and autumn of the last three years, and the next."""
        cohorts = []
        for year in range(self.today.year - 3, self.today.year + 1):
            for month, season in ((3, "Spring"), (9, "Autumn")):
                starts = date(year, month, 2)
                if starts <= add_months(self.today, 4):
                    cohorts.append((f"{season} {year}", starts))
        return cohorts

    def candidates(self) -> None:
        """Candidates across regions, sectors, roles, statuses and readiness, with skills, monitoring answers
        (most of them), NExT Director placements and places on the aspiring chair programme."""
        if not self.regions:
            return
        rnd, today = self.rnd, self.today
        shares = {code: share for code, _, _, _, share in cat.REGIONS}
        weights = [1 + sum(1 for b in self.nhs_boards if b.region_id == pk) for pk, _ in self.regions]
        hosts: dict[int, list[Board]] = defaultdict(list)
        for board in self.nhs_boards:
            hosts[board.region_id].append(board)
        every_host = list(self.nhs_boards)
        skills = [code for code, _ in skill_choices()]
        skill_weights = [3 if code in ("finance", "clinical", "audit_risk") else 2 for code in skills]
        cohorts = self._cohorts()
        for n in range(1, self._candidate_count() + 1):
            region_pk, region_code = rnd.choices(self.regions, weights)[0]
            regions = {region_pk}
            if len(self.regions) > 1 and rnd.random() < 0.3:
                regions.add(rnd.choice(self.regions)[0])
            # Who they are: a name that goes with their ethnicity, as in the workforce.
            r = rnd.random()
            bme_share = min(0.6, shares.get(region_code, 0.2) * 0.9 + 0.08)
            latent = BME(rnd.random) if r < bme_share else WHITE(rnd.random)
            sex = "F" if rnd.random() < 0.52 else "M"
            first_names = NAME_GROUPS[FIRST_NAME_GROUP[latent](rnd.random)]
            first = rnd.choice(first_names[0] if sex == "F" else first_names[1])
            last = rnd.choice(NAME_GROUPS[SURNAME_GROUP[latent](rnd.random)][2])
            disabled = rnd.random() < 0.11
            monitoring = None
            if rnd.random() < 0.85:
                reported_sex = sex if rnd.random() > 0.03 else ("X" if rnd.random() < 0.2 else "U")
                r = rnd.random()
                ethnic = latent if r > 0.08 else ("Z" if r > 0.02 else "")
                r = rnd.random()
                disability = "U" if r < 0.06 else ("Y" if disabled else "N")
                monitoring = (reported_sex, ethnic, disability)
            under_represented = latent not in ("A", "B", "C") or disabled
            # What they asked for.
            roles = [RoleInterest.NON_EXECUTIVE] if rnd.random() < 0.88 else []
            if rnd.random() < 0.22:
                roles.append(RoleInterest.CHAIR)
            if rnd.random() < 0.25 or not roles:
                roles.append(RoleInterest.ASSOCIATE)
            nhs = rnd.random() < 0.85
            social_care = rnd.random() < 0.35 or not nhs
            declared = sorted(set(rnd.choices(skills, skill_weights, k=rnd.randint(1, 4))))
            registered = today - timedelta(days=rnd.randint(3, 3 * 365))
            # How far the team has taken them.
            status, readiness, assessed, admitted, validated, notes = self._assessment(
                registered, declared, RoleInterest.CHAIR in roles
            )
            placement = enrolment = None
            if status == CandidateStatus.IN_POOL and every_host and under_represented and rnd.random() < 0.35:
                placement = self._placement(admitted, hosts.get(region_pk) or every_host)
                if placement[2] in (Placement.Status.PLANNED, Placement.Status.ACTIVE):
                    status = CandidateStatus.PLACED
                    readiness = readiness or CandidateReadiness.ONE_TO_TWO_YEARS
            if (
                status in (CandidateStatus.IN_POOL, CandidateStatus.PLACED)
                and RoleInterest.CHAIR in roles
                and readiness in (CandidateReadiness.READY_CHAIR, CandidateReadiness.ONE_TO_TWO_YEARS)
                and rnd.random() < 0.6
            ):
                enrolment = self._enrolment(admitted, cohorts)
            pk = self.t_candidate.allocate()
            # Registration is when they registered and agreed to how their details are used.
            consented = self._moment(registered)
            repeats = 1 if rnd.random() < 0.03 else 0
            self.t_candidate.add(
                (
                    pk,
                    f"{first} {last}",
                    f"{_ascii(first)}.{_ascii(last)}.{n}@example.org",
                    f"07700 900{rnd.randint(0, 999):03d}" if rnd.random() < 0.7 else "",
                    nhs,
                    social_care,
                    json.dumps([code for code in RoleInterest.values if code in roles]),
                    rnd.choice(STATEMENTS),
                    rnd.choice(EXPERIENCE),
                    consented,
                    repeats,
                    self._moment(_between(rnd, registered, today)) if repeats else None,
                    status,
                    readiness,
                    notes,
                    assessed.isoformat() if assessed else None,
                    admitted.isoformat() if admitted else None,
                    consented,
                )
            )
            for region in sorted(regions):
                self.t_candidate_region.add((pk, region))
            for code in declared:
                self.t_skill.add((pk, code, False))
            for code in validated:
                self.t_skill.add((pk, code, True))
            if monitoring is not None:
                self.t_monitoring.add((pk, *monitoring))
            if placement is not None:
                host, starts, placement_status, ends, mentor = placement
                self.t_placement.add((pk, host.pk, starts.isoformat(), ends.isoformat(), mentor, placement_status))
            if enrolment is not None:
                cohort, starts, enrolment_status = enrolment
                self.t_enrolment.add((pk, cohort, starts.isoformat(), enrolment_status))
            self._flush_if_full()

    def _assessment(self, registered: date, declared: list[str], chair: bool):
        """Status, readiness, assessed and admitted dates, validated skills and notes of one candidate."""
        rnd, today = self.rnd, self.today
        assessed = registered + timedelta(days=rnd.randint(20, 150))
        r = rnd.random()
        if assessed > today or r < 0.2:
            withdrawn = rnd.random() < 0.08
            return (CandidateStatus.WITHDRAWN if withdrawn else CandidateStatus.REGISTERED), "", None, None, [], ""
        validated = sorted(rnd.sample(declared, rnd.randint(1, len(declared)))) if rnd.random() < 0.8 else []
        notes = rnd.choice(TEAM_NOTES)
        if r < 0.45:
            status = CandidateStatus.ASSESSED
            readiness = rnd.choices(
                [CandidateReadiness.READY_NED, CandidateReadiness.ONE_TO_TWO_YEARS, CandidateReadiness.NOT_YET],
                [3, 4, 3],
            )[0]
            return status, readiness, assessed, None, validated, notes
        admitted = min(today, assessed + timedelta(days=rnd.randint(0, 60)))
        if r < 0.52:
            # Withdrew after being admitted: the record keeps what the team found.
            readiness = rnd.choice([CandidateReadiness.READY_NED, CandidateReadiness.ONE_TO_TWO_YEARS])
            return CandidateStatus.WITHDRAWN, readiness, assessed, admitted, validated, notes
        choices = [CandidateReadiness.READY_NED, CandidateReadiness.ONE_TO_TWO_YEARS]
        weights = [5, 4]
        if chair:
            choices.append(CandidateReadiness.READY_CHAIR)
            weights.append(3)
        readiness = rnd.choices(choices, weights)[0]
        return CandidateStatus.IN_POOL, readiness, assessed, admitted, validated, notes

    def _placement(self, admitted: date, hosts: list[Board]) -> tuple:
        """A NExT Director placement after admission: (host, starts_on, status, ends_on, mentor)."""
        rnd, today = self.rnd, self.today
        host = rnd.choice(hosts)
        starts = admitted + timedelta(days=rnd.randint(30, 240))
        ends = placement_months(starts, rnd.randint(Placement.MIN_MONTHS, Placement.MAX_MONTHS))
        if starts > today:
            status = Placement.Status.PLANNED
        elif ends >= today:
            status = Placement.Status.ACTIVE
        else:
            status = Placement.Status.COMPLETED if rnd.random() < 0.9 else Placement.Status.ENDED_EARLY
            if status == Placement.Status.ENDED_EARLY:
                ends = placement_months(starts, Placement.MIN_MONTHS)
        chair = host.chair_on(min(starts, today))
        mentor = chair.name if chair else MENTOR_FALLBACK
        return host, starts, status, ends, mentor

    def _enrolment(self, admitted: date, cohorts: list[tuple[str, date]]) -> tuple | None:
        """A place on the first or second aspiring chair cohort after admission: (name, starts_on, status)."""
        rnd, today = self.rnd, self.today
        later = [c for c in cohorts if c[1] >= admitted]
        if not later:
            return None
        name, starts = later[min(len(later) - 1, rnd.randint(0, 1))]
        if starts > today:
            status = Enrolment.Status.ENROLLED
        elif add_months(starts, 9) > today:
            status = Enrolment.Status.ENROLLED if rnd.random() < 0.92 else Enrolment.Status.WITHDRAWN
        else:
            status = Enrolment.Status.COMPLETED if rnd.random() < 0.85 else Enrolment.Status.WITHDRAWN
        return name, starts, status

    # The fit and proper person test -------------------------------------------------------------------------------

    def fit_and_proper(self) -> None:
        """Last year's and this year's tests of every NHS board, and references for most of their former members."""
        rnd, today = self.rnd, self.today
        framework = board_framework_current()
        self.domain_ids = list(framework.domains.order_by("pk").values_list("pk", flat=True)) if framework else []
        this_year = financial_year_for(today)
        last_year = financial_year_for(date(financial_year_start(this_year), 1, 1))
        for board in self.nhs_boards:
            persona = board.pk == self.trust_id
            recorder = self.hr_user if persona and self.hr_user is not None else self.ned_user
            # Last year is closed: most boards signed everyone off and submitted.
            state = "submitted" if persona else rnd.choices(["submitted", "signed", "incomplete"], [85, 5, 10])[0]
            self._board_year(board, last_year, state, recorder.pk, persona=persona)
            # This year is at every stage; the persona trust's is under way.
            states = ["in_progress", "signed", "submitted", "overdue"]
            state = "in_progress" if persona else rnd.choices(states, [55, 20, 10, 15])[0]
            if not persona and rnd.random() >= FPP_STARTED:
                state = "not_started"
            self._board_year(board, this_year, state, recorder.pk, persona=persona)
            self._references(board, recorder.pk, persona=persona)
            self._flush_if_full()

    def _board_year(self, board: Board, year: str, state: str, recorder: int, *, persona: bool) -> None:
        """One board's tests for one financial year, and its submission when the state calls for one."""
        rnd, today = self.rnd, self.today
        first_day = date(financial_year_start(year), 4, 1)
        last_day = min(years_end(first_day, 1), today)
        started = first_day + timedelta(days=rnd.randint(5, 60))
        if started > today or state == "not_started":
            return
        members = [s for s in board.seats if s.start <= last_day and (s.end is None or s.end >= started)]
        current = last_day == today
        if state == "overdue":
            # A third of the members in post have no test started: the dashboard counts them once it is due.
            in_post = [s for s in members if s.in_post(today)]
            skipped = {s.pk for s in rnd.sample(in_post, max(1, len(in_post) // 3))} if in_post else set()
            members = [s for s in members if s.pk not in skipped]
        closing = state in ("signed", "submitted")
        if current and not closing:
            p_check, p_attest, p_sign = (0.5, 0.4, 0.0) if state == "overdue" else (0.92, 0.85, 0.75)
        else:
            p_check = p_attest = p_sign = 1.0
        gaps = set()
        if state == "incomplete" and members:
            gaps = {s.pk for s in rnd.sample(members, min(len(members), rnd.randint(1, 2)))}
        # The persona trust shows every case: an open concern, a resolved one, and an attestation still to come.
        forced: dict[int, str] = {}
        if persona and current and not closing and len(members) >= 3:
            picked = rnd.sample(members, 3)
            forced = {picked[0].pk: "open", picked[1].pk: "resolved", picked[2].pk: "no_attestation"}
        signed: dict[int, date] = {}
        for seat in members:
            begin = max(started, seat.start)
            end = min(last_day, seat.end) if seat.end else last_day
            if end < begin:
                continue
            day = self._assessment_for(
                board,
                seat,
                year,
                begin,
                end,
                recorder,
                p_check=0.7 if seat.pk in gaps else p_check,
                p_attest=p_attest,
                p_sign=p_sign,
                open_concerns=current and not closing,
                forced=forced.get(seat.pk, ""),
            )
            if day is not None:
                signed[seat.pk] = day
        # Submitted only when every member in post today is signed off for the year, as the service requires.
        if state != "submitted" or not signed or any(s.pk not in signed for s in board.seats if s.in_post(today)):
            return
        day = min(today, max(signed.values()) + timedelta(days=rnd.randint(1, 30)))
        count = sum(1 for s in board.seats if s.in_post(day))
        self.t_submission.add((board.pk, year, count, recorder, self._moment(day)))

    def _assessment_for(
        self,
        board: Board,
        seat: Seat,
        year: str,
        begin: date,
        end: date,
        recorder: int,
        *,
        p_check: float,
        p_attest: float,
        p_sign: float,
        open_concerns: bool,
        forced: str,
    ) -> date | None:
        """One member's assessment with its ten checks; returns the day it was signed off, if it was."""
        rnd = self.rnd
        pk = self.t_assessment.allocate()
        early = begin + timedelta(days=int((end - begin).days * 0.6))
        concern = rnd.choice(CONCERNS) if forced in ("open", "resolved") or rnd.random() < 0.03 else None
        executive = seat.role == BoardRole.EXECUTIVE
        complete = True
        last = begin
        for kind in CheckKind:
            if rnd.random() >= p_check and forced != "open":
                complete = False
                self.t_check.add((pk, kind.value, "", None, None, "", "", None, None))
                continue
            checked = _between(rnd, begin, early)
            last = max(last, checked)
            resolution, resolved = "", None
            if concern is not None and kind == concern[0]:
                outcome, notes = CheckOutcome.CONCERN, concern[1]
                if forced == "resolved" or (forced != "open" and (not open_concerns or rnd.random() < 0.6)):
                    resolution, resolved = concern[2], _between(rnd, checked, end)
                    last = max(last, resolved)
                else:
                    complete = False
            elif kind in CHECK_NOTES_NA and not executive and rnd.random() < 0.65:
                outcome, notes = CheckOutcome.NOT_APPLICABLE, CHECK_NOTES_NA[kind]
            else:
                outcome = CheckOutcome.DONE
                notes = CHECK_NOTES_DONE.get(kind, "") if rnd.random() < 0.5 else ""
            self.t_check.add(
                (
                    pk,
                    kind.value,
                    outcome,
                    checked.isoformat(),
                    recorder,
                    notes,
                    resolution,
                    resolved.isoformat() if resolved else None,
                    recorder if resolved else None,
                )
            )
        attested = None
        if forced != "no_attestation" and rnd.random() < p_attest:
            attested = _between(rnd, begin, end)
            last = max(last, attested)
            for domain in self.domain_ids:
                self.t_confirmation.add((pk, domain))
        else:
            complete = False
        signer, signed_at, signed_as, signed_for, signed_on = None, None, "", "", None
        if complete and rnd.random() < p_sign:
            # The chair in post signs in person when they sign in to CareLead; otherwise the NED appointments
            # team records it for them, as it always does for the chair's own test.
            signed_on = _between(rnd, last, end)
            chair = board.chair_on(signed_on)
            signer = self.user_of_person.get(chair.person_id) if chair and chair.pk != seat.pk else None
            if signer is not None:
                signed_as = Assessment.SignedOffAs.CHAIR
            else:
                signer, signed_as = self.ned_user.pk, Assessment.SignedOffAs.NED_TEAM
                signed_for = chair.name if chair else "The vice chair"
            signed_at = self._moment(signed_on)
        self.t_assessment.add(
            (
                pk,
                seat.pk,
                board.pk,
                year,
                ATTESTATION if attested else "",
                attested.isoformat() if attested else None,
                recorder if attested else None,
                signer,
                signed_at,
                signed_as,
                signed_for,
                recorder,
            )
        )
        return signed_on

    def _references(self, board: Board, recorder: int, *, persona: bool) -> None:
        """Board Member References for most members who have left the board (one each)."""
        rnd, today = self.rnd, self.today
        for seat in board.seats:
            if seat.end is None or seat.end >= today or (not persona and rnd.random() < 0.35):
                continue
            chair = board.chair_on(seat.end)
            by_chair = chair is not None and chair.pk != seat.pk
            written_on = min(today, seat.end + timedelta(days=rnd.randint(5, 60)))
            self.t_reference.add(
                (
                    seat.pk,
                    board.pk,
                    BoardRole(seat.role).label,
                    seat.start.isoformat(),
                    seat.end.isoformat(),
                    RESPONSIBILITIES[seat.role],
                    REFERENCE_CONCERN if rnd.random() < 0.06 else "None",
                    REFERENCE_INVESTIGATION if rnd.random() < 0.03 else "None",
                    recorder,
                    f"{chair.name}, chair" if by_chair else "The senior independent director",
                    written_on.isoformat(),
                )
            )

    # The barring list ---------------------------------------------------------------------------------------------

    def barring_list(self) -> int:
        """Five to ten people on the barring list, none of them sharing a name with a board member or candidate."""
        rnd, today = self.rnd, self.today
        taken = {name_key(s.name) for b in self.boards.values() for s in b.seats}
        taken |= {name_key(s.name.split(" ", 1)[1]) for b in self.boards.values() for s in b.seats if " " in s.name}
        taken |= {name_key(n) for n in Candidate.objects.values_list("name", flat=True).iterator(chunk_size=CHUNK)}
        groups = sorted(NAME_GROUPS)
        rows = []
        wanted = rnd.randint(5, 10)
        while len(rows) < wanted:
            female, male, surnames = NAME_GROUPS[rnd.choice(groups)]
            name = f"{rnd.choice(female + male)} {rnd.choice(surnames)}"
            if name_key(name) in taken:
                continue
            taken.add(name_key(name))
            born = date(rnd.randint(1955, 1985), rnd.randint(1, 12), rnd.randint(1, 28))
            added = today - timedelta(days=rnd.randint(10, 540))
            rows.append(
                {
                    "name": name,
                    "date_of_birth": born.isoformat() if rnd.random() < 0.8 else "",
                    "reference": f"SMB-{added.year}-{len(rows) + 1:04d}",
                    "source": BARRING_SOURCE,
                    "added_on": added.isoformat(),
                }
            )
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "barring-list.csv"
            with path.open("w", encoding="utf-8", newline="") as out:
                writer = csv.DictWriter(out, fieldnames=BARRING_COLUMNS)
                writer.writeheader()
                writer.writerows(rows)
            result = barring_load(path=path, actor=Actor(system="demo"))
        if not result.ok:
            raise RuntimeError(f"the demo barring list did not load: {result.problems}")
        return result.created


@transaction.atomic
def ned_demo_create(*, seed: int, ned_user, trust=None, hr_user=None, chair_user=None) -> dict[str, int]:
    """Write the demo's terms of office, tenure reviews, NED candidate pool, fit and proper person tests, Board
    Member References and barring list; returns rows written per model label. Same seed, same data.

    ``trust`` is the persona trust (its board always has tests this year and last); ``hr_user`` records its
    checks, as its board secretary would; ``chair_user`` is a sign-in linked to a chair's staff record, who then
    signs off that board's members in person. The NED appointments team's ``ned_user`` records everything else.
    """
    return NedDemo(seed=seed, ned_user=ned_user, trust=trust, hr_user=hr_user, chair_user=chair_user).create()
