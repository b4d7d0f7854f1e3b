"""Running imports for the command line and for uploads."""

import logging
from pathlib import Path

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from carelead.audit.models import AuditLog
from carelead.audit.services import Actor, audit_record
from carelead.core.importing import ImportResult, import_run
from carelead.imports.models import ImportJob
from carelead.imports.registry import kind_get

logger = logging.getLogger(__name__)


def import_file(
    *, kind_name: str, path: Path, actor: Actor, dry_run: bool = False, progress=None, scope_path: str | None = None
) -> ImportResult:
    """Import one file of a kind, all or nothing, limited to a scope when given, and audit the run.

    The rows and the audit entry commit together, with the caller's transaction when there is one; the figures
    computed from the data are marked stale once that has committed.
    """
    kind = kind_get(kind_name)
    with transaction.atomic():
        result = import_run(
            kind=kind, path=path, actor=actor, dry_run=dry_run, progress=progress, scope_path=scope_path
        )
        if result.written:
            audit_record(
                actor=actor,
                action=AuditLog.Action.IMPORT,
                object_type=f"import.{kind_name}",
                object_id=Path(path).name[:64],
                changes={
                    "rows": result.rows,
                    "created": result.counts.created,
                    "updated": result.counts.updated,
                    "unchanged": result.counts.unchanged,
                },
            )
    if result.written:
        from carelead.equality.selectors import data_changed

        transaction.on_commit(data_changed)
    return result


def _scope_path(job: ImportJob) -> str | None:
    return job.organisation.path if job.organisation_id else None


def progress_key(job_id: int) -> str:
    return f"carelead:import-progress:{job_id}"


def import_job_progress(*, job: ImportJob) -> dict:
    """How far a running job has got: {"fraction": 0..1, "rows": n}."""
    if job.finished:
        return {"fraction": 1.0, "rows": job.report.get("rows", job.rows_done)}
    return cache.get(progress_key(job.pk)) or {"fraction": job.progress, "rows": job.rows_done}


def _job_progress(job_id: int):
    last = {"at": timezone.now()}

    def report(fraction: float, rows: int) -> None:
        # The import runs inside one transaction, so progress goes to the cache (shared with the web
        # process), never to the job row, which would only show it after the commit.
        now = timezone.now()
        if (now - last["at"]).total_seconds() >= 0.5 or fraction >= 1.0:
            last["at"] = now
            cache.set(progress_key(job_id), {"fraction": fraction, "rows": rows}, timeout=24 * 3600)

    return report


def _job_move(job: ImportJob, *, from_status: str | list[str], **fields) -> bool:
    """Change a job's fields only if it still has one of the given statuses; whether it did."""
    statuses = [from_status] if isinstance(from_status, str) else from_status
    fields["updated_at"] = timezone.now()
    moved = ImportJob.objects.filter(pk=job.pk, status__in=statuses).update(**fields) == 1
    job.refresh_from_db()
    return moved


def import_job_validate(*, job: ImportJob) -> ImportJob:
    """Dry-run the uploaded file and store its report.

    Only a job waiting for its check is checked: a check run again (a task retried after a worker crash) must not
    make a job that has since been imported importable a second time.
    """
    job.refresh_from_db()
    if job.status != ImportJob.Status.VALIDATING:
        return job
    try:
        result = import_file(
            kind_name=job.kind,
            path=Path(job.file.path),
            actor=Actor(user=job.created_by),
            dry_run=True,
            progress=_job_progress(job.pk),
            scope_path=_scope_path(job),
        )
    except Exception as exc:
        logger.exception("validating import job %s failed", job.pk)
        _job_move(
            job,
            from_status=ImportJob.Status.VALIDATING,
            status=ImportJob.Status.FAILED,
            error=f"The file could not be checked: {type(exc).__name__}",
        )
        return job
    _job_move(
        job,
        from_status=ImportJob.Status.VALIDATING,
        report=result.as_dict(),
        status=ImportJob.Status.VALID if result.ok else ImportJob.Status.INVALID,
        progress=1.0,
    )
    return job


def import_job_run(*, job: ImportJob) -> ImportJob:
    """Import a validated upload for real, once however often it is run.

    The rows, their audit entries and the job's final status commit together. A run that dies part way (a worker
    killed, the database lost) leaves no rows and the job still importing, so running the task again imports the
    file; a run after the job has finished does nothing, and a second run started while the first is still going
    waits for it and then does nothing.
    """
    # Shown as importing straight away, while the import itself may still wait below.
    _job_move(
        job,
        from_status=[ImportJob.Status.VALID, ImportJob.Status.QUEUED],
        status=ImportJob.Status.IMPORTING,
        progress=0.0,
        rows_done=0,
    )
    try:
        with transaction.atomic():
            # Held until the commit: another run of this job waits here, then finds it finished.
            locked = ImportJob.objects.select_for_update().get(pk=job.pk)
            if locked.status != ImportJob.Status.IMPORTING:
                return locked
            result = import_file(
                kind_name=locked.kind,
                path=Path(locked.file.path),
                actor=Actor(user=locked.created_by),
                progress=_job_progress(locked.pk),
                scope_path=_scope_path(locked),
            )
            locked.report = result.as_dict()
            locked.status = ImportJob.Status.DONE if result.written else ImportJob.Status.INVALID
            locked.progress = 1.0
            locked.save(update_fields=["report", "status", "progress", "updated_at"])
    except Exception as exc:
        logger.exception("import job %s failed", job.pk)
        _job_move(
            job,
            from_status=ImportJob.Status.IMPORTING,
            status=ImportJob.Status.FAILED,
            error=f"The import stopped and nothing was written: {type(exc).__name__}",
        )
        return job
    return locked
