"""The progression gate (domain.md section 3, contract section 6): who may be appointed at a level, and why not.

One function decides, for every path that raises a level (pages, imports, the API, the command line), and it
explains itself: each gating requirement below the level with the evidence that meets it, or the reason it is
not met and the quickest modules that would meet it.
"""

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Prefetch
from django.utils import timezone

from carelead.core.choices import LEVEL_ORDER, Level
from carelead.core.keys import keys_q
from carelead.learning.models import TrainingRecord
from carelead.standards.models import Accreditation, GateException, Module, Offering, PriorLearning, Requirement


@dataclass
class Outcome:
    """How one requirement stands for one person on one day."""

    requirement: Requirement
    met: bool
    reason: str
    evidence: dict[str, Any] | None = None
    suggestions: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        data = {
            "requirement": self.requirement.code,
            "title": self.requirement.title,
            "level": self.requirement.level,
            "reason": self.reason,
        }
        if self.evidence:
            data["evidence"] = self.evidence
        if not self.met:
            data["suggested_modules"] = self.suggestions
        return data


@dataclass
class Eligibility:
    person: Any
    level: str
    on: date
    met: list[Outcome]
    missing: list[Outcome]
    exception: GateException | None = None

    @property
    def eligible(self) -> bool:
        """Every gating requirement below the level is met."""
        return not self.missing

    @property
    def appointable(self) -> bool:
        """Eligible, or covered by an approved exception that has not expired."""
        return self.eligible or self.exception is not None

    def as_dict(self) -> dict[str, Any]:
        data = {
            "staff_id": self.person.staff_id,
            "level": self.level,
            "on": self.on.isoformat(),
            "eligible": self.eligible,
            "appointable": self.appointable,
            "missing": [o.as_dict() for o in self.missing],
            "met": [o.as_dict() for o in self.met],
        }
        if self.exception is not None:
            data["exception"] = {
                "id": self.exception.pk,
                "expires_on": self.exception.expires_on.isoformat(),
                "reason": self.exception.reason,
            }
        return data

    def explain(self) -> str:
        """One sentence naming what is missing, for refusals."""
        if self.eligible:
            return f"eligible for {self.level}"
        names = "; ".join(f"{o.requirement.code} {o.requirement.title} ({o.reason})" for o in self.missing)
        return f"not eligible for {Level(self.level).label.lower()}: missing {names}"


def levels_below(level: str) -> list[str]:
    """The levels whose gating requirements guard ``level``."""
    if level not in LEVEL_ORDER:
        raise ValueError(f"'{level}' is not a level; use one of {', '.join(LEVEL_ORDER)}")
    return LEVEL_ORDER[: LEVEL_ORDER.index(level)]


def gating_requirements(*, level: str):
    """Active gating requirements of every level below ``level``, with modules and accreditations loaded."""
    return (
        Requirement.objects.filter(active=True, gating=True, level__in=levels_below(level))
        .prefetch_related(
            Prefetch(
                "modules",
                queryset=Module.objects.prefetch_related(
                    Prefetch("accreditations", queryset=Accreditation.objects.select_related("provider"))
                ),
            )
        )
        .order_by("order", "code")
    )


def eligibility_for_level(*, person, level: str, on: date | None = None) -> Eligibility:
    """Whether ``person`` may be appointed to a role at ``level`` on ``on`` (default today), with reasons."""
    on = on or timezone.localdate()
    requirements = list(gating_requirements(level=level))
    prepared = _prepare(requirements, on)
    course_codes = {m.code for r in requirements for m in r.modules.all()}
    records = list(
        TrainingRecord.objects.filter(person=person, course_code__in=course_codes, date__lte=on)
        .only(*RECORD_FIELDS)
        .order_by("-date")
    )
    prior = {
        p.requirement_id: p
        for p in PriorLearning.objects.filter(
            person=person, status=PriorLearning.Status.APPROVED, requirement__in=requirements, reviewed_on__lte=on
        )
    }
    met, missing = [], []
    for requirement in prepared:
        outcome = _outcome(requirement, records, prior.get(requirement.requirement.pk), on)
        (met if outcome.met else missing).append(outcome)
    exception = None
    if missing:
        exception = (
            GateException.objects.filter(
                person=person, level=level, status=GateException.Status.APPROVED, expires_on__gte=on
            )
            .order_by("-expires_on")
            .first()
        )
    return Eligibility(person=person, level=level, on=on, met=met, missing=missing, exception=exception)


