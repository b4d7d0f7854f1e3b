"""One organisation's curriculum completions, gate exceptions and prior-learning applications.

Completions are training records (course code = module code, not mandatory) through a provider accredited for
the module on the record's date, so the progression gate and the induction dashboard count them. The shape:

- The national induction for joiners since the induction start date: most within the due period, some late,
  some missing (a few of those through a provider not accredited for it), so the dashboard shows overdue people.
  Some longer-serving staff have completed it too, which is all the gate asks of staff moving to first-line.
- Managers hold the gating requirements of the levels below theirs (a few do not: appointed before the gate or
  under an exception); about one in eight is exactly one requirement short for the next level, and about one
  in five meets it. A missing requirement sometimes has a record that does not count: completed through a
  provider whose accreditation had lapsed, expired, or started and not finished, so "My development" explains.
- The staff persona has completed the induction; the line-manager persona is one requirement short for the
  level above theirs.
- Besides the recent exceptions, trusts have exceptions decided in earlier financial years (approved ones long
  expired), approved a little less often for BME and Disabled staff as far as the organisation's disparity goes.

The organisation's own random stream (seed, code, "development") drives everything here, so the rest of its
data are the same with or without this module.
"""

import random
from datetime import UTC, date, datetime, time

from carelead.core.choices import ethnic_group
from carelead.demo import catalogue as cat
from carelead.demo.catalogue import EXECUTIVE, LEVELS, STAFF
from carelead.demo.curriculum import (
    AS_OF,
    HR,
    NATIONAL,
    Curriculum,
    CurriculumRequirement,
    ExceptionDraft,
    PriorLearningDraft,
    StandardsDrafts,
)
from carelead.demo.workforce import PERIOD_DAYS, OrgWorkforce, Worker, iso

YEAR = 365
# How a missing requirement shows in the records: nothing, a completion that does not count, or unfinished.
MISSING_KINDS = (("none", 0.5), ("lapsed", 0.2), ("expired", 0.12), ("started", 0.18))
# Share of managers one requirement short for the next level, and meeting it outright.
ONE_SHORT = 0.12
NEXT_MET = 0.22
# Share of managers missing a requirement of a level below their own.
BELOW_GAP = 0.08
# Exceptions decided in each earlier financial year: per member of staff in trusts, per organisation elsewhere.
PAST_EXCEPTIONS_PER_STAFF = 1 / 1500
PAST_EXCEPTIONS_ICB = 0.3
PAST_EXCEPTIONS_CARE = 0.03

EXCEPTION_REASONS = (
    "Acting up to cover a vacancy while the post is advertised; booked on {module} for the next cohort.",
    "Only suitable internal candidate for a hard-to-fill post; {title} to be completed within six months.",
    "Returning to a management role after a career break; {module} starts next quarter.",
    "Interim leadership of a merged team during service reconfiguration, until {module} is completed.",
    "Maternity leave cover for twelve months; the {title} requirement is planned for the first six.",
)
EVIDENCE = (
    "Postgraduate certificate in healthcare leadership covering {title}; certificate and transcript attached.",
    "Completed an equivalent programme with a previous employer; course outline and attendance record attached.",
    "Five years leading a team in the independent sector, including {title}; references from two former managers.",
    "ILM Level 5 Certificate in Leadership and Management; certificate number and unit list attached.",
    "Armed forces leadership course with a mapped curriculum; mapping against the module outcomes attached.",
)
REJECTIONS = (
    "The programme does not cover the accredited learning outcomes for this requirement; book an accredited module.",
    "The evidence could not be verified with the awarding body; reapply with the certificate attached.",
    "The experience described predates the current standards; the module is the quickest way to meet it.",
)
APPROVALS = ("", "Certificate checked against the awarding body's register.", "Mapping agreed with the provider.")


