"""One organisation's synthetic workforce and the records that hang off it.

Each organisation draws from its own random stream (seeded by the load's seed and its code), so its data do
not depend on how many organisations came before it or on how the load is chunked.
"""

import json
import random
import unicodedata
from bisect import bisect
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import accumulate

from carelead.core.choices import ethnic_group
from carelead.demo import catalogue as cat
from carelead.demo.catalogue import EXECUTIVE, FIRST_LINE, LEVELS, MIDDLE, SENIOR, STAFF
from carelead.demo.names import (
    NAME_GROUPS,
    NAME_MIX_BY_ETHNICITY,
    RELIGION_BY_GROUP,
    SEXUAL_ORIENTATIONS,
)
from carelead.demo.plan import OrgPlan
from carelead.demo.sink import Table

DAY0 = (cat.AS_OF - timedelta(days=365 * (cat.HISTORY_YEARS + 2))).toordinal()
AS_OF = cat.AS_OF.toordinal()
WINDOW_START = cat.WINDOW_START.toordinal()
LEAVERS_FROM = cat.LEAVERS_FROM.toordinal()
YEAR = 365.25
# The financial years of catalogue.PERIODS as (first day, last day) numbers, and their first days alone.
PERIOD_DAYS = [(start.toordinal(), end.toordinal()) for _, start, end in cat.PERIODS]
PERIOD_STARTS = [start for start, _ in PERIOD_DAYS]
OLDER_DAYS = int(cat.OLDER_AGE * YEAR)
# Yearly chance of non-mandatory training (CPD) for someone in post all year.
CPD_RATE = 0.3
# ISO strings of every day a record can carry, so rows hold text the database stores as is.
_ISO = [date.fromordinal(d).isoformat() for d in range(DAY0, AS_OF + 4 * 366)]


def iso(ordinal: int) -> str:
    """The ISO date of a day number."""
    return _ISO[ordinal - DAY0]


class Pick:
    """A weighted choice that costs one random number and a bisection."""

    __slots__ = ("cum", "items", "total")

    def __init__(self, weights: dict) -> None:
        self.items = list(weights)
        self.cum = list(accumulate(weights.values()))
        self.total = self.cum[-1]

    def __call__(self, rnd) -> object:
        return self.items[bisect(self.cum, rnd() * self.total)]


def _picks(mixes: dict[str, dict]) -> dict[str, Pick]:
    return {key: Pick(mix) for key, mix in mixes.items()}


def year_of(day: int) -> int:
    """The index in catalogue.PERIODS of the financial year a day falls in (the first or last outside them)."""
    return min(len(PERIOD_STARTS) - 1, max(0, bisect(PERIOD_STARTS, day) - 1))


class AgePick:
    """An age drawn from catalogue.AGE_BANDS weights, no younger than a given age."""

    __slots__ = ("cum", "first", "last", "total")

    def __init__(self, weights: tuple[float, ...]) -> None:
        per_year: list[float] = []
        for (lo, hi), weight in zip(cat.AGE_BANDS, weights, strict=True):
            per_year += [weight / (hi - lo + 1)] * (hi - lo + 1)
        self.first = cat.AGE_BANDS[0][0]
        self.last = cat.AGE_BANDS[-1][1]
        self.cum = list(accumulate(per_year))
        self.total = self.cum[-1]

    def __call__(self, rnd, youngest: int) -> int:
        i = youngest - self.first
        if i >= len(self.cum):
            return youngest
        low = self.cum[i - 1] if i > 0 else 0.0
        if self.total - low < 1e-9:
            # Nobody of this kind is usually that old: take the youngest age allowed.
            return youngest
        age = self.first + bisect(self.cum, low + rnd() * (self.total - low))
        return max(youngest, min(age, self.last))


GROUP_PICKS = _picks(cat.GROUP_MIX)
BAND_PICKS = _picks(cat.BAND_MIX)
WHITE = Pick(cat.WHITE_MIX)
BME = Pick(cat.BME_MIX)
UNKNOWN = Pick(cat.UNKNOWN_MIX)
FIRST_NAME_GROUP = {code: Pick(mix[0]) for code, mix in NAME_MIX_BY_ETHNICITY.items()}
SURNAME_GROUP = {code: Pick(mix[1]) for code, mix in NAME_MIX_BY_ETHNICITY.items()}
ORIENTATION = Pick(SEXUAL_ORIENTATIONS)
RELIGION = _picks(RELIGION_BY_GROUP)
RELIGION_OF_NAME_GROUP = {
    "indian": "indian",
    "south_asian_muslim": "south_asian_muslim",
    "chinese": "chinese",
    "middle_eastern": "middle_eastern",
    "other_asian": "other_asian",
}
MEDICAL_GRADE = Pick({(title, level): weight for title, level, weight in cat.MEDICAL_GRADES})
CARE_ROLES = Pick({role[:3]: role[3] for role in cat.CARE_ROLES})
CARE_ROLES_NURSING = Pick({role[:3]: role[3] for role in cat.CARE_ROLES + cat.CARE_NURSE_ROLES})
VACANCY_LEVEL = Pick({STAFF: 78, FIRST_LINE: 12, MIDDLE: 7, SENIOR: 2.5, EXECUTIVE: 0.5})
MANDATORY_COUNT = Pick({2: 20, 3: 45, 4: 35})
AFC_INDEX = {band: i for i, band in enumerate(cat.AFC_BANDS)}
AGES = {kind: AgePick(weights) for kind, weights in cat.AGE_MIX.items()}
# The survey group each disadvantaged group is compared with.
SURVEY_REFERENCE = {"bme": "white", "disabled": "non_disabled"}
# Adult social care roles someone can have moved up from: title -> (previous title, its level).
CARE_PREVIOUS = {
    "Senior Care Worker": ("Care Worker", STAFF),
    "Team Leader": ("Senior Care Worker", STAFF),
    "Clinical Lead": ("Registered Nurse", STAFF),
    "Deputy Manager": ("Team Leader", FIRST_LINE),
    "Registered Manager": ("Deputy Manager", FIRST_LINE),
}
# Names recur constantly, so their email form is worked out once.
_EMAIL_PARTS: dict[str, str] = {}
_EMAIL_FIX = str.maketrans({"\u0131": "i", "ł": "l", "Ł": "L", "ø": "o", "đ": "d"})


