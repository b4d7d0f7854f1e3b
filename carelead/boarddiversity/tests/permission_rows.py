"""Permission-table rows for this app's pages (merged into tests/test_permissions.py)."""

from django.urls import reverse

from tests.permission_helpers import only

VIEWERS = {"ned_team", "national_admin", "regional_talent", "org_hr", "regulator"}
OVERVIEW = {"ned_team", "national_admin", "regional_talent", "regulator"}
EDITORS = {"ned_team", "national_admin"}

ROWS: dict = {
    "boarddiversity:overview": (lambda w: reverse("boarddiversity:overview"), only(OVERVIEW)),
    "boarddiversity:board": (lambda w: reverse("boarddiversity:board", kwargs={"code": "RAA"}), only(VIEWERS)),
    "boarddiversity:reference": (
        lambda w: reverse("boarddiversity:reference", kwargs={"code": "RAA"}),
        only(EDITORS),
    ),
}
