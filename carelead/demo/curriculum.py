"""The accredited curriculum as the demo generator needs it, read from the database once per load.

The requirements, modules, providers and accreditations are national content that a data migration loads into
every database, so the demo never creates them: it reads them here, turns each accreditation into day numbers,
and answers the questions the generator asks for each person (on which day, and through which provider, could
this module have been completed so that it counts; or so that it does not).

Gate exceptions and prior-learning applications name the users who asked for and decided them, and the demo's
users are created only after the people are written, so the workforce generator collects them as drafts and
the loader writes them once the persona logins exist.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from django.conf import settings

from carelead.core.choices import LEVEL_ORDER
from carelead.demo import catalogue as cat
from carelead.standards.models import Accreditation, Provider, Requirement

AS_OF = cat.AS_OF.toordinal()
# Accreditation windows still open (valid_to is null) run to a day well past any date the demo writes.
OPEN_END = date(2100, 1, 1).toordinal()
NOT_COUNTING = (Accreditation.Status.SUSPENDED, Accreditation.Status.WITHDRAWN)

# Who asked for or decided a gate exception or prior-learning application: resolved to persona users on writing.
HR = "org_hr"
NATIONAL = "national_admin"
REGIONAL = "regional_talent"

Window = tuple[str, int, int]  # provider code, first day, last day (ordinals, inclusive)


@dataclass(frozen=True)
class CurriculumRequirement:
    """One requirement and the modules that meet it."""

    id: int
    code: str
    title: str
    rank: int  # index of the requirement's level in LEVEL_ORDER
    gating: bool
    modules: tuple[str, ...]


@dataclass
class Curriculum:
    """The active requirements by level and, per module, the windows in which a completion counts or not."""

    gating: list[list[CurriculumRequirement]]  # by level rank
    optional: list[list[CurriculumRequirement]]  # non-gating, by level rank
    induction: CurriculumRequirement | None
    induction_from: int  # day number of settings.CARELEAD_INDUCTION_FROM
    due_days: int
    counting: dict[str, list[Window]]  # module code -> provider windows that count
    lapsed: dict[str, list[Window]]  # module code -> windows where a named provider was not accredited
    unaccredited: dict[str, list[str]]  # module code -> providers never accredited for it

    @classmethod
    def load(cls) -> "Curriculum":
        """Read the curriculum (a handful of queries, once per load)."""
        requirements = list(
            Requirement.objects.filter(active=True).prefetch_related("modules").order_by("order", "code")
        )
        accreditations = list(Accreditation.objects.select_related("provider", "module"))
        providers = sorted(Provider.objects.values_list("code", flat=True))
        gating: list[list[CurriculumRequirement]] = [[] for _ in LEVEL_ORDER]
        optional: list[list[CurriculumRequirement]] = [[] for _ in LEVEL_ORDER]
        induction = None
        counting: dict[str, list[Window]] = {}
        lapsed: dict[str, list[Window]] = {}
        by_module: dict[str, list[Accreditation]] = {}
        for a in accreditations:
            by_module.setdefault(a.module.code, []).append(a)
        for code, accs in by_module.items():
            good, bad = _windows(accs)
            counting[code], lapsed[code] = good, bad
        for r in requirements:
            # Only modules some provider was ever accredited for can be completed so that they count.
            modules = tuple(sorted(m.code for m in r.modules.all() if counting.get(m.code)))
            item = CurriculumRequirement(
                id=r.pk,
                code=r.code,
                title=r.title,
                rank=LEVEL_ORDER.index(r.level),
                gating=r.gating,
                modules=modules,
            )
            if r.code == settings.CARELEAD_INDUCTION_REQUIREMENT:
                induction = item
            if modules:
                (gating if r.gating else optional)[item.rank].append(item)
        unaccredited = {
            code: [p for p in providers if p not in {a.provider.code for a in accs}] for code, accs in by_module.items()
        }
        return cls(
            gating=gating,
            optional=optional,
            induction=induction if induction is not None and induction.modules else None,
            induction_from=date.fromisoformat(settings.CARELEAD_INDUCTION_FROM).toordinal(),
            due_days=settings.CARELEAD_INDUCTION_DUE_DAYS,
            counting=counting,
            lapsed=lapsed,
            unaccredited=unaccredited,
        )

    def first_day(self, module: str) -> int:
        """The first day a completion of the module can count."""
        return min((w[1] for w in self.counting.get(module, ())), default=OPEN_END)

    def completion(self, module: str, lo: int, hi: int, rnd: Callable[[], float]) -> tuple[int, str] | None:
        """A day in [lo, hi] and a provider accredited for the module on that day, or None."""
        return _pick(self.counting.get(module, ()), lo, hi, rnd)

    def lapsed_completion(self, module: str, lo: int, hi: int, rnd: Callable[[], float]) -> tuple[int, str] | None:
        """A day in [lo, hi] and a provider once (or suspended) accredited for the module but not on that day."""
        return _pick(self.lapsed.get(module, ()), lo, hi, rnd)


def _windows(accreditations: list[Accreditation]) -> tuple[list[Window], list[Window]]:
    """The windows in which each provider's completions count, and those in which they do not.

    A completion does not count after a provider's accreditation expired (unless a later one covers the day) or
    while it is suspended or withdrawn: those are the lapsed windows, up to the demo's as-of day.
    """
    good: list[Window] = []
    bad: list[Window] = []
    providers: dict[str, list[Accreditation]] = {}
    for a in accreditations:
        providers.setdefault(a.provider.code, []).append(a)
    for provider in sorted(providers):
        accs = providers[provider]
        covered = sorted(
            (a.valid_from.toordinal(), a.valid_to.toordinal() if a.valid_to else OPEN_END)
            for a in accs
            if a.status not in NOT_COUNTING
        )
        good += [(provider, lo, hi) for lo, hi in covered]
        gaps = []
        for a in accs:
            if a.status in NOT_COUNTING:
                gaps.append((a.valid_from.toordinal(), a.valid_to.toordinal() if a.valid_to else AS_OF))
            elif a.valid_to is not None:
                gaps.append((a.valid_to.toordinal() + 1, AS_OF))
        for lo, hi in gaps:
            if lo > min(hi, AS_OF):
                continue
            for piece in _subtract((lo, min(hi, AS_OF)), covered):
                bad.append((provider, *piece))
    return good, bad


def _subtract(span: tuple[int, int], covered: list[tuple[int, int]]) -> list[tuple[int, int]]:
    pieces = [span]
    for c_lo, c_hi in covered:
        out = []
        for lo, hi in pieces:
            if c_hi < lo or c_lo > hi:
                out.append((lo, hi))
                continue
            if lo < c_lo:
                out.append((lo, c_lo - 1))
            if c_hi < hi:
                out.append((c_hi + 1, hi))
        pieces = out
    return [p for p in pieces if p[0] <= p[1]]


def _pick(windows, lo: int, hi: int, rnd: Callable[[], float]) -> tuple[int, str] | None:
    """A uniformly chosen (day, provider) among the windows clipped to [lo, hi]."""
    clipped = []
    total = 0
    for provider, w_lo, w_hi in windows:
        a, b = max(lo, w_lo), min(hi, w_hi)
        if a <= b:
            clipped.append((provider, a, b))
            total += b - a + 1
    if not total:
        return None
    r = int(rnd() * total)
    for provider, a, b in clipped:
        span = b - a + 1
        if r < span:
            return a + r, provider
        r -= span
    provider, a, b = clipped[-1]
    return b, provider


@dataclass
class ExceptionDraft:
    """A gate exception to write once the persona users exist."""

    person: int
    level: str
    reason: str
    requested_by: str  # HR or NATIONAL
    status: str
    requested_at: datetime
    decided_at: datetime | None
    expires_on: date


@dataclass
class PriorLearningDraft:
    """A prior-learning application to write once the persona users exist."""

    person: int
    requirement: int
    evidence: str
    status: str
    reviewer: str | None  # HR or NATIONAL when reviewed
    applied_at: datetime
    reviewed_on: date | None
    note: str


@dataclass
class StandardsDrafts:
    """Gate exceptions and prior-learning applications of the whole load: a few per organisation at most."""

    exceptions: list[ExceptionDraft] = field(default_factory=list)
    prior_learning: list[PriorLearningDraft] = field(default_factory=list)
