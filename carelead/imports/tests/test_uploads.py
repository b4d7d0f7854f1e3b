"""Uploading on the web: small files are checked in the request, large ones by the worker, with progress."""

from django.core.files.uploadedfile import SimpleUploadedFile

from carelead.imports.models import ImportJob
from carelead.people.models import Person

HEADER = b"staff_id,org_code,first_name,last_name,pay_band,level,start_date\n"


def upload(client, content: bytes, name="staff.csv", kind="staff"):
    return client.post("/imports/new/", {"kind": kind, "file": SimpleUploadedFile(name, content, "text/csv")})


def test_small_file_is_checked_then_imported_on_confirmation(client_for, world):
    hr = client_for("org_hr")
    response = upload(hr, HEADER + b"RAA-70001,RAA,Ann,Ash,5,staff,2024-04-01\n")
    job = ImportJob.objects.get()
    assert response.url == f"/imports/{job.pk}/"
    assert job.status == "valid" and job.report["created"] == 1
    assert not Person.objects.filter(staff_id="RAA-70001").exists()
    hr.post(f"/imports/{job.pk}/confirm/")
    job.refresh_from_db()
    assert job.status == "done"
    assert Person.objects.filter(staff_id="RAA-70001").exists()


def test_large_file_goes_to_the_worker_and_reports_progress(
    client_for, world, settings, django_capture_on_commit_callbacks
):
    settings.CARELEAD_IMPORT_INLINE_BYTES = 10
    hr = client_for("org_hr")
    rows = b"".join(b"RAA-8%04d,RAA,First,Last,5,staff,2024-04-01\n" % i for i in range(50))
    with django_capture_on_commit_callbacks(execute=True):
        upload(hr, HEADER + rows)
    job = ImportJob.objects.get()
    assert job.status == "valid"
    progress = hr.get(f"/imports/{job.pk}/", HTTP_ACCEPT="application/json").json()
    assert progress == {"status": "valid", "finished": True, "fraction": 1.0, "rows": 50}
    with django_capture_on_commit_callbacks(execute=True):
        hr.post(f"/imports/{job.pk}/confirm/")
    job.refresh_from_db()
    assert job.status == "done"
    assert Person.objects.filter(staff_id__startswith="RAA-8").count() == 50
    fragment = hr.get(f"/imports/{job.pk}/", HTTP_HX_REQUEST="true")
    assert b'id="job-progress"' in fragment.content and b"<html" not in fragment.content


def test_bad_uploads_are_refused_with_clear_errors(client_for, world):
    hr = client_for("org_hr")
    assert b"must be a CSV or XLSX file" in upload(hr, b"hello", name="notes.txt").content
    assert b"is empty" in upload(hr, b"").content
    assert b"not a real Excel workbook" in upload(hr, b"staff_id\n", name="staff.xlsx").content
    forbidden = upload(hr, b"code,name,type,sector\nX,Y,trust,nhs\n", kind="organisations")
    assert b"Select a valid choice" in forbidden.content
    assert not ImportJob.objects.exists()


def test_an_invalid_file_shows_every_problem_and_can_be_cancelled(client_for, world):
    hr = client_for("org_hr")
    upload(hr, HEADER + b"RAA-1,RAA,A,B,5,staff,2024-13-01\nRAA-2,RCC,A,B,5,staff,2024-01-01\n")
    job = ImportJob.objects.get()
    page = hr.get(f"/imports/{job.pk}/").content.decode()
    assert "Row 1, column start_date" in page and "Row 2, column org_code" in page
    assert "Nothing has been imported" in page
    hr.post(f"/imports/{job.pk}/cancel/")
    job.refresh_from_db()
    assert job.status == "cancelled"


def test_another_users_upload_is_not_reachable(client_for, world):
    upload(client_for("org_hr"), HEADER + b"RAA-70001,RAA,Ann,Ash,5,staff,2024-04-01\n")
    job = ImportJob.objects.get()
    assert client_for("national_admin").get(f"/imports/{job.pk}/").status_code == 200
