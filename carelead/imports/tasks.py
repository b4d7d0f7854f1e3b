"""Background tasks for large uploads (django-tasks; the database worker by default)."""

from django_tasks import task

from carelead.imports.models import ImportJob
from carelead.imports.services import import_job_run, import_job_validate


@task()
def validate_import_job(job_id: int) -> str:
    """Check an uploaded file without writing it."""
    return import_job_validate(job=ImportJob.objects.get(pk=job_id)).status


@task()
def run_import_job(job_id: int) -> str:
    """Write a checked upload."""
    return import_job_run(job=ImportJob.objects.get(pk=job_id)).status
