"""Reads of import jobs: a user sees the jobs they started, national admins see all."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from carelead.imports.models import ImportJob


def import_job_list(*, user, assignment) -> QuerySet[ImportJob]:
    jobs = ImportJob.objects.select_related("created_by", "organisation")
    if assignment.is_national:
        return jobs
    return jobs.filter(created_by=user)


def import_job_get(*, user, assignment, pk: int) -> ImportJob:
    return get_object_or_404(import_job_list(user=user, assignment=assignment), pk=pk)
