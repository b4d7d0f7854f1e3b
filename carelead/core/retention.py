"""Retention: every rule for how long CareLead keeps a kind of personal data, in one list (``RULES``).

Each rule names the record type, the setting that holds its period (days, from the environment), the default,
what happens when the period has passed (delete, anonymise or reduce) and the function that does it. The daily
job (``carelead reminders``) and ``carelead retention_purge`` run them through ``retention_run``: each rule in one
transaction, whole or not at all, working through its records in batches of primary keys so that memory stays
flat whatever the number of records. A rule that changed something is audited under a system actor, in counts and
never with the personal data itself; running a rule again changes nothing. Why the periods are what they are:
docs/decisions/0011-retention.md; the record of processing (docs/record-of-processing.md) lists them.
"""

from collections.abc import Callable, Iterator
from contextlib import suppress
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from carelead.audit.models import AuditLog
from carelead.audit.services import Actor, audit_record
from carelead.speakup.services import RETENTION_DAYS as SPEAKUP_RETENTION_DAYS

RETENTION_ACTOR = Actor(system="retention_purge")
BATCH = 2000

Progress = Callable[[int, int], None]


class Outcome:
    """What happens to a record once its period has passed."""

    DELETE = "delete"
    ANONYMISE = "anonymise"
    REDUCE = "reduce"


@dataclass(frozen=True)
class Rule:
    code: str
    record_type: str
    setting: str
    default_days: int
    outcome: str
    what_happens: str
    # (on, dry_run, progress) -> counts; writes nothing on a dry run.
    purge: Callable[..., dict[str, int]]
    # (counts, dry_run) -> one line for the command's output.
    summary: Callable[[dict[str, int], bool], str]

    def days(self) -> int:
        """The period in force: the setting, else the default; at least one day."""
        days = int(getattr(settings, self.setting, self.default_days))
        if days < 1:
            raise ImproperlyConfigured(f"{self.setting} must be at least 1")
        return days

    def cutoff(self, on: date) -> date:
        """Records whose reference date is before this day have passed the period on ``on``."""
        return on - timedelta(days=self.days())


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _batches(queryset: QuerySet) -> Iterator[list]:
    """The primary keys of ``queryset`` in ascending batches, read one batch at a time (keyset, never OFFSET)."""
    size, last = BATCH, None
    while True:
        page = queryset.order_by("pk")
        if last is not None:
            page = page.filter(pk__gt=last)
        keys = list(page.values_list("pk", flat=True)[:size])
        if not keys:
            return
        yield keys
        last = keys[-1]


def _say(counts: dict[str, int], dry_run: bool, done: str, would: str) -> str:
    return (would if dry_run else done).format(**{k: f"{v:,}" for k, v in counts.items()})


# Speak-up case content ---------------------------------------------------------------------------------------------


def speakup_purge(*, on: date, dry_run: bool = False, progress: Progress | None = None) -> dict[str, int]:
    """The speak-up purge as it stands (carelead/speakup/services.py): closed cases lose their content."""
    from carelead.speakup.services import cases_purge

    return cases_purge(on=on, dry_run=dry_run, progress=progress)


def speakup_summary(counts: dict[str, int], dry_run: bool) -> str:
    from carelead.speakup.management.commands.speakup_purge import purge_summary

    return purge_summary(counts, dry_run=dry_run)


# Leavers' equality monitoring --------------------------------------------------------------------------------------

# What the reduction keeps: the two fields every equality standard reads (WRES by ethnic category, WDES by
# disability), so that their figures for past years stay as they were until the record is deleted.
LEAVER_KEPT = ("ethnic_category", "disability")


def _leaver_reduce_values() -> dict:
    from carelead.core.choices import Sex

    return {"sex": Sex.UNKNOWN, "sexual_orientation": "", "religion": "", "date_of_birth": None}


