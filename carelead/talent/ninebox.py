"""The 9-box: performance (1 to 3) by potential (1 to 3), derived from the records, with calibration kept beside.

The rule, also shown on the 9-box pages:

- Performance is the final rating of the person's latest signed-off appraisal (the calibrated rating where
  appraisal calibration changed it): exceptional 3, good 2, development needed or unsatisfactory 1. Without a
  signed-off appraisal, it is the impact recorded at their latest talent conversation: high 3, medium 2, low 1.
- Potential is the appetite to grow recorded at their latest talent conversation: high 3, medium 2, low 1. It is
  one step higher (never above 3) when the person is ready now for their next step and their appetite to grow is
  not low.
- Potential has no other source, so nobody is placed without a talent conversation; the page says why.
- A calibration keeps the placement the records gave (the original) beside the adjusted one. Only the latest
  calibration counts, and only while its original still equals the placement the records give: once a new
  appraisal or conversation moves the placement, it is derived afresh and the calibration no longer applies.

Placements are worked out in bulk: one query for the people and one each for their latest appraisal,
conversation and calibration, whatever the number of people.
"""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q, QuerySet, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from carelead.accounts.permissions import Scope, assignment_has
from carelead.accounts.roles import Role
from carelead.appraisals.models import Appraisal
from carelead.audit.models import AuditLog
from carelead.audit.services import Actor, audit_record
from carelead.core.choices import AppraisalRating
from carelead.people.models import Person
from carelead.people.selectors import reports_q
from carelead.talent.models import (
    Level3,
    MembershipStatus,
    NineBoxCalibration,
    PoolMembership,
    Readiness,
    TalentConversation,
)
from carelead.talent.permissions import CALIBRATE_NINEBOX, VIEW_NINEBOX

# The rule's tables: one place, read by the derivation and by the page that explains it.
RATING_PERFORMANCE = {
    AppraisalRating.EXCEPTIONAL: 3,
    AppraisalRating.GOOD: 2,
    AppraisalRating.DEVELOPMENT_NEEDED: 1,
    AppraisalRating.UNSATISFACTORY: 1,
}
LEVEL3_SCORE = {Level3.LOW: 1, Level3.MEDIUM: 2, Level3.HIGH: 3}
SCORE_LABEL = {1: "Low", 2: "Medium", 3: "High"}
SCORES = (1, 2, 3)

NO_RECORDS = "No signed-off appraisal and no talent conversation"
NO_CONVERSATION = "No talent conversation, so no measure of potential (a signed-off appraisal gives performance only)"

# Appraisal states whose rating counts, as carelead.appraisals.selectors.latest_outcomes reads them.
_FINISHED = (Appraisal.State.SIGNED_OFF, Appraisal.State.CALIBRATED)


# The rule ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Derived:
    """The placement the records give, before calibration."""

    performance: int | None
    potential: int | None
    performance_source: str  # "appraisal", "conversation" or ""
    reason: str = ""  # why the person is not placed

    @property
    def placed(self) -> bool:
        return self.performance is not None and self.potential is not None


def placement_derive(*, rating: str = "", impact: str = "", growth: str = "", readiness: str = "") -> Derived:
    """Apply the rule to one person's latest appraisal rating and latest talent conversation."""
    performance, source = None, ""
    if rating in RATING_PERFORMANCE:
        performance, source = RATING_PERFORMANCE[rating], "appraisal"
    elif impact in LEVEL3_SCORE:
        performance, source = LEVEL3_SCORE[impact], "conversation"
    potential = None
    if growth in LEVEL3_SCORE:
        potential = LEVEL3_SCORE[growth]
        if readiness == Readiness.READY_NOW and growth != Level3.LOW:
            potential = min(potential + 1, 3)
    reason = ""
    if performance is None and potential is None:
        reason = NO_RECORDS
    elif potential is None:
        reason = NO_CONVERSATION
    elif performance is None:
        reason = "No measure of performance"
    return Derived(performance, potential, source, reason)