class Worker:
    """A person while their organisation is being generated."""

    __slots__ = (
        "band",
        "bank",
        "born",
        "end",
        "group",
        "manager",
        "min_span",
        "nrep",
        "pid",
        "rank",
        "start",
        "stream",
        "title",
    )

    def __init__(self, pid: int, rank: int, group: str, band: str, stream: str, title: str = "") -> None:
        self.pid = pid
        self.rank = rank
        self.group = group
        self.band = band
        self.stream = stream
        self.title = title
        self.manager: Worker | None = None
        self.nrep = 0
        self.min_span = 5
        self.start = 0
        self.end = 0
        self.bank = False
        self.born = 0


@dataclass
class PersonaPick:
    """The staff member and line manager the demo logins are linked to."""

    line_manager_id: int
    staff_id: int


@dataclass
class Tables:
    """The tables a workforce is written to."""

    person: Table
    monitoring: Table
    history: Table
    training: Table
    disciplinary: Table
    capability: Table
    board: Table
    board_monitoring: Table
    recruitment: Table
    survey: Table


def email_part(name: str) -> str:
    """A name as the lower-case ASCII an email address can carry."""
    part = _EMAIL_PARTS.get(name)
    if part is None:
        plain = unicodedata.normalize("NFKD", name.translate(_EMAIL_FIX)).encode("ascii", "ignore").decode()
        part = "".join(ch for ch in plain.lower() if ch.isalnum() or ch == "-")
        _EMAIL_PARTS[name] = part
    return part


