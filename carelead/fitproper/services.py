"""Writes to the fit and proper person test: every one validated, atomic and audited.

A board member is fit and proper for a year only when all ten checks are recorded (done or not applicable, or a
concern with its resolution), the self-attestation confirms every board competency domain, and the chair (or the
NED appointments team for the chair) has signed off. ``assessment_sign_off`` refuses anything less and says what
is missing. After sign-off nothing in the assessment changes.
"""

import csv
import io
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from carelead.audit.models import AuditLog
from carelead.audit.services import Actor, AuditEntry, audit_bulk, audit_record, diff
from carelead.boardappraisals.selectors import board_chair_in_post
from carelead.boardappraisals.services import board_framework_current
from carelead.boards.models import BoardMember
from carelead.fitproper.models import (
    Assessment,
    BarredPerson,
    BoardMemberReference,
    Check,
    CheckKind,
    CheckOutcome,
    DomainConfirmation,
    EvidenceFile,
    Submission,
    financial_year_valid,
    name_key,
)
from carelead.fitproper.selectors import (
    Access,
    board_members_in_post,
    chair_has_account,
    year_choices,
)
from carelead.organisations.models import Organisation

OBJECT_TYPE = "fitproper.Assessment"
EVIDENCE_MAX_BYTES = 10 * 1024 * 1024
# Allowed evidence: the file name's ending, the type it is served as, and how its first bytes begin.
EVIDENCE_TYPES = {
    ".pdf": ("application/pdf", (b"%PDF-",)),
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
}
SIGN_OFF_HEADING = "This board member cannot be recorded as fit and proper for the year until:"


def _audit(*, by, action: str, assessment: Assessment, changes: dict, object_type: str = OBJECT_TYPE, object_id=None):
    audit_record(
        actor=Actor(user=by),
        action=action,
        object_type=object_type,
        object_id=assessment.pk if object_id is None else object_id,
        object_repr=f"{assessment.organisation.code} {assessment.year} fit and proper test of {assessment.member.name}",
        changes=changes,
        subject_person_id=assessment.member.person_id,
        organisation_id=assessment.organisation_id,
    )


def _locked(assessment: Assessment) -> Assessment:
    return (
        Assessment.objects.select_for_update(of=("self",))
        .select_related("member", "organisation")
        .get(pk=assessment.pk)
    )


def _refuse_if_signed_off(assessment: Assessment) -> None:
    if assessment.signed_off:
        raise ValidationError("This assessment has been signed off and cannot be changed.")


def _refuse_future(day: date | None, name: str, label: str, today: date) -> None:
    if day is not None and day > today:
        raise ValidationError({name: f"The {label} cannot be in the future."})


# Starting the year ------------------------------------------------------------------------------------------------


@transaction.atomic
def assessments_start(*, organisation: Organisation, year: str, by, today: date | None = None) -> list[Assessment]:
    """Create the year's assessment, with its ten checks, for every board member in post who has none yet."""
    today = today or timezone.localdate()
    if year not in year_choices(today=today):
        raise ValidationError({"year": "Choose last year, this year or next year."})
    Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
    started = set(Assessment.objects.filter(organisation=organisation, year=year).values_list("member_id", flat=True))
    members = [m for m in board_members_in_post(organisation=organisation, on=today) if m.pk not in started]
    if not members:
        return []
    assessments = Assessment.objects.bulk_create(
        [Assessment(member=m, organisation=organisation, year=year, created_by=by) for m in members]
    )
    Check.objects.bulk_create([Check(assessment=a, kind=kind) for a in assessments for kind in CheckKind.values])
    audit_bulk(
        actor=Actor(user=by),
        entries=[
            AuditEntry(
                action=AuditLog.Action.CREATE,
                object_type=OBJECT_TYPE,
                object_id=a.pk,
                object_repr=f"{organisation.code} {year} fit and proper test of {a.member.name}",
                changes=diff({}, {"member": a.member_id, "year": year}),
                subject_person_id=a.member.person_id,
                organisation_id=organisation.pk,
            )
            for a in assessments
        ],
    )
    return assessments


# Checks and evidence ----------------------------------------------------------------------------------------------


def evidence_problem(*, name: str, size: int, head: bytes) -> str | None:
    """Why an uploaded file cannot be kept as evidence (None when it can)."""
    suffix = Path(name or "").suffix.lower()
    if suffix not in EVIDENCE_TYPES:
        return "The selected file must be a PDF, PNG or JPEG"
    if size == 0:
        return "The selected file is empty"
    if size > EVIDENCE_MAX_BYTES:
        return "The selected file must be smaller than 10 MB"
    if not head.startswith(EVIDENCE_TYPES[suffix][1]):
        return f"The selected file is not a real {suffix[1:].upper()} file"
    return None