def leavers_due_for_reduction(*, on: date):
    """Monitoring of people who left before the reduction cutoff, still holding more than ``LEAVER_KEPT`` (and not
    yet due for deletion, which the next rule does)."""
    from carelead.core.choices import Sex
    from carelead.people.models import EqualityMonitoring

    holds_more = ~Q(sex=Sex.UNKNOWN) | ~Q(sexual_orientation="") | ~Q(religion="") | Q(date_of_birth__isnull=False)
    return EqualityMonitoring.objects.filter(
        holds_more,
        person__end_date__lt=LEAVERS_REDUCE.cutoff(on),
        person__end_date__gte=LEAVERS_DELETE.cutoff(on),
    )


def leavers_due_for_deletion(*, on: date):
    """Monitoring of people who left before the deletion cutoff."""
    from carelead.people.models import EqualityMonitoring

    return EqualityMonitoring.objects.filter(person__end_date__lt=LEAVERS_DELETE.cutoff(on))


def _check_leaver_periods() -> None:
    if LEAVERS_DELETE.days() <= LEAVERS_REDUCE.days():
        raise ImproperlyConfigured(
            f"{LEAVERS_DELETE.setting} must be longer than {LEAVERS_REDUCE.setting}: the reduced record is what "
            "the equality standards read until it is deleted"
        )


def leavers_reduce(*, on: date, dry_run: bool = False, progress: Progress | None = None) -> dict[str, int]:
    """Clear sex, sexual orientation, religion and date of birth of leavers past the reduction period."""
    from carelead.people.models import EqualityMonitoring

    _check_leaver_periods()
    due = leavers_due_for_reduction(on=on)
    total = due.count()
    if dry_run:
        return {"records": total}
    done = 0
    values = _leaver_reduce_values()
    for keys in _batches(due):
        done += EqualityMonitoring.objects.filter(pk__in=keys).update(**values)
        if progress is not None:
            progress(done, total)
    return {"records": done}


def leavers_delete(*, on: date, dry_run: bool = False, progress: Progress | None = None) -> dict[str, int]:
    """Delete the whole equality monitoring record of leavers past the deletion period."""
    from carelead.people.models import EqualityMonitoring

    _check_leaver_periods()
    due = leavers_due_for_deletion(on=on)
    total = due.count()
    if dry_run:
        return {"records": total}
    done = 0
    for keys in _batches(due):
        done += EqualityMonitoring.objects.filter(pk__in=keys).delete()[0]
        if progress is not None:
            progress(done, total)
    return {"records": done}


# NED candidates ----------------------------------------------------------------------------------------------------


def ned_candidates_due(*, on: date):
    """Candidates nobody has been in touch with for the whole period: not erased, not appointed, not on a running
    campaign, placement or programme, and nothing about them (their record, a campaign entry, a placement or a
    programme place) written since the cutoff."""
    from carelead.nedcampaigns.models import Campaign
    from carelead.nedpool.models import Candidate, CandidateStatus, Enrolment, Placement

    since = _start_of(NED_CANDIDATES.cutoff(on))
    return (
        Candidate.objects.filter(erased_at__isnull=True, updated_at__lt=since, consented_at__lt=since)
        .exclude(status=CandidateStatus.APPOINTED)
        .exclude(campaign_entries__campaign__status__in=[Campaign.Status.DRAFT, *Campaign.LIVE])
        .exclude(campaign_entries__updated_at__gte=since)
        .exclude(placements__status__in=[Placement.Status.PLANNED, Placement.Status.ACTIVE])
        .exclude(placements__updated_at__gte=since)
        .exclude(placements__ends_on__gte=since.date())
        .exclude(enrolments__status=Enrolment.Status.ENROLLED)
        .exclude(enrolments__updated_at__gte=since)
    )