def eligibility_for_people(*, people: list, levels_of, on: date | None = None) -> dict[tuple[int, str], Eligibility]:
    """Eligibility of many people, each at the levels ``levels_of(person)`` names, in a fixed number of queries.

    Returns {(person id, level): Eligibility}.
    """
    on = on or timezone.localdate()
    people = list(people)
    if not people:
        return {}
    requirements = list(
        Requirement.objects.filter(active=True, gating=True)
        .prefetch_related(
            Prefetch(
                "modules",
                queryset=Module.objects.prefetch_related(
                    Prefetch("accreditations", queryset=Accreditation.objects.select_related("provider"))
                ),
            )
        )
        .order_by("order", "code")
    )
    # Only the requirements some asked-for level needs, each prepared once for everyone.
    wanted = {lvl for person in people for lvl in levels_of(person)}
    needed = set().union(*(levels_below(lvl) for lvl in wanted)) if wanted else set()
    requirements = [r for r in requirements if r.level in needed]
    prepared = _prepare(requirements, on)
    codes = {m.code for r in requirements for m in r.modules.all()}
    records: dict[int, list[TrainingRecord]] = {}
    ids = [p.pk for p in people]
    # Plain rows, not model instances: the checks read six columns of what can be tens of thousands of records.
    for record in (
        TrainingRecord.objects.filter(keys_q("person_id", ids), course_code__in=codes, date__lte=on)
        .order_by("-date")
        .values_list(*RECORD_FIELDS, named=True)
    ):
        records.setdefault(record.person_id, []).append(record)
    prior: dict[tuple[int, int], PriorLearning] = {
        (p.person_id, p.requirement_id): p
        for p in PriorLearning.objects.filter(
            keys_q("person_id", ids), status=PriorLearning.Status.APPROVED, reviewed_on__lte=on
        )
    }
    exceptions: dict[tuple[int, str], GateException] = {}
    for e in GateException.objects.filter(
        keys_q("person_id", ids), status=GateException.Status.APPROVED, expires_on__gte=on
    ).order_by("expires_on"):
        exceptions[(e.person_id, e.level)] = e
    by_level = {lvl: [r for r in prepared if r.requirement.level in set(levels_below(lvl))] for lvl in wanted}
    out = {}
    for person in people:
        mine = records.get(person.pk, ())
        outcomes = {}
        for r in prepared:
            found = prior.get((person.pk, r.requirement.pk))
            # Nothing to weigh: the same answer for everyone, worked out once per requirement.
            outcomes[r.requirement.pk] = (
                _outcome(r, mine, found, on) if mine or found is not None else r.nothing_done(on)
            )
        for level in levels_of(person):
            checked = [outcomes[r.requirement.pk] for r in by_level[level]]
            missing = [o for o in checked if not o.met]
            out[(person.pk, level)] = Eligibility(
                person=person,
                level=level,
                on=on,
                met=[o for o in checked if o.met],
                missing=missing,
                exception=exceptions.get((person.pk, level)) if missing else None,
            )
    return out


def next_level(level: str) -> str | None:
    """The level above, or None at the top."""
    index = LEVEL_ORDER.index(level)
    return LEVEL_ORDER[index + 1] if index + 1 < len(LEVEL_ORDER) else None


# The training-record columns the gate reads.
RECORD_FIELDS = ("record_id", "person_id", "course_code", "date", "completed", "expires_on", "provider_code")


@dataclass
class _Prepared:
    """A requirement with what every person's check of it needs, worked out once: its modules by code, their
    accreditations by provider, and the suggestions offered to anyone who has not met it."""

    requirement: Requirement
    modules: dict[str, Module]
    accredited: dict[tuple[str, str], list[Accreditation]]
    suggestions: list[dict[str, Any]]
    _nothing: Outcome | None = None

    def nothing_done(self, on: date) -> Outcome:
        """The outcome for someone with no record of any of the modules and no prior learning (shared: read only)."""
        if self._nothing is None:
            self._nothing = _outcome(self, (), None, on)
        return self._nothing


def _prepare(requirements, on: date) -> list[_Prepared]:
    prepared = []
    for requirement in requirements:
        modules = {m.code: m for m in requirement.modules.all()}
        accredited: dict[tuple[str, str], list[Accreditation]] = {}
        for module in modules.values():
            for a in module.accreditations.all():
                accredited.setdefault((module.code, a.provider.code), []).append(a)
        prepared.append(_Prepared(requirement, modules, accredited, _suggestions(modules.values(), on)))
    return prepared