def calibration_resolve(derived: Derived, latest: dict | None) -> tuple[int | None, int | None, str]:
    """(performance, potential, state) once the latest calibration is taken into account.

    state is "none" (never calibrated), "applies" (the calibrated values stand) or "stale" (the records have
    moved on since, so the derived placement stands).
    """
    if latest is None:
        return derived.performance, derived.potential, "none"
    original = (latest["original_performance"], latest["original_potential"])
    if derived.placed and original == (derived.performance, derived.potential):
        return latest["performance"], latest["potential"], "applies"
    return derived.performance, derived.potential, "stale"


def cell_label(performance: int, potential: int) -> str:
    """The words for a box, e.g. "High potential, high performance"."""
    return f"{SCORE_LABEL[potential]} potential, {SCORE_LABEL[performance].lower()} performance"


# Reading placements in bulk ---------------------------------------------------------------------------------


@dataclass
class Placement:
    """One person on the 9-box (or not placed, with the reason), with the records it came from."""

    person_id: int
    staff_id: str
    name: str
    organisation: str
    derived: Derived
    performance: int | None
    potential: int | None
    calibration_state: str
    calibration: dict | None = None
    appraisal: dict | None = None
    conversation: dict | None = None

    @property
    def placed(self) -> bool:
        return self.performance is not None and self.potential is not None

    @property
    def calibrated(self) -> bool:
        return self.calibration_state == "applies"

    @property
    def cell(self) -> str:
        """The box as "performance-potential", e.g. "3-2"; "none" when not placed."""
        return f"{self.performance}-{self.potential}" if self.placed else "none"

    @property
    def label(self) -> str:
        return cell_label(self.performance, self.potential) if self.placed else "Not placed"


def latest_rows(queryset: QuerySet, order: list, fields: list[str]) -> dict[int, dict[str, Any]]:
    """Each person's first row of ``queryset`` in ``order``, as dicts keyed by person id, from one query."""
    ranked = queryset.annotate(latest_rank=Window(RowNumber(), partition_by=[F("person_id")], order_by=order)).filter(
        latest_rank=1
    )
    return {row["person_id"]: row for row in ranked.values("person_id", *fields)}


def latest_appraisals(person_ids) -> dict[int, dict[str, Any]]:
    """Each person's latest signed-off appraisal with its final rating (as ``latest_outcomes`` reads it)."""
    rows = latest_rows(
        Appraisal.objects.filter(person_id__in=person_ids, state__in=_FINISHED),
        [F("signed_off_on").desc(), F("pk").desc()],
        ["pk", "cycle__year", "signed_off_on", "overall_rating", "calibrated_rating", "readiness"],
    )
    for row in rows.values():
        row["final_rating"] = row["calibrated_rating"] or row["overall_rating"]
    return rows


def latest_conversation_rows(person_ids) -> dict[int, dict[str, Any]]:
    """Each person's latest talent conversation (as ``latest_conversations`` reads it), as plain values."""
    return latest_rows(
        TalentConversation.objects.filter(person_id__in=person_ids),
        [F("held_on").desc(), F("pk").desc()],
        ["pk", "held_on", "impact", "growth", "readiness", "mobility_regions", "mobility_sectors"],
    )


def latest_calibrations(person_ids) -> dict[int, dict[str, Any]]:
    return latest_rows(
        NineBoxCalibration.objects.filter(person_id__in=person_ids),
        [F("at").desc(), F("pk").desc()],
        ["pk", "original_performance", "original_potential", "performance", "potential", "reason", "at"],
    )


def placements_for(people: QuerySet[Person]) -> list[Placement]:
    """Everyone in ``people`` on the 9-box, in name order, from four queries whatever their number."""
    ids = people.values("pk")
    rows = list(
        people.order_by("last_name", "first_name", "staff_id").values(
            "pk", "staff_id", "first_name", "last_name", "organisation__name"
        )
    )
    appraisals = latest_appraisals(ids)
    conversations = latest_conversation_rows(ids)
    calibrations = latest_calibrations(ids)
    out = []
    for row in rows:
        pk = row["pk"]
        appraisal, conversation, calibration = appraisals.get(pk), conversations.get(pk), calibrations.get(pk)
        derived = placement_derive(
            rating=appraisal["final_rating"] if appraisal else "",
            impact=conversation["impact"] if conversation else "",
            growth=conversation["growth"] if conversation else "",
            readiness=conversation["readiness"] if conversation else "",
        )
        performance, potential, state = calibration_resolve(derived, calibration)
        out.append(
            Placement(
                person_id=pk,
                staff_id=row["staff_id"],
                name=f"{row['first_name']} {row['last_name']}",
                organisation=row["organisation__name"],
                derived=derived,
                performance=performance,
                potential=potential,
                calibration_state=state,
                calibration=calibration,
                appraisal=appraisal,
                conversation=conversation,
            )
        )
    return out


