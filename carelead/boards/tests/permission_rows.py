"""Permission-table rows for this app's pages (merged into tests/test_permissions.py)."""

from django.urls import reverse

from carelead.boardappraisals.tests.factories import BoardMemberFactory
from tests.permission_helpers import only

VIEWERS = {"ned_team", "national_admin", "regional_talent", "org_hr", "regulator"}
ENDINGS = {"ned_team", "national_admin", "regional_talent"}
MANAGERS = {"ned_team", "org_hr"}


def _member(w) -> int:
    return BoardMemberFactory(organisation=w.orgs["RAA"], name="Table Member").pk


def _committee(w) -> int:
    from carelead.boards.models import Committee

    return Committee.objects.create(organisation=w.orgs["RAA"], name="Audit and risk committee", kind="audit").pk


def _place(w) -> int:
    import datetime

    from carelead.boards.models import Committee, CommitteeMembership

    committee = Committee.objects.create(organisation=w.orgs["RAA"], name="Quality committee", kind="quality")
    member = BoardMemberFactory(organisation=w.orgs["RAA"], name="Committee Member")
    return CommitteeMembership.objects.create(
        committee=committee, member=member, starts_on=member.start_date or datetime.date(2024, 1, 1)
    ).pk


ROWS: dict = {
    "boards:endings": (lambda w: reverse("boards:endings"), only(ENDINGS)),
    "boards:endings_download": (lambda w: reverse("boards:endings_download"), only(ENDINGS)),
    "boards:own": (lambda w: reverse("boards:own"), only(VIEWERS, ok=302)),
    "boards:board": (lambda w: reverse("boards:board", kwargs={"code": "RAA"}), only(VIEWERS)),
    "boards:member": (lambda w: reverse("boards:member", kwargs={"pk": _member(w)}), only(VIEWERS)),
    "boards:term_new": (lambda w: reverse("boards:term_new", kwargs={"pk": _member(w)}), only(MANAGERS)),
    "boards:review_new": (lambda w: reverse("boards:review_new", kwargs={"pk": _member(w)}), only(MANAGERS)),
    "boards:seat_end": (lambda w: reverse("boards:seat_end", kwargs={"pk": _member(w)}), only(MANAGERS)),
    "boards:committee": (lambda w: reverse("boards:committee", kwargs={"pk": _committee(w)}), only(VIEWERS)),
    "boards:committee_close": (
        lambda w: reverse("boards:committee_close", kwargs={"pk": _committee(w)}),
        only(MANAGERS),
    ),
    "boards:committee_new": (lambda w: reverse("boards:committee_new", kwargs={"code": "RAA"}), only(MANAGERS)),
    "boards:committee_member_new": (
        lambda w: reverse("boards:committee_member_new", kwargs={"pk": _committee(w)}),
        only(MANAGERS),
    ),
    "boards:committee_place_end": (
        lambda w: reverse("boards:committee_place_end", kwargs={"pk": _place(w)}),
        only(MANAGERS),
    ),
}
