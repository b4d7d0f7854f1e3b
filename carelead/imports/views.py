"""Upload a file, read its validation report, confirm, and follow the import's progress."""

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from carelead.accounts.permissions import assignment_has, permission_required
from carelead.imports.forms import UploadForm
from carelead.imports.models import ImportJob
from carelead.imports.permissions import IMPORT_DATA, IMPORT_ORGANISATIONS
from carelead.imports.registry import KINDS
from carelead.imports.selectors import import_job_get, import_job_list
from carelead.imports.services import import_job_progress, import_job_run, import_job_validate
from carelead.imports.tasks import run_import_job, validate_import_job


def _kinds_for(assignment) -> list[str]:
    kinds = list(KINDS)
    if not assignment_has(assignment, IMPORT_ORGANISATIONS):
        kinds.remove("organisations")
    return kinds


@permission_required(IMPORT_DATA)
def import_list(request):
    """The user's uploads, newest first."""
    jobs = Paginator(import_job_list(user=request.user, assignment=request.assignment), 25).get_page(
        request.GET.get("page")
    )
    return render(request, "imports/list.jinja", {"page": jobs})


@permission_required(IMPORT_DATA)
def import_new(request):
    """Upload a file; small files are checked at once, large ones by the worker."""
    form = UploadForm(request.POST or None, request.FILES or None, kinds=_kinds_for(request.assignment))
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        job = ImportJob.objects.create(
            kind=form.cleaned_data["kind"],
            file=upload,
            original_name=upload.name[:255],
            size=upload.size,
            created_by=request.user,
            organisation=request.assignment.organisation,
        )
        if upload.size <= settings.CARELEAD_IMPORT_INLINE_BYTES:
            import_job_validate(job=job)
        else:
            transaction.on_commit(lambda: validate_import_job.enqueue(job.pk))
        return redirect("imports:detail", pk=job.pk)
    return render(
        request,
        "imports/new.jinja",
        {
            "form": form,
            "page_has_errors": bool(form.errors),
            "kinds": [KINDS[k] for k in _kinds_for(request.assignment)],
        },
    )


@permission_required(IMPORT_DATA)
def import_detail(request, pk: int):
    """The validation report, the confirm button, or the progress of a running job."""
    job = import_job_get(user=request.user, assignment=request.assignment, pk=pk)
    progress = import_job_progress(job=job)
    if request.headers.get("Accept") == "application/json":
        return JsonResponse({"status": job.status, "finished": job.finished, **progress})
    template = "imports/_progress.jinja" if request.headers.get("HX-Request") else "imports/detail.jinja"
    report = job.report or {}
    return render(
        request,
        template,
        {
            "job": job,
            "progress": progress,
            "report": report,
            "problems": report.get("problems", [])[:500],
            "percent": round(progress["fraction"] * 100),
        },
    )


@require_POST
@permission_required(IMPORT_DATA)
def import_confirm(request, pk: int):
    """Write a file whose check passed."""
    job = import_job_get(user=request.user, assignment=request.assignment, pk=pk)
    if job.status != ImportJob.Status.VALID:
        messages.error(request, "This file cannot be imported: check the report.")
        return redirect("imports:detail", pk=job.pk)
    if job.size <= settings.CARELEAD_IMPORT_INLINE_BYTES:
        job = import_job_run(job=job)
        if job.status == ImportJob.Status.DONE:
            messages.success(request, f"{job.original_name} has been imported.")
    else:
        job.status = ImportJob.Status.QUEUED
        job.save(update_fields=["status", "updated_at"])
        transaction.on_commit(lambda: run_import_job.enqueue(job.pk))
    return redirect("imports:detail", pk=job.pk)


@require_POST
@permission_required(IMPORT_DATA)
def import_cancel(request, pk: int):
    """Abandon a checked file without importing it."""
    job = import_job_get(user=request.user, assignment=request.assignment, pk=pk)
    if job.status in (ImportJob.Status.VALID, ImportJob.Status.INVALID):
        job.status = ImportJob.Status.CANCELLED
        job.save(update_fields=["status", "updated_at"])
        job.file.delete(save=False)
        messages.success(request, "The upload has been cancelled and the file deleted.")
    return redirect("imports:list")