@transaction.atomic
def check_record(
    *,
    check: Check,
    by,
    outcome: str,
    checked_on: date | None,
    notes: str = "",
    resolution: str = "",
    evidence=None,
    today: date | None = None,
) -> Check:
    """Record one check: its outcome, when and by whom, notes, a concern's resolution, and an optional file."""
    today = today or timezone.localdate()
    assessment = _locked(check.assessment)
    _refuse_if_signed_off(assessment)
    check = Check.objects.select_for_update().get(pk=check.pk)
    if outcome not in CheckOutcome.values:
        raise ValidationError({"outcome": "Choose the outcome of the check."})
    if checked_on is None:
        raise ValidationError({"checked_on": "Enter the date of the check."})
    _refuse_future(checked_on, "checked_on", "date of the check", today)
    notes, resolution = (notes or "").strip(), (resolution or "").strip()
    if outcome == CheckOutcome.CONCERN and not notes:
        raise ValidationError({"notes": "Describe the concern that was found."})
    if resolution and outcome != CheckOutcome.CONCERN:
        raise ValidationError({"resolution": "A resolution is recorded only for a concern; leave it blank."})
    if evidence is not None:
        head = evidence.read(8)
        evidence.seek(0)
        problem = evidence_problem(name=evidence.name, size=evidence.size, head=head)
        if problem:
            raise ValidationError({"evidence": problem})

    fields = ("outcome", "checked_on", "checked_by", "notes", "resolution", "resolved_on", "resolved_by")
    before = {name: getattr(check, name) for name in fields}
    check.outcome, check.checked_on, check.notes = outcome, checked_on, notes
    if check.checked_by is None or (outcome, checked_on, notes) != (
        before["outcome"],
        before["checked_on"],
        before["notes"],
    ):
        check.checked_by = by
    if resolution != before["resolution"]:
        check.resolution = resolution
        check.resolved_on, check.resolved_by = (today, by) if resolution else (None, None)
    changes = diff(before, {name: getattr(check, name) for name in fields})
    if changes:
        check.full_clean(exclude=["assessment"], validate_unique=False)
        check.save(update_fields=list(fields))
        _audit(
            by=by,
            action=AuditLog.Action.UPDATE,
            assessment=assessment,
            changes={"check": check.kind, **changes},
        )
    if evidence is not None:
        suffix = Path(evidence.name).suffix.lower()
        kept = EvidenceFile(
            check_record=check,
            original_name=Path(evidence.name).name[:200],
            content_type=EVIDENCE_TYPES[suffix][0],
            size=evidence.size,
            uploaded_by=by,
            uploaded_at=timezone.now(),
        )
        # The stored name is generated, so nothing about the member shows in the data directory.
        kept.file.save(f"evidence{suffix}", evidence, save=False)
        kept.save()
        _audit(
            by=by,
            action=AuditLog.Action.CREATE,
            assessment=assessment,
            changes={"check": check.kind, "file": kept.original_name, "size": kept.size},
            object_type="fitproper.EvidenceFile",
            object_id=kept.pk,
        )
    if changes or evidence is not None:
        assessment.save(update_fields=["updated_at"])
    return check


def evidence_downloaded(*, evidence: EvidenceFile, by) -> None:
    """Audit one download of an evidence file."""
    assessment = evidence.check_record.assessment
    _audit(
        by=by,
        action=AuditLog.Action.EXPORT,
        assessment=assessment,
        changes={"check": evidence.check_record.kind, "file": evidence.original_name},
        object_type="fitproper.EvidenceFile",
        object_id=evidence.pk,
    )


# Self-attestation -------------------------------------------------------------------------------------------------


