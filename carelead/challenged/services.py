"""Writes for challenged organisations: their dated oversight status, and incentive packages on their leadership
vacancies. Each is validated (errors name the field), atomic, audited and checked against the acting role's
scope."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from carelead.accounts.permissions import Scope, assignment_has
from carelead.audit.models import AuditLog
from carelead.audit.services import Actor, AuditEntry, audit_bulk, audit_record, diff
from carelead.challenged.models import IncentivePackage, PackageStatus, StatusChange
from carelead.challenged.permissions import APPROVE_PACKAGE, PROPOSE_PACKAGE, RECORD_STATUS
from carelead.core.choices import CqcRating
from carelead.organisations.models import Organisation

# Segment 5, the Recovery Support Programme, exists from 2025/26 (domain.md section 6).
SEGMENT_FIVE_FROM = date(2025, 4, 1)
CLOSED_VACANCY = ("filled", "withdrawn")


@dataclass(frozen=True)
class IncentiveLimits:
    max_uplift_percent: Decimal
    max_uplift_pounds: int
    max_bonus_percent: Decimal
    leadership_levels: tuple[str, ...]


def incentive_limits() -> IncentiveLimits:
    """The limits in force, read from the settings when asked (never at import)."""
    return IncentiveLimits(
        max_uplift_percent=Decimal(str(settings.CARELEAD_INCENTIVE_MAX_UPLIFT_PERCENT)),
        max_uplift_pounds=int(settings.CARELEAD_INCENTIVE_MAX_UPLIFT_POUNDS),
        max_bonus_percent=Decimal(str(settings.CARELEAD_INCENTIVE_MAX_BONUS_PERCENT)),
        leadership_levels=tuple(settings.CARELEAD_INCENTIVE_LEVELS),
    )


def today() -> date:
    return timezone.localdate()


def is_challenged(*, oversight_segment: int | None, cqc_rating: str) -> bool:
    """The rule of Organisation.is_challenged, for values that are not (yet) an organisation's."""
    return Organisation(oversight_segment=oversight_segment, cqc_rating=cqc_rating or "").is_challenged


def _check_scope(assignment, code: str, organisation: Organisation) -> None:
    if not assignment_has(assignment, code) or not Scope.of(assignment).contains_path(organisation.path):
        raise PermissionDenied("This organisation is outside your area.")


def _latest(organisation_id: int) -> StatusChange | None:
    return StatusChange.objects.filter(organisation_id=organisation_id).order_by("-effective_on", "-pk").first()


def _audit_status(actor: Actor, change: StatusChange, organisation: Organisation) -> None:
    audit_record(
        actor=actor,
        action=AuditLog.Action.CREATE,
        object_type="challenged.StatusChange",
        object_id=change.pk,
        object_repr=f"Status of {organisation.code} from {change.effective_on.isoformat()}",
        changes={
            "effective_on": change.effective_on.isoformat(),
            "oversight_segment": change.oversight_segment,
            "cqc_rating": change.cqc_rating,
            "challenged": change.challenged,
        },
        organisation_id=organisation.pk,
    )


@transaction.atomic
def status_change_record(
    *,
    organisation: Organisation,
    effective_on: date,
    oversight_segment: int | None,
    cqc_rating: str,
    note: str = "",
    by,
    assignment,
) -> StatusChange:
    """Record an organisation's segment and rating from a date; the organisation's current values follow when
    this is the latest change."""
    _check_scope(assignment, RECORD_STATUS, organisation)
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    errors: dict[str, str] = {}
    if effective_on is None:
        errors["effective_on"] = "Enter the date the status applies from."
    elif effective_on > today():
        errors["effective_on"] = "The date the status applies from cannot be in the future."
    if oversight_segment is not None and not 1 <= oversight_segment <= 5:
        errors["oversight_segment"] = "The oversight segment must be from 1 to 5."
    elif oversight_segment == 5 and effective_on is not None and effective_on < SEGMENT_FIVE_FROM:
        errors["oversight_segment"] = "Segment 5 (the Recovery Support Programme) exists only from 1 April 2025."
    cqc_rating = cqc_rating or ""
    if cqc_rating not in ("", *CqcRating.values):
        errors["cqc_rating"] = "Choose a CQC rating from the list."
    if oversight_segment is None and not cqc_rating:
        errors["oversight_segment"] = "Enter an oversight segment, a CQC rating or both."
    if errors:
        raise ValidationError(errors)
    in_force = (
        StatusChange.objects.filter(organisation=organisation, effective_on__lte=effective_on)
        .order_by("-effective_on", "-pk")
        .first()
    )
    if in_force is not None and (in_force.oversight_segment, in_force.cqc_rating) == (oversight_segment, cqc_rating):
        raise ValidationError(
            {"effective_on": f"{organisation.name} already had this segment and rating on {effective_on:%-d %B %Y}."}
        )
    change = StatusChange(
        organisation=organisation,
        effective_on=effective_on,
        oversight_segment=oversight_segment,
        cqc_rating=cqc_rating,
        challenged=is_challenged(oversight_segment=oversight_segment, cqc_rating=cqc_rating),
        note=(note or "").strip(),
        recorded_by=by,
    )
    change.full_clean()
    change.save()
    _audit_status(Actor.of(by), change, organisation)
    if _latest(organisation.pk).pk == change.pk:
        before = {"oversight_segment": organisation.oversight_segment, "cqc_rating": organisation.cqc_rating}
        organisation.oversight_segment, organisation.cqc_rating = oversight_segment, cqc_rating
        organisation.save(update_fields=["oversight_segment", "cqc_rating", "updated_at"])
        audit_record(
            actor=Actor.of(by),
            action=AuditLog.Action.UPDATE,
            object_type="organisations.Organisation",
            object_id=organisation.code,
            object_repr=str(organisation),
            changes=diff(before, {"oversight_segment": oversight_segment, "cqc_rating": cqc_rating}),
            organisation_id=organisation.pk,
        )
    return change