def ned_candidates_anonymise(*, on: date, dry_run: bool = False, progress: Progress | None = None) -> dict[str, int]:
    """Anonymise candidates past the period, as an erasure at their request would (each one audited)."""
    from carelead.nedpool.models import Candidate
    from carelead.nedpool.services import candidate_anonymise

    due = ned_candidates_due(on=on)
    total = due.count()
    if dry_run:
        return {"candidates": total}
    done = 0
    now = timezone.now()
    reason = f"No contact for {NED_CANDIDATES.days():,} days: retention period passed"
    # The set shrinks as candidates are erased, so each batch is read afresh from the start.
    while keys := list(due.order_by("pk").values_list("pk", flat=True)[:BATCH]):
        for pk in keys:
            candidate_anonymise(candidate=Candidate(pk=pk), actor=RETENTION_ACTOR, reason=reason, now=now)
            done += 1
            if progress is not None:
                progress(done, total)
    return {"candidates": done}


# Uploaded import files ---------------------------------------------------------------------------------------------


def import_files_due(*, on: date):
    """Import jobs finished (or checked and never confirmed) before the cutoff whose uploaded file is still held."""
    from carelead.imports.models import ImportJob

    finished = [
        ImportJob.Status.DONE,
        ImportJob.Status.INVALID,
        ImportJob.Status.FAILED,
        ImportJob.Status.CANCELLED,
        ImportJob.Status.VALID,
    ]
    return ImportJob.objects.filter(status__in=finished, updated_at__lt=_start_of(IMPORT_FILES.cutoff(on))).exclude(
        file=""
    )


def import_files_delete(*, on: date, dry_run: bool = False, progress: Progress | None = None) -> dict[str, int]:
    """Delete uploaded staff files once their job is long finished; the job and its report stay. A checked file
    never confirmed is cancelled, as the page's cancel button would."""
    from carelead.imports.models import ImportJob

    due = import_files_due(on=on)
    total = due.count()
    if dry_run:
        return {"files": total}
    done = 0
    names: list[str] = []
    for keys in _batches(due):
        rows = ImportJob.objects.filter(pk__in=keys)
        names += [name for name in rows.values_list("file", flat=True) if name]
        rows.filter(status=ImportJob.Status.VALID).update(status=ImportJob.Status.CANCELLED)
        done += rows.update(file="")
        if progress is not None:
            progress(done, total)
    # The files go only once the rows no longer name them (a rollback keeps both).
    transaction.on_commit(lambda: _files_delete(names))
    return {"files": done}


def _files_delete(names: list[str]) -> None:
    for name in names:
        with suppress(FileNotFoundError):
            default_storage.delete(name)


# The rules ---------------------------------------------------------------------------------------------------------

SPEAKUP = Rule(
    code="speakup",
    record_type="Speak-up case content (description, messages, notes, escalations, identity, files)",
    setting="CARELEAD_SPEAKUP_RETENTION_DAYS",
    default_days=SPEAKUP_RETENTION_DAYS,
    outcome=Outcome.REDUCE,
    what_happens="after a case is closed: its content is deleted; the quarterly return's columns stay",
    purge=speakup_purge,
    summary=speakup_summary,
)
LEAVERS_REDUCE = Rule(
    code="leavers_reduce",
    record_type="Leavers' equality monitoring (special-category)",
    setting="CARELEAD_LEAVER_MONITORING_REDUCE_DAYS",
    default_days=3 * 365,
    outcome=Outcome.REDUCE,
    what_happens=(
        "after the last day worked: sex, sexual orientation, religion and date of birth are deleted; ethnic "
        "category and disability stay for the equality standards"
    ),
    purge=leavers_reduce,
    summary=lambda counts, dry_run: _say(
        counts,
        dry_run,
        "leavers' monitoring: reduced {records} records to ethnic category and disability",
        "leavers' monitoring: would reduce {records} records to ethnic category and disability",
    ),
)
LEAVERS_DELETE = Rule(
    code="leavers_delete",
    record_type="Leavers' equality monitoring (special-category)",
    setting="CARELEAD_LEAVER_MONITORING_DELETE_DAYS",
    default_days=6 * 365,
    outcome=Outcome.DELETE,
    what_happens="after the last day worked: the whole equality monitoring record is deleted",
    purge=leavers_delete,
    summary=lambda counts, dry_run: _say(
        counts,
        dry_run,
        "leavers' monitoring: deleted {records} records",
        "leavers' monitoring: would delete {records} records",
    ),
)
NED_CANDIDATES = Rule(
    code="ned_candidates",
    record_type="NED candidate pool registrations",
    setting="CARELEAD_NED_CANDIDATE_RETENTION_DAYS",
    default_days=3 * 365,
    outcome=Outcome.ANONYMISE,
    what_happens=(
        "after the last contact, unless appointed or on a running campaign, placement or programme: anonymised "
        "as an erasure on request is"
    ),
    purge=ned_candidates_anonymise,
    summary=lambda counts, dry_run: _say(
        counts,
        dry_run,
        "NED candidates: anonymised {candidates} candidates with no contact in the period",
        "NED candidates: would anonymise {candidates} candidates with no contact in the period",
    ),
)
IMPORT_FILES = Rule(
    code="import_files",
    record_type="Uploaded import files (staff files hold special-category data)",
    setting="CARELEAD_IMPORT_FILE_RETENTION_DAYS",
    default_days=30,
    outcome=Outcome.DELETE,
    what_happens="after the import finished: the uploaded file is deleted; the job and its report stay",
    purge=import_files_delete,
    summary=lambda counts, dry_run: _say(
        counts,
        dry_run,
        "import files: deleted {files} uploaded files of finished imports",
        "import files: would delete {files} uploaded files of finished imports",
    ),
)