@transaction.atomic
def attestation_record(
    *, assessment: Assessment, by, text: str, attested_on: date | None, domain_ids: list[int], today=None
) -> Assessment:
    """Record the member's self-attestation: their declaration, its date, and the domains they confirm."""
    today = today or timezone.localdate()
    assessment = _locked(assessment)
    _refuse_if_signed_off(assessment)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": "Enter the member's declaration as they made it."})
    if attested_on is None:
        raise ValidationError({"attested_on": "Enter the date the member made the declaration."})
    _refuse_future(attested_on, "attested_on", "date of the declaration", today)
    framework = board_framework_current()
    allowed = set(framework.domains.values_list("pk", flat=True)) if framework else set()
    chosen = set(domain_ids)
    if chosen - allowed:
        raise ValidationError({"domains": "Choose board competency domains from the list."})
    before = {
        "text": assessment.attestation_text,
        "attested_on": assessment.attested_on,
        "domains": sorted(assessment.confirmations.values_list("domain_id", flat=True)),
    }
    assessment.attestation_text, assessment.attested_on = text, attested_on
    assessment.attestation_recorded_by = by
    assessment.full_clean(validate_unique=False, validate_constraints=False)
    assessment.save(update_fields=["attestation_text", "attested_on", "attestation_recorded_by", "updated_at"])
    assessment.confirmations.exclude(domain_id__in=chosen).delete()
    have = set(assessment.confirmations.values_list("domain_id", flat=True))
    DomainConfirmation.objects.bulk_create(
        [DomainConfirmation(assessment=assessment, domain_id=pk) for pk in sorted(chosen - have)]
    )
    after = {"text": text, "attested_on": attested_on, "domains": sorted(chosen)}
    changes = diff(before, after)
    if changes:
        _audit(by=by, action=AuditLog.Action.UPDATE, assessment=assessment, changes={"attestation": True, **changes})
    return assessment


# Sign-off ---------------------------------------------------------------------------------------------------------


def sign_off_problems(*, assessment: Assessment, checks: list[Check], confirmed_ids: set[int]) -> list[str]:
    """What is missing before the member can be recorded as fit and proper (empty when nothing is)."""
    if assessment.signed_off:
        return ["This assessment has already been signed off."]
    problems = []
    by_kind = {c.kind: c for c in checks}
    for kind in CheckKind:
        check = by_kind.get(kind.value)
        if check is None or not check.outcome:
            problems.append(f"{kind.label}: not recorded yet.")
        elif check.concern_open:
            problems.append(f"{kind.label}: a concern was found; record how it was resolved.")
    if assessment.attested_on is None or not assessment.attestation_text.strip():
        problems.append("The member's self-attestation has not been recorded.")
    else:
        framework = board_framework_current()
        domains = list(framework.domains.order_by("order", "code")) if framework else []
        missing = [d.code for d in domains if d.pk not in confirmed_ids]
        if missing:
            problems.append(
                f"The self-attestation does not confirm every board competency domain: {', '.join(missing)}."
            )
    return problems


@dataclass(frozen=True)
class Signer:
    """Who may sign off, as what, and why not when they may not."""

    signed_off_as: str = ""
    problem: str = ""
    chair_name: str = ""


def assessment_signer(*, assessment: Assessment, access: Access, user) -> Signer:
    """Whether the acting person may sign this assessment off, and as the chair or the NED appointments team.

    The chair in post signs off the other members. The NED appointments team records the sign-off for the chair
    when the chair has no account, when the seat is empty, and for the chair's own assessment.
    """
    chair = board_chair_in_post(organisation=assessment.organisation)
    chair_name = chair.name if chair else ""
    own = chair is not None and assessment.member_id == chair.pk
    if access.chair and not own:
        return Signer(signed_off_as=Assessment.SignedOffAs.CHAIR, chair_name=chair_name)
    if access.team_sign_off:
        if chair is not None and not own and chair_has_account(chair=chair):
            return Signer(
                problem=f"The chair, {chair.name}, has a CareLead account and signs off in person.",
                chair_name=chair_name,
            )
        return Signer(signed_off_as=Assessment.SignedOffAs.NED_TEAM, chair_name=chair_name)
    if access.chair and own:
        return Signer(
            problem="You cannot sign off your own test; the NED appointments team records it.", chair_name=chair_name
        )
    return Signer(
        problem="The chair of the board signs off, or the NED appointments team where the chair has no account.",
        chair_name=chair_name,
    )


@transaction.atomic
def assessment_sign_off(*, assessment: Assessment, by, access: Access, signed_off_for: str = "") -> Assessment:
    """Record the member as fit and proper for the year; refused, with what is missing, unless complete."""
    assessment = _locked(assessment)
    signer = assessment_signer(assessment=assessment, access=access, user=by)
    if signer.problem:
        raise PermissionDenied(signer.problem)
    problems = sign_off_problems(
        assessment=assessment,
        checks=list(assessment.checks.all()),
        confirmed_ids=set(assessment.confirmations.values_list("domain_id", flat=True)),
    )
    if problems:
        raise ValidationError(problems)
    signed_off_for = (signed_off_for or "").strip()
    if signer.signed_off_as == Assessment.SignedOffAs.NED_TEAM:
        if not signed_off_for:
            raise ValidationError({"signed_off_for": "Enter the name of the chair you are signing off for."})
    else:
        signed_off_for = ""
    fields = ("signed_off_by", "signed_off_at", "signed_off_as", "signed_off_for")
    before = {name: getattr(assessment, name) for name in fields}
    assessment.signed_off_by, assessment.signed_off_at = by, timezone.now()
    assessment.signed_off_as, assessment.signed_off_for = signer.signed_off_as, signed_off_for
    assessment.full_clean(validate_unique=False)
    assessment.save(update_fields=[*fields, "updated_at"])
    _audit(
        by=by,
        action=AuditLog.Action.UPDATE,
        assessment=assessment,
        changes=diff(before, {name: getattr(assessment, name) for name in fields}),
    )
    return assessment


