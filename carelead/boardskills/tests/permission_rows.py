"""Permission-table rows for this app's pages (merged into tests/test_permissions.py)."""

from django.urls import reverse

from tests.permission_helpers import only

VIEWERS = {"ned_team", "national_admin", "regional_talent", "org_hr", "regulator"}
MEMBER_READERS = {"ned_team", "national_admin", "regional_talent", "org_hr"}
MANAGERS = {"ned_team", "org_hr"}
GAPS = {"ned_team", "national_admin", "regional_talent", "regulator"}


def _member(w) -> int:
    from carelead.boardskills.tests.factories import BoardMemberFactory

    return BoardMemberFactory(organisation=w.orgs["RAA"], name="Table Member").pk


ROWS: dict = {
    "boardskills:own": (lambda w: reverse("boardskills:own"), only(VIEWERS, ok=302)),
    "boardskills:board": (lambda w: reverse("boardskills:board", kwargs={"code": "RAA"}), only(VIEWERS)),
    "boardskills:requirements": (
        lambda w: reverse("boardskills:requirements", kwargs={"code": "RAA"}),
        only(MANAGERS),
    ),
    "boardskills:member": (lambda w: reverse("boardskills:member", kwargs={"pk": _member(w)}), only(MEMBER_READERS)),
    "boardskills:gaps": (lambda w: reverse("boardskills:gaps"), only(GAPS)),
    "boardskills:gaps_download": (lambda w: reverse("boardskills:gaps_download"), only(GAPS)),
}