def _outcome(prepared: _Prepared, records: list[TrainingRecord], prior, on: date) -> Outcome:
    requirement, modules = prepared.requirement, prepared.modules
    reasons = []
    for record in records:
        module = modules.get(record.course_code)
        if module is None:
            continue
        if not record.completed:
            reasons.append(f"{module.code} was started on {record.date.isoformat()} but not completed")
            continue
        if record.expires_on is not None and record.expires_on < on:
            reasons.append(
                f"{module.code} completed on {record.date.isoformat()} expired on {record.expires_on.isoformat()}"
            )
            continue
        if not record.provider_code:
            reasons.append(f"{module.code} completed on {record.date.isoformat()} names no accredited provider")
            continue
        accreditations = prepared.accredited.get((module.code, record.provider_code), [])
        if not any(a.covers(record.date) for a in accreditations):
            reasons.append(
                f"{module.code} completed on {record.date.isoformat()} through {record.provider_code}, "
                "which was not accredited for it on that date"
            )
            continue
        return Outcome(
            requirement,
            True,
            f"completed {module.code}",
            evidence={
                "record_id": record.record_id,
                "module": module.code,
                "date": record.date.isoformat(),
                "provider": record.provider_code,
                "expires_on": record.expires_on.isoformat() if record.expires_on else None,
            },
        )
    if prior is not None:
        return Outcome(
            requirement,
            True,
            "recognised prior learning",
            evidence={"prior_learning_id": prior.pk, "approved_on": prior.reviewed_on.isoformat()},
        )
    reason = reasons[0] if reasons else "no completed module"
    return Outcome(requirement, False, reason, suggestions=list(prepared.suggestions))


def _suggestions(modules, on: date) -> list[dict[str, Any]]:
    """Modules that would meet the requirement, quickest first, with the providers accredited today."""
    offered = []
    for module in modules:
        providers = sorted({a.provider.code for a in module.accreditations.all() if a.covers(on)})
        if providers:
            offered.append(
                {"module": module.code, "title": module.title, "hours": float(module.hours), "providers": providers}
            )
    return sorted(offered, key=lambda m: (m["hours"], m["module"]))


def curriculum_document() -> list[dict[str, Any]]:
    """The active requirements as the contract's section 6 lists them, with providers' offerings."""
    modules = Module.objects.prefetch_related(
        Prefetch("accreditations", queryset=Accreditation.objects.select_related("provider")),
        Prefetch("offerings", queryset=Offering.objects.filter(active=True).select_related("provider")),
    )
    requirements = Requirement.objects.filter(active=True).prefetch_related(Prefetch("modules", queryset=modules))
    order = {level: i for i, level in enumerate(LEVEL_ORDER)}
    hidden = (Accreditation.Status.SUSPENDED, Accreditation.Status.WITHDRAWN)
    out = []
    for r in sorted(requirements, key=lambda r: (order[r.level], r.order, r.code)):
        out.append(
            {
                "code": r.code,
                "title": r.title,
                "level": r.level,
                "gating": r.gating,
                "modules": [
                    {
                        "code": m.code,
                        "title": m.title,
                        "hours": float(m.hours),
                        "providers": [
                            {
                                "code": a.provider.code,
                                "name": a.provider.name,
                                "valid_from": a.valid_from.isoformat(),
                                "valid_to": a.valid_to.isoformat() if a.valid_to else None,
                                "status": a.status,
                            }
                            for a in m.accreditations.all()
                            if a.status not in hidden
                        ],
                        "offerings": [
                            {
                                "provider": o.provider.code,
                                "provider_name": o.provider.name,
                                "mode": o.get_mode_display(),
                                "booking_url": o.booking_url,
                                "next_start": o.next_start.isoformat() if o.next_start else None,
                            }
                            for o in m.offerings.all()
                        ],
                    }
                    for m in sorted(r.modules.all(), key=lambda m: m.code)
                ],
            }
        )
    return out


def record_counts(record: TrainingRecord, on: date | None = None) -> bool:
    """Whether one training record is a completion that counts for its curriculum module on a day."""
    on = on or timezone.localdate()
    if not record.completed or record.date > on or (record.expires_on is not None and record.expires_on < on):
        return False
    if not record.provider_code:
        return False
    accreditations = Accreditation.objects.filter(module__code=record.course_code, provider__code=record.provider_code)
    return any(a.covers(record.date) for a in accreditations)