# The annual submission --------------------------------------------------------------------------------------------


def submission_problems(*, organisation: Organisation, year: str, today: date | None = None) -> list[str]:
    """What stops the organisation submitting the year (empty when it may)."""
    today = today or timezone.localdate()
    if Submission.objects.filter(organisation=organisation, year=year).exists():
        return [f"{organisation.name} has already submitted {year}."]
    members = list(board_members_in_post(organisation=organisation, on=today))
    if not members:
        return ["The board has no members in post to submit."]
    signed = set(
        Assessment.objects.filter(member__in=members, year=year, signed_off_at__isnull=False).values_list(
            "member_id", flat=True
        )
    )
    waiting = [m.name for m in members if m.pk not in signed]
    if waiting:
        return [f"Not yet signed off as fit and proper for {year}: {', '.join(waiting)}."]
    return []


@transaction.atomic
def submission_make(*, organisation: Organisation, year: str, by, access: Access, today=None) -> Submission:
    """Submit the year to the region: every board member in post must be signed off for the year."""
    today = today or timezone.localdate()
    if not access.submit:
        raise PermissionDenied("Only the organisation's HR and OD lead or the NED appointments team can submit.")
    if not financial_year_valid(year):
        raise ValidationError({"year": 'Enter the year like "2026-27".'})
    Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
    problems = submission_problems(organisation=organisation, year=year, today=today)
    if problems:
        raise ValidationError(problems)
    count = board_members_in_post(organisation=organisation, on=today).count()
    submission = Submission(
        organisation=organisation, year=year, member_count=count, submitted_by=by, submitted_at=timezone.now()
    )
    submission.full_clean(validate_unique=False)
    submission.save()
    audit_record(
        actor=Actor(user=by),
        action=AuditLog.Action.CREATE,
        object_type="fitproper.Submission",
        object_id=submission.pk,
        object_repr=f"{organisation.code} {year} fit and proper submission",
        changes=diff({}, {"year": year, "member_count": count}),
        organisation_id=organisation.pk,
    )
    return submission


# Board Member References ------------------------------------------------------------------------------------------


@transaction.atomic
def reference_write(
    *,
    member: BoardMember,
    by,
    role_held: str,
    served_from: date | None,
    served_to: date | None,
    responsibilities: str,
    concerns: str,
    investigations: str,
    written_by_name: str,
    today: date | None = None,
) -> BoardMemberReference:
    """Write the Board Member Reference of a member who has left; it is kept as written and not changed."""
    today = today or timezone.localdate()
    member = BoardMember.objects.select_for_update().select_related("organisation").get(pk=member.pk)
    if member.end_date is None:
        raise ValidationError("A Board Member Reference is written when the member leaves the board.")
    if BoardMemberReference.objects.filter(member=member).exists():
        raise ValidationError("A Board Member Reference has already been written for this member.")
    values = {
        "role_held": (role_held or "").strip(),
        "served_from": served_from,
        "served_to": served_to,
        "responsibilities": (responsibilities or "").strip(),
        "concerns": (concerns or "").strip(),
        "investigations": (investigations or "").strip(),
        "written_by_name": (written_by_name or "").strip(),
    }
    errors = {}
    for name, message in (
        ("role_held", "Enter the role the member held."),
        ("served_from", "Enter the date they joined the board."),
        ("served_to", "Enter the date they left the board."),
        ("concerns", "Record any concerns, or write “None”."),
        ("investigations", "Record any investigations, or write “None”."),
        ("written_by_name", "Enter who the reference is from."),
    ):
        if not values[name]:
            errors[name] = message
    if not errors and values["served_to"] < values["served_from"]:
        errors["served_to"] = "The date they left must be on or after the date they joined."
    if errors:
        raise ValidationError(errors)
    reference = BoardMemberReference(
        member=member, organisation=member.organisation, written_by=by, written_on=today, **values
    )
    reference.full_clean(validate_unique=False)
    reference.save()
    audit_record(
        actor=Actor(user=by),
        action=AuditLog.Action.CREATE,
        object_type="fitproper.BoardMemberReference",
        object_id=reference.pk,
        object_repr=f"Board Member Reference for {member.name}",
        changes=diff({}, {"member": member.pk, "served_to": values["served_to"], "written_on": today}),
        subject_person_id=member.person_id,
        organisation_id=member.organisation_id,
    )
    return reference


