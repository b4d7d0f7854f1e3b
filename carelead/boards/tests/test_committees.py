"""Board committees: who may add them and put members on them, the rules for places, the pages, and that a
seat ending ends its committee places."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from carelead.accounts.models import RoleAssignment
from carelead.audit.models import AuditLog
from carelead.boardappraisals.tests.factories import BoardMemberFactory
from carelead.boards import committees as svc
from carelead.boards.models import Committee, CommitteeMembership
from carelead.boards.services import board_seat_end

pytestmark = pytest.mark.django_db


def _assignment(world, persona):
    return RoleAssignment.objects.filter(user=world.users[persona]).first()


@pytest.fixture
def audit(world, boards):
    hr = _assignment(world, "org_hr")
    committee = svc.committee_create(
        organisation=world.orgs["RAA"],
        name="Audit and risk",
        kind="audit",
        purpose="",
        by=world.users["org_hr"],
        assignment=hr,
    )
    return committee


def test_a_committee_is_added_once_per_name_and_audited(world, boards, audit):
    hr = _assignment(world, "org_hr")
    with pytest.raises(ValidationError) as caught:
        svc.committee_create(
            organisation=world.orgs["RAA"],
            name="audit  AND risk",
            kind="audit",
            purpose="",
            by=world.users["org_hr"],
            assignment=hr,
        )
    assert "already has a committee" in str(caught.value.message_dict["name"])
    assert AuditLog.objects.filter(object_type="boards.Committee", object_id=str(audit.pk), action="create").exists()


def test_another_organisations_hr_cannot_add_a_committee(world, boards):
    hr = _assignment(world, "org_hr")
    with pytest.raises(PermissionDenied):
        svc.committee_create(
            organisation=world.orgs["RCC"],
            name="Quality",
            kind="quality",
            purpose="",
            by=world.users["org_hr"],
            assignment=hr,
        )
    assert not Committee.objects.exists()


def test_place_rules(world, boards, audit):
    hr, by = _assignment(world, "org_hr"), world.users["org_hr"]
    today = boards.today
    place = svc.committee_member_add(
        committee=audit, member=boards["ned"], chairs=True, starts_on=today, by=by, assignment=hr
    )
    with pytest.raises(ValidationError) as caught:
        svc.committee_member_add(committee=audit, member=boards["ned"], chairs=False, starts_on=today, by=by)
    assert "already sits" in str(caught.value)
    with pytest.raises(ValidationError) as caught:
        svc.committee_member_add(committee=audit, member=boards["ned_later"], chairs=True, starts_on=today, by=by)
    assert "Nina Nonexec chairs the committee" in str(caught.value)
    with pytest.raises(ValidationError) as caught:
        svc.committee_member_add(committee=audit, member=boards["rbb_ned"], chairs=False, starts_on=today, by=by)
    assert "member of this board" in str(caught.value)
    with pytest.raises(ValidationError) as caught:
        svc.committee_member_add(committee=audit, member=boards["left"], chairs=False, starts_on=today, by=by)
    assert "ended on" in str(caught.value)
    with pytest.raises(ValidationError):
        svc.committee_member_end(membership=place, ends_on=place.starts_on - timedelta(days=1), by=by)
    svc.committee_member_end(membership=place, ends_on=today, by=by, assignment=hr)
    with pytest.raises(ValidationError):
        svc.committee_member_end(membership=place, ends_on=today, by=by)
    # once the chair's place has ended, another member may chair it
    svc.committee_member_add(committee=audit, member=boards["ned_later"], chairs=True, starts_on=today, by=by)


def test_ending_a_seat_ends_its_committee_places(world, boards, audit):
    by = world.users["org_hr"]
    today = boards.today
    svc.committee_member_add(committee=audit, member=boards["ned"], chairs=False, starts_on=today, by=by)
    later = Committee.objects.create(organisation=world.orgs["RAA"], name="Quality", kind="quality")
    svc.committee_member_add(
        committee=later, member=boards["ned"], chairs=False, starts_on=today + timedelta(days=60), by=by
    )
    board_seat_end(member=boards["ned"], ended_on=today + timedelta(days=30), by=by)
    places = list(CommitteeMembership.objects.filter(member=boards["ned"]))
    assert [(p.committee_id, p.ends_on) for p in places] == [(audit.pk, today + timedelta(days=30))]


def test_board_and_committee_pages(client_for, world, boards, audit):
    by = world.users["org_hr"]
    svc.committee_member_add(committee=audit, member=boards["ned"], chairs=True, starts_on=boards.today, by=by)
    board = client_for("org_hr").get("/boards/RAA/").content.decode()
    assert "Audit and risk" in board and "Add a committee" in board
    page = client_for("regulator").get(f"/boards/committees/{audit.pk}/").content.decode()
    assert "Nina Nonexec" in page and "Members now" in page and "Add a board member" not in page
    member = client_for("ned_team").get(f"/boards/members/{boards['ned'].pk}/").content.decode()
    assert "Audit and risk</a> (chair)" in member


def test_adding_through_the_pages_shows_errors_and_saves(client_for, world, boards, audit):
    client = client_for("org_hr")
    url = f"/boards/committees/{audit.pk}/members/new/"
    form = client.get(url).content.decode()
    assert "Nina Nonexec" in form and "Lee Leaver" not in form and "Ned Rbb" not in form
    bad = client.post(url, {"member": boards["rbb_ned"].pk, "starts_on": "2026-02-31"}).content.decode()
    assert "Choose a member of this board" in bad and "as a date" in bad
    ok = client.post(url, {"member": boards["ned"].pk, "chairs": "on", "starts_on": boards.today.isoformat()})
    assert ok.status_code == 302
    assert CommitteeMembership.objects.get(committee=audit).chairs
    new = client.post("/boards/RAA/committees/new/", {"name": "", "kind": ""}).content.decode()
    assert "Enter the committee" in new and "Choose the kind" in new
    assert client_for("org_hr").get("/boards/RCC/committees/new/").status_code == 404


def test_committee_pages_queries_do_not_grow(client_for, world, boards, audit):
    client = client_for("ned_team")
    by = world.users["org_hr"]

    def grow(n):
        for _ in range(n):
            member = BoardMemberFactory(organisation=world.orgs["RAA"], start_date=date(2024, 1, 1))
            committee = Committee.objects.create(
                organisation=world.orgs["RAA"], name=f"Committee {Committee.objects.count()}", kind="other"
            )
            svc.committee_member_add(committee=committee, member=member, chairs=True, starts_on=date(2024, 2, 1), by=by)
            svc.committee_member_add(committee=audit, member=member, chairs=False, starts_on=date(2024, 2, 1), by=by)

    def count(path):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(path).status_code == 200
        return len(captured)

    grow(2)
    small = [count("/boards/RAA/"), count(f"/boards/committees/{audit.pk}/")]
    grow(12)
    large = [count("/boards/RAA/"), count(f"/boards/committees/{audit.pk}/")]
    assert all(b <= a for a, b in zip(small, large, strict=True)), (small, large)


def test_the_demo_gives_boards_with_enough_non_executives_their_committees(world):
    from carelead.core.choices import BoardRole
    from carelead.demo.committees import COMMITTEES, committees_create

    for i in range(4):
        BoardMemberFactory(
            organisation=world.orgs["RAA"], role=BoardRole.NON_EXECUTIVE, start_date=date(2023, 4, 1 + i)
        )
    BoardMemberFactory(organisation=world.orgs["RAA"], role=BoardRole.EXECUTIVE, start_date=date(2022, 1, 1))
    BoardMemberFactory(organisation=world.orgs["RBB"], role=BoardRole.NON_EXECUTIVE, start_date=date(2023, 4, 1))
    counts = committees_create(seed=1)
    assert counts["boards.Committee"] == len(COMMITTEES)
    assert set(Committee.objects.values_list("organisation__code", flat=True)) == {"RAA"}
    for committee in Committee.objects.all():
        places = list(committee.memberships.select_related("member"))
        chairs = [p for p in places if p.chairs]
        assert len(chairs) == 1 and chairs[0].member.role == BoardRole.NON_EXECUTIVE
        assert all(p.starts_on == p.member.start_date for p in places)
    assert committees_create(seed=1) == {"boards.Committee": 0, "boards.CommitteeMembership": 0}


def test_standing_a_committee_down_ends_its_places(client_for, world, boards, audit):
    by = world.users["org_hr"]
    today = boards.today
    svc.committee_member_add(committee=audit, member=boards["ned"], chairs=True, starts_on=today, by=by)
    svc.committee_member_add(
        committee=audit, member=boards["ned_later"], chairs=False, starts_on=today + timedelta(days=10), by=by
    )
    client = client_for("org_hr")
    url = f"/boards/committees/{audit.pk}/close/"
    bad = client.post(url, {"closed_on": "not a date"}).content.decode()
    assert "as a date" in bad
    assert client.post(url, {"closed_on": today.isoformat()}).status_code == 302
    audit.refresh_from_db()
    assert audit.closed_on == today
    assert [(p.member_id, p.ends_on) for p in audit.memberships.all()] == [(boards["ned"].pk, today)]
    # it sits until the end of the day it is stood down, and not after
    assert [c.committee.pk for c in svc.board_committees(organisation=world.orgs["RAA"], on=today)] == [audit.pk]
    assert svc.board_committees(organisation=world.orgs["RAA"], on=today + timedelta(days=1)) == []
    page = client.get(f"/boards/committees/{audit.pk}/").content.decode()
    assert "stood this committee down" in page and "Add a board member" not in page
    with pytest.raises(ValidationError):
        svc.committee_close(committee=audit, closed_on=today, by=by)
    with pytest.raises(ValidationError):
        svc.committee_member_add(committee=audit, member=boards["ned_later"], chairs=False, starts_on=today, by=by)
