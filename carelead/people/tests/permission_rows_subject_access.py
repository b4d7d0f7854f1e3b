"""Permission-table rows for the subject access pages (merged into tests/test_permissions.py).

The rows ask for the staff member's own export: they open it themselves, and so do the HR lead of their
organisation and national administrators, who answer subject access requests and may read special-category data.
Every other role, the line manager included, is refused (test_subject_access.py covers HR of another
organisation, who gets a 404).
"""

from django.urls import reverse

from tests.permission_helpers import only

EXPORTERS = {"staff", "org_hr", "national_admin"}


def _row(name: str):
    return (lambda w: reverse(f"people:{name}", kwargs={"staff_id": w.people["member"].staff_id}), only(EXPORTERS))


ROWS: dict = {
    "people:subject_access": _row("subject_access"),
    "people:subject_access_download": _row("subject_access_download"),
}