RECORD_NOTE = "Taken from a change to the organisation record"


@transaction.atomic
def status_change_from_record(*, organisation: Organisation, on: date | None = None) -> StatusChange | None:
    """A history row for an organisation's current values, when they differ from the latest row (called when an
    organisation record is saved by any other path: an edit, an import, the admin). None when nothing changed.

    The path that changed the organisation audits that change; this row is derived from it.
    """
    latest = _latest(organisation.pk)
    values = (organisation.oversight_segment, organisation.cqc_rating or "")
    if latest is None and values == (None, ""):
        return None
    if latest is not None and (latest.oversight_segment, latest.cqc_rating) == values:
        return None
    on = on or today()
    if latest is not None and latest.effective_on > on:
        on = latest.effective_on
    return StatusChange.objects.create(
        organisation_id=organisation.pk,
        effective_on=on,
        oversight_segment=values[0],
        cqc_rating=values[1],
        challenged=is_challenged(oversight_segment=values[0], cqc_rating=values[1]),
        note=RECORD_NOTE,
    )


@transaction.atomic
def status_history_sync(*, on: date | None = None, actor: Actor | None = None) -> int:
    """After bulk writes to organisations (imports, the demo loader): a history row for every organisation whose
    current values differ from its latest row, in a fixed number of queries. Returns how many were written."""
    on = on or today()
    actor = actor or Actor(system="status-history")
    latest: dict[int, tuple] = {}
    for org_id, day, segment, rating in StatusChange.objects.order_by(
        "organisation_id", "-effective_on", "-pk"
    ).values_list("organisation_id", "effective_on", "oversight_segment", "cqc_rating"):
        latest.setdefault(org_id, (day, segment, rating))
    rows = []
    for org_id, segment, rating in Organisation.objects.values_list("pk", "oversight_segment", "cqc_rating"):
        known = latest.get(org_id)
        values = (segment, rating or "")
        if (known is None and values == (None, "")) or (known is not None and known[1:] == values):
            continue
        rows.append(
            StatusChange(
                organisation_id=org_id,
                effective_on=max(on, known[0]) if known else on,
                oversight_segment=segment,
                cqc_rating=rating or "",
                challenged=is_challenged(oversight_segment=segment, cqc_rating=rating or ""),
                note=RECORD_NOTE,
            )
        )
    StatusChange.objects.bulk_create(rows, batch_size=1000)
    if rows:
        audit_bulk(
            actor=actor,
            entries=[
                AuditEntry(
                    action=AuditLog.Action.BULK_CREATE,
                    object_type="challenged.StatusChange",
                    object_id=f"{len(rows)} records",
                    changes={"count": len(rows), "effective_on": on.isoformat()},
                )
            ],
        )
    return len(rows)


PACKAGE_FIELDS = (
    "pay_uplift_percent",
    "pay_uplift_cap",
    "bonus_percent",
    "mentor",
    "coach",
    "improvement_support",
    "relocation",
    "return_guarantee",
    "notes",
)


def package_errors(values: dict) -> dict[str, str]:
    """What is wrong with a package's terms against the limits in force, by field."""
    limits = incentive_limits()
    errors = {}
    uplift = values.get("pay_uplift_percent") or Decimal(0)
    cap = values.get("pay_uplift_cap") or 0
    bonus = values.get("bonus_percent") or Decimal(0)
    if uplift < 0:
        errors["pay_uplift_percent"] = "The pay uplift cannot be negative."
    elif uplift > limits.max_uplift_percent:
        errors["pay_uplift_percent"] = f"The pay uplift can be at most {limits.max_uplift_percent}%."
    if cap < 0:
        errors["pay_uplift_cap"] = "The cap on the uplift cannot be negative."
    elif cap > limits.max_uplift_pounds:
        errors["pay_uplift_cap"] = f"The cap on the uplift can be at most £{limits.max_uplift_pounds:,} a year."
    elif uplift > 0 and cap == 0:
        errors["pay_uplift_cap"] = (
            f"Enter the cap on the uplift in pounds a year (at most £{limits.max_uplift_pounds:,})."
        )
    elif uplift == 0 and cap > 0:
        errors["pay_uplift_cap"] = "A cap needs a pay uplift: enter the uplift or leave the cap at 0."
    if bonus < 0:
        errors["bonus_percent"] = "The performance bonus cannot be negative."
    elif bonus > limits.max_bonus_percent:
        errors["bonus_percent"] = f"The performance bonus can be at most {limits.max_bonus_percent}%."
    if (values.get("relocation") or 0) < 0:
        errors["relocation"] = "Relocation support cannot be negative."
    return errors