def reference_read(*, reference: BoardMemberReference, member: BoardMember, by) -> None:
    """Audit one reading of a Board Member Reference."""
    audit_record(
        actor=Actor(user=by),
        action=AuditLog.Action.VIEW_SPECIAL,
        object_type="fitproper.BoardMemberReference",
        object_id=reference.pk,
        object_repr=f"Board Member Reference for {member.name} read",
        subject_person_id=member.person_id,
        organisation_id=member.organisation_id,
    )


# The barring list -------------------------------------------------------------------------------------------------

BARRING_COLUMNS = ("name", "date_of_birth", "reference", "source", "added_on")
BARRING_REQUIRED = ("name", "reference", "source", "added_on")


@dataclass
class BarringResult:
    problems: list[str] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


def _date(value: str) -> date | None:
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def barring_parse(*, text: str) -> tuple[list[dict], list[str]]:
    """The rows of a barring list file and the problems with it, each naming its row and column."""
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    missing = [c for c in BARRING_REQUIRED if c not in header]
    if missing:
        return [], [f"The file has no {', '.join(missing)} column{'s' if len(missing) > 1 else ''}."]
    reader.fieldnames = header
    rows, problems, seen = [], [], {}
    for number, raw in enumerate(reader, start=2):
        row = {c: (raw.get(c) or "").strip() for c in BARRING_COLUMNS}
        for column in BARRING_REQUIRED:
            if not row[column]:
                problems.append(f"row {number}, column {column}: this is blank.")
        for column in ("date_of_birth", "added_on"):
            if row[column] and _date(row[column]) is None:
                problems.append(f"row {number}, column {column}: “{row[column]}” is not a date like 2026-04-01.")
        if len(row["name"]) > 200 or len(row["source"]) > 200 or len(row["reference"]) > 64:
            problems.append(f"row {number}: a value is too long.")
        if row["reference"]:
            if row["reference"] in seen:
                problems.append(
                    f"row {number}, column reference: “{row['reference']}” is also on row {seen[row['reference']]}."
                )
            seen.setdefault(row["reference"], number)
        rows.append(row)
    if not rows and not problems:
        problems.append("The file has no rows.")
    return rows, problems


@transaction.atomic
def barring_load(*, path: Path, actor: Actor) -> BarringResult:
    """Load a barring list file (CSV): every row is checked first, and nothing is written if any is wrong.

    Entries are matched on their reference: new ones are added, changed ones updated; entries not in the file
    are kept.
    """
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        return BarringResult(problems=[f"The file cannot be read as UTF-8 text: {exc.__class__.__name__}."])
    rows, problems = barring_parse(text=text)
    if problems:
        return BarringResult(problems=problems)
    existing = {b.reference: b for b in BarredPerson.objects.filter(reference__in=[r["reference"] for r in rows])}
    result = BarringResult()
    created, updated, entries = [], [], []
    for row in rows:
        values = {
            "name": row["name"],
            "name_key": name_key(row["name"]),
            "date_of_birth": _date(row["date_of_birth"]) if row["date_of_birth"] else None,
            "source": row["source"],
            "added_on": _date(row["added_on"]),
        }
        current = existing.get(row["reference"])
        if current is None:
            created.append(BarredPerson(reference=row["reference"], **values))
            entries.append((AuditLog.Action.CREATE, row["reference"], diff({}, values)))
            continue
        before = {name: getattr(current, name) for name in values}
        changes = diff(before, values)
        if not changes:
            result.unchanged += 1
            continue
        for name, value in values.items():
            setattr(current, name, value)
        updated.append(current)
        entries.append((AuditLog.Action.UPDATE, row["reference"], changes))
    BarredPerson.objects.bulk_create(created, batch_size=1000)
    if updated:
        BarredPerson.objects.bulk_update(updated, ["name", "name_key", "date_of_birth", "source", "added_on"])
    audit_bulk(
        actor=actor,
        entries=[
            AuditEntry(
                action=action,
                object_type="fitproper.BarredPerson",
                object_id=reference,
                object_repr=f"Barring list entry {reference}",
                changes=changes,
            )
            for action, reference, changes in entries
        ],
    )
    result.created, result.updated = len(created), len(updated)
    return result