def _at(day: int, rnd) -> datetime:
    """A working-hours moment on a day, in UTC."""
    minutes = 8 * 60 + int(rnd() * 9 * 60)
    return datetime.combine(date.fromordinal(day), time(minutes // 60, minutes % 60), tzinfo=UTC)


def _iso_any(day: int) -> str:
    return date.fromordinal(day).isoformat()


class OrgDevelopment:
    """Writes one organisation's curriculum records and drafts its exceptions and prior-learning applications."""

    def __init__(self, *, workforce: OrgWorkforce, curriculum: Curriculum, drafts: StandardsDrafts, seed: int):
        self.wf = workforce
        self.org = workforce.org
        self.cur = curriculum
        self.drafts = drafts
        self.rng = random.Random(f"carelead-demo:{seed}:{self.org.code}:development")
        self.rnd = self.rng.random
        self.add = workforce.tables.training.add
        self.n = 0
        # Candidates for exceptions and prior learning: (worker, level rank, the one missing requirement).
        self.one_short: list[tuple[Worker, int, CurriculumRequirement]] = []
        self.below_gap: list[tuple[Worker, int, CurriculumRequirement]] = []
        care = self.org.kind == "care"
        self.on_time = 0.72 if care else 0.82

    # Records --------------------------------------------------------------------------------------------

    def write(self) -> None:
        persona = self.wf.persona
        staff_persona = persona.staff_id if persona else None
        manager_persona = persona.line_manager_id if persona else None
        for w in self.wf.workers:
            if w.pid == staff_persona:
                self._staff(w, persona=True)
            elif w.rank == STAFF:
                self._staff(w)
            else:
                self._manager(w, persona=w.pid == manager_persona)
        self._exceptions()
        self._prior_learning()
        self._past_exceptions()

    def _record(
        self, w: Worker, module: str, day: int, provider: str, *, completed: bool = True, expires: int = 0
    ) -> None:
        self.n += 1
        self.add(
            (
                f"{self.org.code}-C{self.n:07d}",
                w.pid,
                module,
                False,
                iso(day),
                completed,
                _iso_any(expires) if expires else None,
                provider,
            )
        )

    def _span(self, w: Worker) -> tuple[int, int]:
        """Days a completion can carry: from the start (or earlier, for recent starters), before the last day."""
        last = w.end or AS_OF
        lo = w.start if last - w.start >= 540 else w.start - 540
        return lo, last - 1

    def _modules(self, req: CurriculumRequirement) -> list[str]:
        """The requirement's modules, starting from a random one."""
        modules = req.modules
        if len(modules) == 1:
            return list(modules)
        i = int(self.rnd() * len(modules))
        return list(modules[i:] + modules[:i])

    def _complete(self, w: Worker, req: CurriculumRequirement, lo: int, hi: int) -> bool:
        """A completion that counts, dated in [lo, hi]; False when no module could have been."""
        for module in self._modules(req):
            found = self.cur.completion(module, lo, hi, self.rnd)
            if found is not None:
                day, provider = found
                # Some completions carry a five-year expiry; none that counts expires within three years.
                expires = day + 5 * YEAR if day >= AS_OF - 2 * YEAR and self.rnd() < 0.25 else 0
                self._record(w, module, day, provider, expires=expires)
                return True
        return False

    def _missing(self, w: Worker, req: CurriculumRequirement, lo: int, hi: int, kind: str) -> None:
        """Leave a requirement unmet, with a record that does not count when ``kind`` says so."""
        cur, rnd = self.cur, self.rnd
        modules = self._modules(req)
        if kind == "lapsed":
            for module in modules:
                found = cur.lapsed_completion(module, lo, hi, rnd)
                if found is not None:
                    self._record(w, module, found[0], found[1])
                    return
            # No lapsed accreditation to name: a provider never accredited for the module.
            module = modules[0]
            others = cur.unaccredited.get(module)
            first = max(lo, cur.first_day(module))
            if others and first <= hi:
                self._record(w, module, first + int(rnd() * (hi - first + 1)), self.rng.choice(others))
                return
            kind = "expired"
        if kind == "expired":
            for module in modules:
                found = cur.completion(module, lo, min(hi, AS_OF - 400), rnd)
                if found is not None:
                    day, provider = found
                    self._record(w, module, day, provider, expires=day + YEAR + int(rnd() * (AS_OF - 1 - day - YEAR)))
                    return
            kind = "started"
        if kind == "started":
            for module in modules:
                found = cur.completion(module, max(lo, AS_OF - 150), hi, rnd)
                if found is not None:
                    self._record(w, module, found[0], found[1], completed=False)
                    return

    def _missing_kind(self) -> str:
        return self._pick(MISSING_KINDS)

    def _induction(self, w: Worker, *, on_time: float, force: bool = False) -> bool:
        """The national induction for someone who joined since it started; True when it counts."""
        cur, rnd = self.cur, self.rnd
        ind = cur.induction
        hi = (w.end or AS_OF) - 1
        due = w.start + cur.due_days
        r = rnd()
        if force or r < on_time:
            lo, top = w.start + 2, min(due, hi)
            if force and lo > top:
                lo, top = w.start - 60, max(w.start - 1, hi)
        elif r < on_time + 0.08:
            lo, top = due + 1, min(due + 240, hi)
        else:
            if rnd() < 0.2:
                self._missing(w, ind, w.start, hi, "lapsed")
            return False
        return lo <= top and self._complete(w, ind, lo, top)

    def _staff(self, w: Worker, *, persona: bool = False) -> None:
        cur, rnd = self.cur, self.rnd
        ind = cur.induction
        if ind is not None:
            if w.start >= cur.induction_from:
                self._induction(w, on_time=0.6 if w.bank else self.on_time, force=persona)
            elif persona or (not w.end and rnd() < 0.2):
                lo, hi = self._span(w)
                self._complete(w, ind, lo, hi)
        for req in cur.optional[STAFF]:
            if persona or rnd() < 0.06:
                lo, hi = self._span(w)
                self._complete(w, req, lo, hi)

    def _manager(self, w: Worker, *, persona: bool = False) -> None:
        cur, rng, rnd = self.cur, self.rng, self.rnd
        rank = w.rank
        lo, hi = self._span(w)
        ind = cur.induction
        below = [req for k in range(rank) for req in cur.gating[k]]
        gap = None
        if ind is not None and w.start >= cur.induction_from:
            below = [req for req in below if req is not ind]
            if not self._induction(w, on_time=0.9, force=persona):
                gap = ind
        if gap is None and below and not persona and rnd() < BELOW_GAP:
            gap = rng.choice(below)
        for req in below:
            if req is gap:
                self._missing(w, req, lo, hi, self._missing_kind())
            else:
                self._complete(w, req, lo, hi)
        if gap is not None:
            self.below_gap.append((w, rank, gap))
        own = cur.gating[rank]
        if own and rank < EXECUTIVE:
            r = rnd()
            if persona or (gap is None and r < ONE_SHORT):
                short = rng.choice(own)
                met = [req for req in own if req is not short]
            elif r < ONE_SHORT + NEXT_MET:
                short, met = None, own
            else:
                short, met = None, rng.sample(own, int(rnd() * (len(own) - 1))) if len(own) > 1 else own
            for req in met:
                self._complete(w, req, lo, hi)
            if short is not None:
                self._missing(w, short, lo, hi, "started" if persona else self._missing_kind())
                if not persona:
                    self.one_short.append((w, rank + 1, short))
            elif len(met) < len(own) and rnd() < 0.1:
                self._missing(w, rng.choice([req for req in own if req not in met]), lo, hi, "started")
        elif own:
            for req in own:
                if rnd() < 0.5:
                    self._complete(w, req, lo, hi)
        for k in range(rank + 1):
            for req in cur.optional[k]:
                if rnd() < (0.25 if k == rank else 0.1):
                    self._complete(w, req, lo, hi)

    # Exceptions and prior learning ----------------------------------------------------------------------

    def _count(self, *, persona_count: int, per_staff: int) -> int:
        org, rnd = self.org, self.rnd
        if org.persona:
            return persona_count
        if org.type == "trust":
            return int(rnd() * 1.2 + org.staff / per_staff)
        if org.type == "icb":
            return 1 if rnd() < 0.25 else 0
        return 1 if rnd() < 0.02 else 0

    def _statuses(self, n: int, mix: tuple[tuple[str, float], ...]) -> list[str]:
        """n statuses from the mix; the personas' organisation shows each at least once."""
        statuses = [s for s, _ in mix] if self.org.persona else []
        while len(statuses) < n:
            statuses.append(self._pick(mix))
        return statuses

    def _pick(self, mix: tuple[tuple[str, float], ...]) -> str:
        r = self.rnd()
        for value, share in mix:
            if r < share:
                return value
            r -= share
        return mix[-1][0]

    def _exceptions(self) -> None:
        rng, rnd = self.rng, self.rnd
        n = self._count(persona_count=4, per_staff=20_000)
        if not n:
            return
        short, gaps = self.one_short, self.below_gap
        rng.shuffle(short)
        rng.shuffle(gaps)
        requester = HR if self.org.persona else NATIONAL
        for status in self._statuses(n, (("approved", 0.6), ("requested", 0.2), ("refused", 0.2))):
            if status == "approved" and gaps and rnd() < 0.3:
                # Appointed at their level under an exception while they complete what is missing.
                w, rank, req = gaps.pop()
            elif short:
                w, rank, req = short.pop()
            else:
                continue
            reason = rng.choice(EXCEPTION_REASONS).format(module=rng.choice(req.modules), title=req.title.lower())
            decided = None
            if status == "requested":
                asked = AS_OF - 1 - int(rnd() * 30)
                expires = asked + 180 + int(rnd() * 180)
            elif status == "refused":
                asked = AS_OF - 20 - int(rnd() * 130)
                decided = min(AS_OF - 1, asked + 3 + int(rnd() * 18))
                expires = asked + 90 + int(rnd() * 270)
            elif rnd() < 0.15:
                # An approval that has run out.
                asked = AS_OF - 380 - int(rnd() * 120)
                decided = asked + 2 + int(rnd() * 10)
                expires = asked + 180 + int(rnd() * 185)
            else:
                asked = AS_OF - 10 - int(rnd() * 30)
                decided = min(AS_OF - 1, asked + 2 + int(rnd() * 8))
                expires = asked + 340 + int(rnd() * 25)
            self.drafts.exceptions.append(
                ExceptionDraft(
                    person=w.pid,
                    level=LEVELS[rank],
                    reason=reason,
                    requested_by=requester,
                    status=status,
                    requested_at=_at(asked, rnd),
                    decided_at=_at(decided, rnd) if decided else None,
                    expires_on=date.fromordinal(expires),
                )
            )

    def _prior_learning(self) -> None:
        rng, rnd = self.rng, self.rnd
        n = self._count(persona_count=4, per_staff=15_000)
        short = self.one_short
        reviewer = HR if self.org.persona else NATIONAL
        for status in self._statuses(n, (("pending", 0.4), ("approved", 0.35), ("rejected", 0.25))):
            if not short:
                return
            w, _, req = short.pop()
            evidence = rng.choice(EVIDENCE).format(title=req.title.lower())
            if status == "pending":
                applied, reviewed, note = AS_OF - 2 - int(rnd() * 60), None, ""
            else:
                applied = AS_OF - 40 - int(rnd() * 260)
                reviewed = min(AS_OF - 1, applied + 5 + int(rnd() * 25))
                note = rng.choice(APPROVALS if status == "approved" else REJECTIONS)
            self.drafts.prior_learning.append(
                PriorLearningDraft(
                    person=w.pid,
                    requirement=req.id,
                    evidence=evidence,
                    status=status,
                    reviewer=reviewer if reviewed else None,
                    applied_at=_at(applied, rnd),
                    reviewed_on=date.fromordinal(reviewed) if reviewed else None,
                    note=note,
                )
            )

    def _past_exceptions(self) -> None:
        """Exceptions approved or refused in the financial years before the last, from the candidates left."""
        org, rng, rnd = self.org, self.rng, self.rnd
        if org.type == "trust":
            per_year = org.staff * PAST_EXCEPTIONS_PER_STAFF
        elif org.type == "icb":
            per_year = PAST_EXCEPTIONS_ICB
        else:
            per_year = PAST_EXCEPTIONS_CARE
        if org.persona:
            # The personas' trust shows a few whatever its size.
            per_year = max(per_year, 1.0)
        pool = self.one_short + self.below_gap
        if not pool:
            return
        rng.shuffle(pool)
        requester = HR if org.persona else NATIONAL
        monitoring, gaps = self.wf.monitoring, self.wf.gaps
        for year, (start, end) in enumerate(PERIOD_DAYS[:-1]):
            for _ in range(int(per_year + rnd())):
                if not pool:
                    return
                w, rank, req = pool.pop()
                first, last = max(start, w.start + 90), min(end, (w.end or AS_OF) - 30)
                if first > last:
                    continue
                asked = first + int(rnd() * (last - first + 1))
                _, ethnic, disability = monitoring[w.pid]
                approve = 0.7
                if ethnic_group(ethnic) == "bme":
                    approve *= 1.0 - cat.BME_EXCEPTION_GAP * gaps[year]
                if disability == "Y":
                    approve *= 1.0 - cat.DISABLED_EXCEPTION_GAP * gaps[year]
                status = "approved" if rnd() < approve else "refused"
                decided = asked + 2 + int(rnd() * 14)
                expires = min(AS_OF - 1, asked + 180 + int(rnd() * 185))
                reason = rng.choice(EXCEPTION_REASONS).format(module=rng.choice(req.modules), title=req.title.lower())
                self.drafts.exceptions.append(
                    ExceptionDraft(
                        person=w.pid,
                        level=LEVELS[rank],
                        reason=reason,
                        requested_by=requester,
                        status=status,
                        requested_at=_at(asked, rnd),
                        decided_at=_at(decided, rnd),
                        expires_on=date.fromordinal(expires),
                    )
                )