RULES: list[Rule] = [SPEAKUP, LEAVERS_REDUCE, LEAVERS_DELETE, NED_CANDIDATES, IMPORT_FILES]
RULES_BY_CODE = {rule.code: rule for rule in RULES}


@dataclass(frozen=True)
class RuleResult:
    rule: Rule
    counts: dict[str, int]
    dry_run: bool

    @property
    def summary(self) -> str:
        return self.rule.summary(self.counts, self.dry_run)

    @property
    def changed(self) -> bool:
        return not self.dry_run and any(self.counts.values())


def retention_rule_run(
    *, rule: Rule, on: date | None = None, dry_run: bool = False, progress: Progress | None = None
) -> RuleResult:
    """Run one rule, whole or not at all, and audit what it did in counts."""
    on = on or timezone.localdate()
    if dry_run:
        return RuleResult(rule, rule.purge(on=on, dry_run=True, progress=progress), True)
    with transaction.atomic():
        result = RuleResult(rule, rule.purge(on=on, dry_run=False, progress=progress), False)
        if result.changed:
            audit_record(
                actor=RETENTION_ACTOR,
                action=AuditLog.Action.DELETE if rule.outcome == Outcome.DELETE else AuditLog.Action.BULK_UPDATE,
                object_type="core.RetentionRule",
                object_id=rule.code,
                object_repr=f"Retention: {rule.record_type}"[:255],
                changes={
                    "on": on.isoformat(),
                    "cutoff": rule.cutoff(on).isoformat(),
                    "days": rule.days(),
                    "outcome": rule.outcome,
                    "counts": result.counts,
                },
            )
    return result


def retention_run(
    *,
    on: date | None = None,
    dry_run: bool = False,
    only: str | None = None,
    progress_for: Callable[[Rule], Progress | None] | None = None,
) -> list[RuleResult]:
    """Run every rule (or the one named ``only``), in the order of ``RULES``."""
    if only is not None and only not in RULES_BY_CODE:
        raise ValueError(f"no retention rule {only!r}; the rules are {', '.join(RULES_BY_CODE)}")
    rules = [RULES_BY_CODE[only]] if only else RULES
    return [
        retention_rule_run(rule=rule, on=on, dry_run=dry_run, progress=progress_for(rule) if progress_for else None)
        for rule in rules
    ]


def retention_table() -> list[dict]:
    """The rules as the operator guide and the record of processing list them, with the periods in force."""
    return [
        {
            "code": rule.code,
            "record_type": rule.record_type,
            "setting": rule.setting,
            "default_days": rule.default_days,
            "days": rule.days(),
            "outcome": rule.outcome,
            "what_happens": rule.what_happens,
        }
        for rule in RULES
    ]