def placement_of(person: Person) -> Placement:
    return placements_for(Person.objects.filter(pk=person.pk))[0]


@dataclass(frozen=True)
class Grid:
    """Counts per box over everyone in a scope, and who is not placed."""

    counts: dict[str, int]
    not_placed: int
    total: int

    def rows(self) -> list[list[dict[str, Any]]]:
        """The boxes as the chart draws them: high potential at the top, low performance on the left."""
        return [
            [
                {
                    "key": f"{performance}-{potential}",
                    "performance": performance,
                    "potential": potential,
                    "label": cell_label(performance, potential),
                    "count": self.counts.get(f"{performance}-{potential}", 0),
                }
                for performance in SCORES
            ]
            for potential in reversed(SCORES)
        ]


def grid_of(placements: list[Placement]) -> Grid:
    counts: dict[str, int] = {}
    for p in placements:
        if p.placed:
            counts[p.cell] = counts.get(p.cell, 0) + 1
    placed = sum(counts.values())
    return Grid(counts=counts, not_placed=len(placements) - placed, total=len(placements))


def placements_filter(placements: list[Placement], *, cell: str = "", q: str = "") -> list[Placement]:
    """The people in one box ("3-2", or "none" for those not placed) whose name or staff ID matches ``q``."""
    out = placements
    if cell:
        out = [p for p in out if p.cell == cell]
    if q:
        needle = q.strip().lower()
        out = [p for p in out if needle in p.name.lower() or needle == p.staff_id.lower()]
    return out


# Who is on whose 9-box --------------------------------------------------------------------------------------


def _in_post_q(day: date) -> Q:
    return Q(end_date__isnull=True) | Q(end_date__gte=day)


def team_people(*, manager_id: int, on: date | None = None) -> QuerySet[Person]:
    """A manager's direct and indirect reports in post."""
    on = on or timezone.localdate()
    return Person.objects.filter(reports_q(manager_id=manager_id)).filter(_in_post_q(on))


def organisation_people(*, organisation, on: date | None = None) -> QuerySet[Person]:
    """Everyone in post in an organisation and the organisations beneath it."""
    on = on or timezone.localdate()
    return Person.objects.filter(organisation__path__startswith=organisation.path).filter(_in_post_q(on))


def active_member_ids(*, pools, on: date | None = None) -> QuerySet:
    """Ids of people with an approved membership that has not expired, in any of ``pools`` (a queryset or list)."""
    on = on or timezone.localdate()
    return PoolMembership.objects.filter(pool__in=pools, status=MembershipStatus.APPROVED, expires_on__gte=on).values(
        "person_id"
    )


def pool_people(*, pool, on: date | None = None) -> QuerySet[Person]:
    """The approved members of a pool whose membership has not expired."""
    return Person.objects.filter(pk__in=active_member_ids(pools=[pool], on=on))


