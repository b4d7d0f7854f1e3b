"""Permission-table rows for this app's pages (merged into tests/test_permissions.py)."""

from django.urls import reverse

from carelead.boardappraisals.tests.factories import BoardMemberFactory
from tests.permission_helpers import only

VIEWERS = {"ned_team", "national_admin", "regional_talent", "org_hr", "regulator"}
ENDINGS = {"ned_team", "national_admin", "regional_talent"}
MANAGERS = {"ned_team", "org_hr"}


def _member(w) -> int:
    return BoardMemberFactory(organisation=w.orgs["RAA"], name="Table Member").pk


ROWS: dict = {
    "boards:endings": (lambda w: reverse("boards:endings"), only(ENDINGS)),
    "boards:endings_download": (lambda w: reverse("boards:endings_download"), only(ENDINGS)),
    "boards:own": (lambda w: reverse("boards:own"), only(VIEWERS, ok=302)),
    "boards:board": (lambda w: reverse("boards:board", kwargs={"code": "RAA"}), only(VIEWERS)),
    "boards:member": (lambda w: reverse("boards:member", kwargs={"pk": _member(w)}), only(VIEWERS)),
    "boards:term_new": (lambda w: reverse("boards:term_new", kwargs={"pk": _member(w)}), only(MANAGERS)),
    "boards:review_new": (lambda w: reverse("boards:review_new", kwargs={"pk": _member(w)}), only(MANAGERS)),
    "boards:seat_end": (lambda w: reverse("boards:seat_end", kwargs={"pk": _member(w)}), only(MANAGERS)),
}
