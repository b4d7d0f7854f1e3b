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
    """Import one file of a kind, all or nothing, limited to a scope when given, and audit the run."""
    kind = kind_get(kind_name)
    result = import_run(kind=kind, path=path, actor=actor, dry_run=dry_run, progress=progress, scope_path=scope_path)
    if result.written:
        from carelead.equality.selectors import data_changed

        data_changed()
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


def import_job_validate(*, job: ImportJob) -> ImportJob:
    """Dry-run the uploaded file and store its report."""
    job.status = ImportJob.Status.VALIDATING
    job.save(update_fields=["status", "updated_at"])
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
        job.status, job.error = ImportJob.Status.FAILED, f"The file could not be checked: {type(exc).__name__}"
        job.save(update_fields=["status", "error", "updated_at"])
        return job
    job.report = result.as_dict()
    job.status = ImportJob.Status.VALID if result.ok else ImportJob.Status.INVALID
    job.progress = 1.0
    job.save(update_fields=["report", "status", "progress", "updated_at"])
    return job


def import_job_run(*, job: ImportJob) -> ImportJob:
    """Import a validated upload for real."""
    with transaction.atomic():
        locked = ImportJob.objects.select_for_update().get(pk=job.pk)
        if locked.status not in (ImportJob.Status.VALID, ImportJob.Status.QUEUED):
            return locked
        locked.status, locked.progress, locked.rows_done = ImportJob.Status.IMPORTING, 0.0, 0
        locked.save(update_fields=["status", "progress", "rows_done", "updated_at"])
    job.refresh_from_db()
    try:
        result = import_file(
            kind_name=job.kind,
            path=Path(job.file.path),
            actor=Actor(user=job.created_by),
            progress=_job_progress(job.pk),
            scope_path=_scope_path(job),
        )
    except Exception as exc:
        logger.exception("import job %s failed", job.pk)
        job.status, job.error = (
            ImportJob.Status.FAILED,
            f"The import stopped and nothing was written: {type(exc).__name__}",
        )
        job.save(update_fields=["status", "error", "updated_at"])
        return job
    job.report = result.as_dict()
    job.status = ImportJob.Status.DONE if result.written else ImportJob.Status.INVALID
    job.progress = 1.0
    job.save(update_fields=["report", "status", "progress", "updated_at"])
    return job