def _audit_package(by, package: IncentivePackage, action: str, what: str, changes: dict) -> None:
    audit_record(
        actor=Actor.of(by),
        action=action,
        object_type="challenged.IncentivePackage",
        object_id=package.pk,
        object_repr=f"{what}: incentive package for {package.vacancy.reference}",
        changes=changes,
        organisation_id=package.vacancy.organisation_id,
    )


@transaction.atomic
def package_propose(*, vacancy, values: dict, by, assignment) -> IncentivePackage:
    """Propose (or, after a decline, revise) the incentive package on a leadership vacancy in a challenged
    organisation; it then waits for the region's approval."""
    from carelead.vacancies.models import Vacancy

    _check_scope(assignment, PROPOSE_PACKAGE, vacancy.organisation)
    vacancy = Vacancy.objects.select_for_update().select_related("organisation").get(pk=vacancy.pk)
    limits = incentive_limits()
    if vacancy.level not in limits.leadership_levels:
        raise ValidationError(f"{vacancy.reference} is not a leadership role, so it cannot carry a package.")
    if not vacancy.organisation.is_challenged:
        raise ValidationError(
            f"{vacancy.organisation.name} is not a challenged organisation, so its vacancies cannot carry a package."
        )
    if vacancy.status in CLOSED_VACANCY:
        raise ValidationError(f"{vacancy.reference} is {vacancy.get_status_display().lower()}.")
    values = {k: values[k] for k in PACKAGE_FIELDS if k in values}
    errors = package_errors(values)
    if errors:
        raise ValidationError(errors)
    package = IncentivePackage.objects.select_for_update().filter(vacancy=vacancy).first()
    if package is not None and package.status == PackageStatus.APPROVED:
        raise ValidationError(f"The package for {vacancy.reference} is already approved and cannot be changed.")
    if package is None:
        package = IncentivePackage(vacancy=vacancy, proposed_by=by, **values)
        package.full_clean()
        package.save()
        _audit_package(by, package, AuditLog.Action.CREATE, "Proposed", diff({}, values))
        return package
    before = {f: getattr(package, f) for f in (*PACKAGE_FIELDS, "status", "proposed_by")}
    for name, value in values.items():
        setattr(package, name, value)
    package.status, package.proposed_by = PackageStatus.PROPOSED, by
    package.decided_by, package.decided_on, package.decision_reason = None, None, ""
    package.full_clean()
    package.save()
    after = {f: getattr(package, f) for f in (*PACKAGE_FIELDS, "status", "proposed_by")}
    _audit_package(by, package, AuditLog.Action.UPDATE, "Revised", diff(before, after))
    return package


@transaction.atomic
def package_decide(*, package: IncentivePackage, approve: bool, reason: str, by, assignment) -> IncentivePackage:
    """Approve or decline a proposed package, with a reason; never by the person who proposed it."""
    _check_scope(assignment, APPROVE_PACKAGE, package.vacancy.organisation)
    package = IncentivePackage.objects.select_for_update().select_related("vacancy__organisation").get(pk=package.pk)
    if package.status != PackageStatus.PROPOSED:
        raise ValidationError(f"This package was already {package.get_status_display().lower()}.")
    if package.proposed_by_id == by.pk:
        raise ValidationError("Someone other than the person who proposed a package must decide it.")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Give the reason for the decision."})
    if approve:
        errors = package_errors({f: getattr(package, f) for f in PACKAGE_FIELDS})
        if errors:
            raise ValidationError(
                "The package is outside the limits now in force: " + " ".join(errors.values()) + " Decline it."
            )
        if not package.vacancy.organisation.is_challenged:
            raise ValidationError(f"{package.vacancy.organisation.name} is no longer challenged: decline the package.")
    package.status = PackageStatus.APPROVED if approve else PackageStatus.DECLINED
    package.decided_by, package.decided_on, package.decision_reason = by, today(), reason
    package.save(update_fields=["status", "decided_by", "decided_on", "decision_reason", "updated_at"])
    _audit_package(
        by,
        package,
        AuditLog.Action.UPDATE,
        "Approved" if approve else "Declined",
        {"status": [PackageStatus.PROPOSED, package.status], "reason": reason},
    )
    return package