def assign_managers(*, rng: random.Random, heads: list[Worker], members: list[Worker]) -> None:
    """Give every member a manager among the heads or people at a higher level, in teams of about 5 to 12.

    Levels are placed from the top down. Managers further up whose team is still small take a few people
    directly (a matron with a practice educator beside her ward managers); the rest are spread over the
    nearest level above, using only as many of its people as teams of about eight need.
    """
    for head in heads:
        head.min_span = rng.randint(5, 7)
    by_rank: list[list[Worker]] = [[], [], [], []]
    for w in members:
        by_rank[w.rank].append(w)
        w.min_span = rng.randint(5, 7)
    tiers = [heads]
    rnd = rng.random
    for rank in (SENIOR, MIDDLE, FIRST_LINE, STAFF):
        people = by_rank[rank]
        if not people:
            continue
        taken = 0
        budget = len(people) // 3
        for tier in reversed(tiers[:-1]):
            for manager in tier:
                if budget <= taken:
                    break
                extra = 1 if rnd() < 0.35 else 0
                want = min(max(manager.min_span - manager.nrep, extra), 12 - manager.nrep, budget - taken)
                for w in people[taken : taken + want]:
                    w.manager = manager
                manager.nrep += max(want, 0)
                taken += max(want, 0)
        rest = people[taken:]
        nearest = tiers[-1]
        if rest:
            k = len(nearest) if nearest is heads else min(len(nearest), max(1, len(rest) // 8))
            chosen = nearest[:k]
            weights = [0.75 + 0.5 * rnd() for _ in chosen]
            scale = len(rest) / sum(weights)
            quotas = [int(x * scale) for x in weights]
            for i in range(len(rest) - sum(quotas)):
                quotas[i % k] += 1
            index = 0
            for manager, quota in zip(chosen, quotas, strict=True):
                for w in rest[index : index + quota]:
                    w.manager = manager
                manager.nrep += quota
                index += quota
        tiers.append(people)


class OrgWorkforce:
    """Generates one organisation's people, history, training, cases, board, recruitment and survey rows."""

    def __init__(self, *, org: OrgPlan, seed: int, tables: Tables, provider_code: str) -> None:
        self.org = org
        self.rng = random.Random(f"carelead-demo:{seed}:{org.code}")
        self.rnd = self.rng.random
        self.tables = tables
        self.provider_code = provider_code
        self.workers: list[Worker] = []
        self.top: Worker | None = None
        self.persona: PersonaPick | None = None
        domain = "care.example" if org.sector == "social_care" else "nhs.example"
        self.domain = f"{org.code.lower()}.{domain}"
        rnd = self.rnd
        # Organisations differ in how completely they record equality data.
        self.unknown_share = 0.015 + 0.06 * rnd()
        self.disabled_share = 0.04 + 0.04 * rnd()
        self.disability_unknown = (0.1 + 0.2 * rnd()) * (1.6 if org.sector == "social_care" else 1.0)
        self.local_codes = rnd() < 0.2
        # The organisation's disparity factor in each financial year of catalogue.PERIODS.
        self.gaps = [org.gap(year) for year in range(len(PERIOD_DAYS))]
        self.monitoring: dict[int, tuple[str, str, str]] = {}
        self.names: dict[int, str] = {}

    # Structure -----------------------------------------------------------------------------------------

    def build(self) -> None:
        """Create every worker with group, band, level and manager."""
        first_pid = self.tables.person.allocate(self.org.staff)
        if self.org.kind == "care":
            self._build_care(first_pid)
        else:
            self._build_nhs(first_pid)
        self._titles()
        self._dates()
        # Managers before their reports (a stable sort keeps the chief executive first): the database then
        # never holds a reference to a manager not yet written, which spares it the checks that would need.
        self.workers.sort(key=lambda w: -w.rank)

    def _build_nhs(self, pid: int) -> None:
        org, rng, rnd = self.org, self.rng, self.rnd
        kind = org.kind
        heads: dict[str, list[Worker]] = {}
        execs = []
        for title, group, streams in cat.EXECUTIVES["icb" if kind == "icb" else "trust"]:
            w = Worker(pid, EXECUTIVE, group, "VSM", "executive", title)
            pid += 1
            execs.append(w)
            for stream in streams:
                heads.setdefault(stream, []).append(w)
        top = execs[0]
        for w in execs[1:]:
            w.manager = top
            top.nrep += 1
        self.top = top
        members: dict[str, list[Worker]] = {}
        group_pick = GROUP_PICKS[kind]
        consultants = cat.CONSULTANT_TITLES[kind]
        for _ in range(org.staff - len(execs)):
            group = group_pick(rnd)
            if group == cat.MEDICAL:
                grade, rank = MEDICAL_GRADE(rnd)
                title = rng.choice(consultants) if grade == "consultant" else grade
                w = Worker(pid, rank, group, "medical", "medical", title)
            else:
                band = BAND_PICKS[group](rnd)
                w = Worker(pid, cat.level_for_band(band), group, band, cat.STREAM_OF_GROUP[group])
            pid += 1
            members.setdefault(w.stream, []).append(w)
        deputies = []
        for stream, people in members.items():
            stream_heads = self._fill_management_gaps(stream, heads.get(stream, [top]), people)
            deputies += stream_heads[len(heads.get(stream, [top])) :]
            assign_managers(rng=rng, heads=stream_heads, members=people)
        self.workers = execs + deputies + [w for people in members.values() for w in people]

    def _fill_management_gaps(self, stream: str, heads: list[Worker], people: list[Worker]) -> list[Worker]:
        """Promote a few people where a level has too few managers above it for teams of twelve or fewer.

        Sampling bands independently can leave, say, a small estates department with no band 7, or a large
        nursing workforce with more heads of nursing than one chief nurse can lead; real organisations always
        have someone in charge, so a few people move up a level. Returns the stream's heads (with deputies).
        """
        rng = self.rng
        for rank in (STAFF, FIRST_LINE, MIDDLE):
            lower = [w for w in people if w.rank == rank]
            if not lower:
                continue
            above = next((r for r in range(rank + 1, EXECUTIVE) if any(w.rank == r for w in people)), None)
            n_above = len(heads) if above is None else sum(1 for w in people if w.rank == above)
            target = rank + 1 if above is None else above
            need = -(-len(lower) // 9) - n_above
            if len(lower) <= 12 * n_above or need <= 0:
                continue
            for w in lower:
                if need == 0:
                    break
                if w.group == cat.MEDICAL:
                    w.rank = target
                    w.title = cat.MEDICAL_TITLE_OF_RANK.get(target) or rng.choice(cat.CONSULTANT_TITLES[self.org.kind])
                else:
                    band = {FIRST_LINE: "7", MIDDLE: "8a", SENIOR: "8c"}[target]
                    if band not in cat.TITLES[w.group]:
                        continue
                    w.rank, w.band = target, band
                need -= 1
        seniors = [w for w in people if w.rank == SENIOR]
        deputies = -(-len(seniors) // 10) - len(heads)
        if deputies <= 0:
            return heads
        heads = list(heads)
        for w in seniors[:deputies]:
            w.rank, w.band, w.title, w.stream = EXECUTIVE, "VSM", cat.DEPUTY_TITLES[stream], "executive"
            w.manager = heads[0]
            heads[0].nrep += 1
            heads.append(w)
            people.remove(w)
        return heads

    def _build_care(self, pid: int) -> None:
        org, rnd = self.org, self.rnd
        n = org.staff
        workers: list[Worker] = []
        if n >= 60:
            top = Worker(pid, EXECUTIVE, cat.ADMIN, "other", "care", "Managing Director")
            pid += 1
            heads = []
            for _ in range(max(1, round(n / 45))):
                head = Worker(pid, MIDDLE, cat.ACS, "other", "care", "Registered Manager")
                pid += 1
                head.manager = top
                top.nrep += 1
                heads.append(head)
            workers = [top, *heads]
        else:
            top = Worker(pid, MIDDLE, cat.ACS, "other", "care", "Registered Manager")
            pid += 1
            heads = [top]
            workers = [top]
        self.top = top
        members = []
        for _ in heads:
            members.append(Worker(pid, FIRST_LINE, cat.ACS, "other", "care", "Deputy Manager"))
            pid += 1
        team_leader = "Clinical Lead" if org.nurses else "Team Leader"
        for i in range(max(0, round(n / 12) - len(heads))):
            title = team_leader if i == 0 else "Team Leader"
            group = cat.NMR if title == "Clinical Lead" else cat.ACS
            members.append(Worker(pid, FIRST_LINE, group, "other", "care", title))
            pid += 1
        roles = CARE_ROLES_NURSING if org.nurses else CARE_ROLES
        for _ in range(n - len(workers) - len(members)):
            title, group, rank = roles(rnd)
            members.append(Worker(pid, rank, group, "other", "care", title))
            pid += 1
        assign_managers(rng=self.rng, heads=heads, members=members)
        self.workers = workers + members

    def _titles(self) -> None:
        kind, rng = self.org.kind, self.rng
        overrides = cat.TITLE_OVERRIDES
        for w in self.workers:
            if w.title:
                continue
            managing, other = overrides.get((kind, w.group, w.band)) or cat.TITLES[w.group][w.band]
            options = (managing or other) if w.nrep else (other or managing)
            w.title = options[0] if len(options) == 1 else rng.choice(options)

    def _dates(self) -> None:
        """Start dates over twenty years, leavers in the last two financial years, some bank staff."""
        rng, rnd = self.rng, self.rnd
        care = self.org.kind == "care"
        earliest = AS_OF - int(cat.HISTORY_YEARS * YEAR)
        leaf = [w for w in self.workers if w.nrep == 0 and w.rank < EXECUTIVE]
        # About 8% of NHS staff leave each year (social care: about 25%); leavers are people without a team.
        leaver_share = 0.3 if care else 0.16
        leavers = set(map(id, rng.sample(leaf, min(len(leaf), round(len(self.workers) * leaver_share)))))
        for w in self.workers:
            if w.rank == EXECUTIVE:
                w.start = AS_OF - int((0.5 + 9.5 * rnd()) * YEAR)
            elif id(w) in leavers:
                w.end = LEAVERS_FROM + int(rnd() * (AS_OF - LEAVERS_FROM))
                tenure = min(rng.expovariate(1 / (3 if care else 5)) * YEAR, w.end - earliest)
                w.start = w.end - max(30, int(tenure))
            else:
                mean = (3 if care else 6) + 2.2 * w.rank
                tenure = int(rng.expovariate(1 / mean) * YEAR)
                if tenure > AS_OF - earliest:
                    # Long-serving staff spread over the whole history rather than pile up at its start.
                    tenure = int(rnd() * (AS_OF - earliest))
                w.start = AS_OF - tenure
                if w.rank == STAFF and w.nrep == 0 and w.group != cat.MEDICAL and rnd() < 0.085:
                    w.bank = True

    # Personas ------------------------------------------------------------------------------------------

    def pick_personas(self) -> PersonaPick:
        """A line manager with managers among their reports and a staff member who reports to them."""
        reports: dict[int, list[Worker]] = {}
        for w in self.workers:
            if w.manager is not None:
                reports.setdefault(w.manager.pid, []).append(w)

        def eligible(w: Worker) -> bool:
            return w.end == 0 and not w.bank and w.rank == STAFF

        best, best_score = None, (-1, -1, False, -1)
        for w in self.workers:
            if w.end or w.rank in (EXECUTIVE, STAFF) or w.pid not in reports:
                continue
            leading = sum(1 for r in reports[w.pid] if r.pid in reports and r.end == 0)
            staff = sum(1 for r in reports[w.pid] if eligible(r))
            score = (min(leading, 3), 1 if staff else 0, w.rank == MIDDLE, leading)
            if score > best_score:
                best, best_score = w, score
        if best is None:
            best = self.top
        direct = [r for r in reports.get(best.pid, []) if eligible(r)]
        if not direct:
            # Bring one staff-level member of a report's team to report to this manager directly.
            for r in reports.get(best.pid, []):
                moved = next((x for x in reports.get(r.pid, []) if eligible(x)), None)
                if moved is not None:
                    moved.manager = best
                    r.nrep -= 1
                    best.nrep += 1
                    direct = [moved]
                    break
        if not direct:
            direct = [r for r in reports.get(best.pid, []) if r.end == 0] or [best]
        prefer = [r for r in direct if r.group == cat.NMR] or direct
        self.persona = PersonaPick(line_manager_id=best.pid, staff_id=prefer[0].pid)
        return self.persona

    # Rows ----------------------------------------------------------------------------------------------

    def write_people(self) -> None:
        """Person, equality monitoring and employment history rows."""
        org, rng, rnd = self.org, self.rng, self.rnd
        t = self.tables
        add_person, add_monitoring, add_history = t.person.add, t.monitoring.add, t.history.add
        staff_number = 10_000_001 + org.first_staff_number
        emails: dict[str, int] = {}
        org_bme = org.bme_share
        care = org.kind == "care"
        unknown_share, disabled_share = self.unknown_share, self.disabled_share
        disability_unknown = self.disability_unknown
        local_codes = self.local_codes
        # BME staff are under-represented in senior roles as far as the organisation's disparities go.
        spread = min(org.disparity, 1.3)
        level_factor = [1.0 - (1.0 - f) * spread for f in cat.BME_LEVEL_FACTOR]
        for index, w in enumerate(self.workers):
            # Equality monitoring: a latent ethnicity shapes the name; some records leave it unknown.
            female = 0.82 if care else (0.5 if w.rank == EXECUTIVE else cat.FEMALE_SHARE[w.group])
            r = rnd()
            sex = "F" if r < female else ("M" if r < 0.995 else ("U" if r < 0.999 else "X"))
            factor = level_factor[w.rank]
            if w.group == cat.MEDICAL and w.rank < EXECUTIVE:
                factor = cat.MEDICAL_BME_FACTOR
            elif w.group == cat.NMR and w.band in ("5", "6"):
                factor = 1.25
            latent = BME(rnd) if rnd() < min(0.92, org_bme * factor) else WHITE(rnd)
            r = rnd()
            if r < unknown_share:
                ethnic = UNKNOWN(rnd)
            elif local_codes and latent in cat.LOCAL_CODES and r > 0.7:
                ethnic = rng.choice(cat.LOCAL_CODES[latent])
            else:
                ethnic = latent
            first_group = FIRST_NAME_GROUP[latent](rnd)
            last_group = SURNAME_GROUP[latent](rnd)
            female_names, male_names, _ = NAME_GROUPS[first_group]
            female_name = sex == "F" or (sex in "UX" and rnd() < 0.5)
            first = rng.choice(female_names if female_name else male_names)
            last = rng.choice(NAME_GROUPS[last_group][2])
            r = rnd()
            disabled = disabled_share * (0.8 if w.rank >= SENIOR else 1.0)
            disability = "Y" if r < disabled else ("U" if r < disabled + disability_unknown else "N")
            religion = RELIGION[RELIGION_OF_NAME_GROUP.get(last_group, "christian_majority")](rnd)
            local = f"{email_part(first)}.{email_part(last)}"
            seen = emails.get(local, 0) + 1
            emails[local] = seen
            email = f"{local}{seen if seen > 1 else ''}@{self.domain}"
            level = LEVELS[w.rank]
            add_person(
                (
                    w.pid,
                    str(staff_number + index),
                    org.id,
                    first,
                    last,
                    email,
                    w.title,
                    w.group,
                    w.band,
                    level,
                    w.manager.pid if w.manager else None,
                    iso(w.start),
                    iso(w.end) if w.end else None,
                    w.bank,
                )
            )
            last_day = w.end or AS_OF
            w.born = born = self._birth(w, last_day)
            known_birth = date.fromordinal(born).isoformat() if rnd() >= cat.DATE_OF_BIRTH_UNKNOWN else None
            add_monitoring((w.pid, sex, ethnic, disability, ORIENTATION(rnd), religion, known_birth))
            self.monitoring[w.pid] = (sex, ethnic, disability)
            if w.rank == EXECUTIVE:
                self.names[w.pid] = f"{first} {last}"
            # Employment history: a start, for some a move up into the current role in one of the financial
            # years, a leaving date for leavers.
            started = (w.band, level, w.title)
            promoted_on = 0
            if w.rank < EXECUTIVE:
                promoted_on = self._promotion_day(w, ethnic_group(ethnic) == "bme", disability == "Y", last_day)
                if promoted_on:
                    previous = self._previous_role(w)
                    if previous is None:
                        promoted_on = 0
                    else:
                        started = previous
            add_history((w.pid, iso(w.start), "started", org.id, *started, "{}", "demo"))
            if promoted_on:
                changed = {
                    k: v
                    for k, v, now in zip(
                        ("pay_band", "level", "job_title"), started, (w.band, level, w.title), strict=True
                    )
                    if v != now
                }
                add_history(
                    (
                        w.pid,
                        iso(promoted_on),
                        "changed",
                        org.id,
                        w.band,
                        level,
                        w.title,
                        json.dumps(changed),
                        "demo",
                    )
                )
            if w.end:
                add_history((w.pid, iso(w.end), "left", org.id, w.band, level, w.title, "{}", "demo"))

    def _birth(self, w: Worker, last_day: int) -> int:
        """A day of birth: an age on the last day worked shaped by the role, at least 16 on the start date."""
        if w.stream == "care" and w.rank == STAFF:
            kind = "care"
        elif w.group == cat.STUDENTS:
            kind = "student"
        elif w.group == cat.MEDICAL and w.rank == STAFF and w.title != "Specialty Doctor":
            kind = "resident_doctor"
        else:
            kind = LEVELS[w.rank]
        # Whole years served plus seventeen: the person was past sixteen on their first day.
        youngest = int((last_day - w.start) / YEAR) + 17
        age = AGES[kind](self.rnd, youngest)
        return last_day - int((age + self.rnd()) * YEAR)

    def _promotion_day(self, w: Worker, bme: bool, disabled: bool, last_day: int) -> int:
        """The day someone moved up into their current role, if they did so in one of the financial years.

        After a year in post the yearly chance is PROMOTION_RATE for the level, lower for BME and Disabled staff
        as far as the organisation's disparity that year goes, and lower for staff over 55.
        """
        rnd = self.rnd
        base = cat.PROMOTION_RATE[w.rank]
        eligible = w.start + int(YEAR)
        for year, (start, end) in enumerate(PERIOD_DAYS):
            first = start if start > eligible else eligible
            last = end if end < last_day else last_day
            if first > last:
                continue
            chance = base * (last - first + 1) / (end - start + 1)
            gap = self.gaps[year]
            if bme:
                chance *= 1.0 - cat.BME_PROMOTION_GAP * gap
            if disabled:
                chance *= 1.0 - cat.DISABLED_PROMOTION_GAP * gap
            if first - w.born > OLDER_DAYS:
                chance *= cat.OLDER_PROMOTION_FACTOR
            if rnd() < chance:
                return first + int(rnd() * (last - first + 1))
        return 0

    def _previous_role(self, w: Worker) -> tuple[str, str, str] | None:
        """The role one step below the current one, which a promotion moved the person up from."""
        if w.group == cat.MEDICAL:
            if w.band != "medical":
                return None
            if w.rank == FIRST_LINE:
                return ("medical", "staff", "Specialty Registrar")
            if w.rank == MIDDLE:
                return ("medical", "first_line", self.rng.choice(cat.CONSULTANT_TITLES[self.org.kind]))
            if w.rank == SENIOR:
                return ("medical", "middle", cat.MEDICAL_TITLE_OF_RANK[MIDDLE])
            return None
        if w.band == "other":
            previous = CARE_PREVIOUS.get(w.title) if w.stream == "care" else None
            return None if previous is None else ("other", LEVELS[previous[1]], previous[0])
        index = AFC_INDEX.get(w.band)
        if not index:
            return None
        band = cat.AFC_BANDS[index - 1]
        titles = cat.TITLES.get(w.group, {}).get(band)
        if titles is None:
            return None
        options = titles[1] or titles[0]
        return (band, LEVELS[cat.level_for_band(band)], self.rng.choice(options))

    def write_training(self) -> None:
        """Mandatory training with expiry and non-mandatory CPD (accessed year by year over the periods)."""
        rng, rnd = self.rng, self.rnd
        add = self.tables.training.add
        code = self.org.code
        mandatory = cat.MANDATORY_COURSES
        cpd = cat.CPD_COURSES
        provider_courses = cat.PROVIDER_COURSES
        provider = self.provider_code
        gaps = self.gaps
        bme_gap, disabled_gap = cat.BME_CPD_GAP, cat.DISABLED_CPD_GAP
        n = 0
        for w in self.workers:
            _, ethnic, disability = self.monitoring[w.pid]
            bme = ethnic_group(ethnic) == "bme"
            disabled = disability == "Y"
            last_day = w.end or AS_OF
            count = MANDATORY_COUNT(rnd) if not w.end else 1 + (rnd() < 0.5)
            for course, years in rng.sample(mandatory, count):
                valid = int(years * YEAR)
                day = last_day - int(rnd() * valid * 1.2)
                if day < w.start:
                    day = min(last_day, w.start + int(rnd() * 60))
                completed = rnd() < 0.93
                n += 1
                add(
                    (
                        f"{code}-T{n:07d}",
                        w.pid,
                        course,
                        True,
                        iso(day),
                        completed,
                        iso(day + valid) if completed else None,
                        "",
                    )
                )
            # WRES4: each year, BME (and a little less so Disabled) staff are less likely to get non-mandatory
            # training, as far as the organisation's disparity that year goes.
            base = CPD_RATE * (1.15 if w.rank >= FIRST_LINE else 1.0) * (0.7 if w.end else 1.0)
            for year, (start, end) in enumerate(PERIOD_DAYS):
                first = start if start > w.start else w.start
                last = end if end < last_day else last_day
                if first >= last:
                    continue
                chance = base * (last - first + 1) / (end - start + 1)
                if bme:
                    chance *= 1.0 - bme_gap * gaps[year]
                if disabled:
                    chance *= 1.0 - disabled_gap * gaps[year]
                if rnd() >= chance:
                    continue
                for _ in range(1 + (rnd() < 0.3) + (rnd() < 0.08)):
                    course = rng.choice(cpd)
                    day = first + int(rnd() * (last - first))
                    n += 1
                    by_provider = provider if course in provider_courses and rnd() < 0.5 else ""
                    add((f"{code}-T{n:07d}", w.pid, course, False, iso(day), rnd() < 0.85, None, by_provider))

    def write_cases(self) -> None:
        """Formal disciplinary and capability cases, year by year over the financial years of the periods."""
        rnd = self.rnd
        disciplinary, capability = self.tables.disciplinary.add, self.tables.capability.add
        code = self.org.code
        n_dis = n_cap = 0
        gaps = self.gaps
        for w in self.workers:
            _, ethnic, disability = self.monitoring[w.pid]
            bme = ethnic_group(ethnic) == "bme"
            disabled = disability == "Y"
            # WRES3 and WDES3: BME staff enter the formal disciplinary process, and Disabled staff the capability
            # process on performance, more often than others, as real data show, as far as the organisation's
            # disparity that year goes. Ill-health capability is more common for Disabled staff everywhere.
            base = 0.0125 * (1.1 if w.rank == STAFF else 0.6)
            ill_health = 0.003 * (2.5 if disabled else 1.0)
            last_day = w.end or AS_OF
            for year, (start, end) in enumerate(PERIOD_DAYS):
                first, last = max(start, w.start), min(end, last_day)
                if first > last:
                    continue
                rate = base * (1.0 + cat.BME_DISCIPLINARY_GAP * gaps[year]) if bme else base
                performance = 0.004 * (1.0 + cat.DISABLED_CAPABILITY_GAP * gaps[year]) if disabled else 0.004
                share = (last - first + 1) / (end - start + 1)
                r = rnd()
                if r < rate * share:
                    n_dis += 1
                    disciplinary((f"DIS-{code}-{n_dis:05d}", w.pid, iso(first + int(rnd() * (last - first)))))
                elif r < (rate + performance) * share:
                    n_cap += 1
                    capability(
                        (
                            f"CAP-{code}-{n_cap:05d}",
                            w.pid,
                            iso(first + int(rnd() * (last - first))),
                            "performance",
                        )
                    )
                elif r < (rate + performance + ill_health) * share:
                    n_cap += 1
                    capability(
                        (
                            f"CAP-{code}-{n_cap:05d}",
                            w.pid,
                            iso(first + int(rnd() * (last - first))),
                            "ill_health",
                        )
                    )

    def write_board(self) -> None:
        """A chair, non-executives, executives (linked to their staff records) and past board members."""
        org, rng, rnd = self.org, self.rng, self.rnd
        board, board_monitoring = self.tables.board, self.tables.board_monitoring
        bme_share = min(0.6, org.bme_share * 0.6)
        seats: list[tuple] = []

        def outsider(role: str, voting: bool, start: int, end: int | None, title: str = "") -> None:
            sex = "F" if rnd() < 0.45 else "M"
            r = rnd()
            latent = BME(rnd) if r < bme_share else WHITE(rnd)
            ethnic = latent if rnd() > 0.05 else UNKNOWN(rnd)
            names = NAME_GROUPS[FIRST_NAME_GROUP[latent](rnd)]
            first = rng.choice(names[0] if sex == "F" else names[1])
            last = rng.choice(NAME_GROUPS[SURNAME_GROUP[latent](rnd)][2])
            prefix = rng.choice(("Dr ", "Professor ")) if rnd() < 0.15 else ""
            r = rnd()
            disability = "Y" if r < 0.05 else ("U" if r < 0.15 else "N")
            seats.append(
                (
                    f"{title}{prefix}{first} {last}".strip(),
                    role,
                    voting,
                    start,
                    end,
                    None,
                    (sex, ethnic, disability),
                )
            )

        def term_start(max_years: float) -> int:
            return AS_OF - int(rnd() * max_years * YEAR)

        outsider("chair", True, term_start(6), None)
        for _ in range(rng.randint(5, 7)):
            outsider("non_executive", True, term_start(8), None)
        if rnd() < 0.4:
            outsider("associate", False, term_start(3), None)
        for w in self.workers:
            if w.rank != EXECUTIVE or w.title not in cat.BOARD_EXECUTIVE_SEATS:
                continue
            role, voting, chance = cat.BOARD_EXECUTIVE_SEATS[w.title]
            if chance < 1.0 and rnd() >= chance:
                continue
            start = max(w.start, AS_OF - int(rnd() * 6 * YEAR))
            prefix = "Dr " if w.group == cat.MEDICAL else ""
            seats.append((prefix + self.names[w.pid], role, voting, start, None, w.pid, self.monitoring[w.pid]))
        if not self.workers:
            # An organisation without staff records still has executive directors on its board.
            for _ in range(rng.randint(5, 7)):
                outsider("executive", True, term_start(5), None)
        # Board members who left in the last three years, so board composition changes between periods.
        for _ in range(rng.randint(1, 3)):
            end = AS_OF - int(rnd() * 3 * YEAR)
            outsider(
                rng.choice(("non_executive", "non_executive", "executive")),
                True,
                end - int((1 + 6 * rnd()) * YEAR),
                end,
            )
        first_id = board.allocate(len(seats))
        for i, (name, role, voting, start, end, person, monitoring) in enumerate(seats):
            member = first_id + i
            board.add(
                (
                    member,
                    f"{org.code}-B{i + 1:02d}",
                    org.id,
                    name,
                    role,
                    voting,
                    iso(start),
                    iso(end) if end else None,
                    person,
                )
            )
            board_monitoring.add((member, *monitoring))

    def write_recruitment(self) -> None:
        """Shortlisting and appointment decisions over the financial years of the periods (WRES2 and WDES2)."""
        org, rng, rnd = self.org, self.rng, self.rnd
        add = self.tables.recruitment.add
        care = org.kind == "care"
        per_year = (0.2 if care else 0.085) * org.staff * (0.8 + 0.4 * rnd())
        vacancies = max(1, round(per_year * len(PERIOD_DAYS)))
        applicant_bme = min(0.85, org.bme_share * 1.45)
        female = 0.8 if care else 0.74
        # Chances of being shortlisted, then of succeeding at interview, each year: at the typical gap White
        # shortlisted applicants are about 1.5 times as likely to be appointed as BME ones (real WRES2 figures).
        chances = [
            (
                (0.45, 0.42 / (1.0 + 0.5 * cat.BME_APPOINT_GAP * gap)),
                (0.5 * (1.0 - cat.BME_SHORTLIST_GAP * gap), 0.42 / (1.0 + cat.BME_APPOINT_GAP * gap)),
                (0.5, 0.42),
                1.0 - cat.DISABLED_APPOINT_GAP * gap,
            )
            for gap in self.gaps
        ]
        n = 0
        span = AS_OF - WINDOW_START
        for v in range(1, vacancies + 1):
            vacancy = f"{org.code}-V{v:05d}"
            on = WINDOW_START + int(rnd() * span)
            day = iso(on)
            unknown_chance, bme_chance, white_chance, disabled_factor = chances[year_of(on)]
            level = LEVELS[VACANCY_LEVEL(rnd)]
            applicants = []
            for _ in range(rng.randint(2, 10)):
                r = rnd()
                if r < 0.05:
                    ethnic, (short, success) = UNKNOWN(rnd), unknown_chance
                elif r < 0.05 + 0.95 * applicant_bme:
                    ethnic, (short, success) = BME(rnd), bme_chance
                else:
                    ethnic, (short, success) = WHITE(rnd), white_chance
                r = rnd()
                disability = "Y" if r < 0.07 else ("U" if r < 0.15 else "N")
                if disability == "Y":
                    success *= disabled_factor
                sex = "F" if rnd() < female else "M"
                applicants.append([ethnic, disability, sex, rnd() < short, success])
            if not any(a[3] for a in applicants) and rnd() < 0.8:
                applicants[0][3] = True
            # Shortlisted candidates are interviewed in turn; the first to succeed is appointed.
            shortlisted = [a for a in applicants if a[3]]
            rng.shuffle(shortlisted)
            appointed = next((a for a in shortlisted if rnd() < a[4]), None)
            for a in applicants:
                n += 1
                add(
                    (
                        f"{org.code}-A{n:06d}",
                        vacancy,
                        org.id,
                        day,
                        a[3],
                        a is appointed,
                        a[0],
                        a[1],
                        a[2],
                        level,
                    )
                )

    def write_survey(self) -> None:
        """NHS Staff Survey results behind WRES5-8 and WDES4-9 for every period.

        The gap between BME and White (Disabled and non-disabled) respondents is the national one scaled by the
        organisation's disparity that year.
        """
        org, rnd, rng = self.org, self.rnd, self.rng
        add = self.tables.survey.add
        in_post = sum(1 for w in self.workers if not w.end and not w.bank)
        bme = org.bme_share
        shares = {"white": 1 - bme - 0.03, "bme": bme, "disabled": 0.22 + 0.06 * rnd()}
        shares["non_disabled"] = 0.97 - shares["disabled"]
        effect = {measure: rng.gauss(0, 2.0) for measure in cat.SURVEY_BASELINES}
        for period_index, (period, _, _) in enumerate(cat.PERIODS):
            response = 0.35 + 0.2 * rnd()
            gap = self.gaps[period_index]
            for measure, groups in cat.SURVEY_BASELINES.items():
                score = measure == "WDES9a"
                sign = 1 if measure in cat.SURVEY_HIGHER_IS_BETTER else -1
                for group, base in groups.items():
                    reference = groups.get(SURVEY_REFERENCE.get(group, ""))
                    if reference is not None:
                        base = reference + (base - reference) * gap
                    shift = effect[measure] + rng.gauss(0, 1.0) + 0.5 * period_index * sign
                    if org.challenged:
                        shift -= 3.0 * sign
                    value = base + (shift / 10 if score else shift)
                    value = min(10.0 if score else 100.0, max(0.0, value))
                    respondents = max(1, round(in_post * response * shares[group]))
                    add(
                        (
                            org.id,
                            period,
                            measure,
                            group,
                            f"{value:.2f}" if score else f"{value:.1f}",
                            respondents,
                        )
                    )