@dataclass(frozen=True)
class NineBoxPolicy:
    """Whose placement a user, acting under a role assignment, may read and calibrate.

    Line managers read their reports' (direct and indirect); HR reads and calibrates its organisation's; the
    regional talent team reads and calibrates the active members of its region's pools; national administrators
    read everyone's and calibrate nobody's.
    """

    assignment: Any
    user: Any

    @property
    def role(self) -> str | None:
        return getattr(self.assignment, "role", None)

    def _region_members_q(self) -> Q:
        from carelead.talent.models import TalentPool

        pools = TalentPool.objects.filter(region_id=self.assignment.organisation_id)
        return Q(pk__in=active_member_ids(pools=pools))

    def readable_q(self) -> Q:
        """The people whose placement may be read."""
        if not assignment_has(self.assignment, VIEW_NINEBOX):
            return Q(pk__in=[])
        if self.role == Role.LINE_MANAGER and self.user.person_id:
            return reports_q(manager_id=self.user.person_id)
        if self.role == Role.ORG_HR:
            return Scope.of(self.assignment).organisations_q("organisation__")
        if self.role == Role.REGIONAL_TALENT and self.assignment.organisation_id:
            return self._region_members_q()
        if self.role == Role.NATIONAL_ADMIN:
            return Q()
        return Q(pk__in=[])

    def calibratable_q(self) -> Q:
        """The people whose placement may be calibrated."""
        if not assignment_has(self.assignment, CALIBRATE_NINEBOX):
            return Q(pk__in=[])
        if self.role == Role.ORG_HR:
            return Scope.of(self.assignment).organisations_q("organisation__")
        if self.role == Role.REGIONAL_TALENT and self.assignment.organisation_id:
            return self._region_members_q()
        return Q(pk__in=[])

    def may_read(self, person: Person) -> bool:
        return Person.objects.filter(self.readable_q(), pk=person.pk).exists()

    def may_calibrate(self, person: Person) -> bool:
        return Person.objects.filter(self.calibratable_q(), pk=person.pk).exists()


def ninebox_person_get(*, assignment, user, staff_id: str) -> Person:
    """A person whose placement the user may read; 404 for anyone else."""
    from django.http import Http404

    policy = NineBoxPolicy(assignment=assignment, user=user)
    person = (
        Person.objects.filter(policy.readable_q(), staff_id=staff_id)
        .select_related("organisation", "line_manager")
        .first()
    )
    if person is None:
        raise Http404("No such person on your 9-box")
    return person


def calibration_history(*, person: Person, limit: int = 50) -> list[NineBoxCalibration]:
    """A person's calibrations, newest first."""
    return list(NineBoxCalibration.objects.filter(person=person).select_related("by").order_by("-at", "-pk")[:limit])


# Calibrating ------------------------------------------------------------------------------------------------


@transaction.atomic
def ninebox_calibrate(
    *, person: Person, performance: int, potential: int, reason: str, by, assignment
) -> NineBoxCalibration:
    """Calibrate a person's placement, keeping the placement the records give beside the adjusted one."""
    if not NineBoxPolicy(assignment=assignment, user=by).may_calibrate(person):
        raise PermissionDenied("You cannot calibrate this person's 9-box placement.")
    # One calibration at a time per person, so each one's original is the placement it really adjusted.
    person = Person.objects.select_for_update().select_related("organisation").get(pk=person.pk)
    errors = {}
    if performance not in SCORES:
        errors["performance"] = "Choose a performance of 1, 2 or 3."
    if potential not in SCORES:
        errors["potential"] = "Choose a potential of 1, 2 or 3."
    reason = (reason or "").strip()
    if not reason:
        errors["reason"] = "Give the reason for the calibration."
    if errors:
        raise ValidationError(errors)
    placement = placement_of(person)
    if not placement.derived.placed:
        raise ValidationError(
            f"{person.full_name} is not placed on the 9-box ({placement.derived.reason.lower()}), "
            "so there is nothing to calibrate."
        )
    if (performance, potential) == (placement.performance, placement.potential):
        raise ValidationError(
            f"{person.full_name} is already in the box {cell_label(performance, potential).lower()}. "
            "Choose a different box."
        )
    calibration = NineBoxCalibration(
        person=person,
        original_performance=placement.derived.performance,
        original_potential=placement.derived.potential,
        performance=performance,
        potential=potential,
        reason=reason,
        by=by,
    )
    calibration.full_clean()
    calibration.save()
    audit_record(
        actor=Actor.of(by),
        action=AuditLog.Action.CREATE,
        object_type="talent.NineBoxCalibration",
        object_id=calibration.pk,
        object_repr=f"9-box calibration for {person.staff_id}",
        changes={
            "original": [placement.derived.performance, placement.derived.potential],
            "calibrated": [performance, potential],
            "reason": reason,
        },
        subject_person_id=person.pk,
        organisation_id=person.organisation_id,
    )
    return calibration
