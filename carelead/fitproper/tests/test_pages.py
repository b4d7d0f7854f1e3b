"""The fit and proper person test pages for each persona: scope (another organisation's records give 404), the
check form with its evidence upload, sign-off and submission, restricted evidence and references (audited), the
regional dashboard's figures worked out by hand, and query counts that do not grow with the data."""

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from carelead.accounts.tests.factories import RoleAssignmentFactory, UserFactory
from carelead.audit.models import AuditLog
from carelead.boardappraisals.services import board_framework_current
from carelead.core.choices import BoardRole
from carelead.fitproper.models import Assessment, BoardMemberReference, CheckOutcome, EvidenceFile, Submission
from carelead.fitproper.selectors import year_choices
from carelead.fitproper.tests.factories import (
    BoardMemberFactory,
    assessment_for,
    evidence_for,
    leaver,
    reference_for,
    this_year,
)

BASE = "/fit-and-proper/"
TODAY = timezone.localdate()
LAST_YEAR = year_choices()[2]


def sign_in(client, user):
    client.force_login(user)
    return client


# Recording, for HR and the NED appointments team ------------------------------------------------------------------


def test_hr_starts_the_year_records_a_check_with_evidence_and_the_attestation(client_for, world, boards, storage):
    hr = client_for("org_hr")
    page = hr.get(BASE).content.decode()
    assert "Holdout Large Trust" in page and "Not started" in page and "Lee Leaver" not in page
    response = hr.post(BASE + "start/?org=RAA", {"year": this_year()})
    assert response.status_code == 302
    assessment = Assessment.objects.get(member=boards["ned"], year=this_year())

    form = hr.get(f"{BASE}{assessment.pk}/checks/identity/").content.decode()
    assert 'enctype="multipart/form-data"' in form
    upload = SimpleUploadedFile("passport.pdf", b"%PDF-1.4 passport", content_type="application/pdf")
    response = hr.post(
        f"{BASE}{assessment.pk}/checks/identity/",
        {"outcome": "done", "checked_on": TODAY.isoformat(), "notes": "Passport seen", "evidence": upload},
    )
    assert response.status_code == 302
    check = assessment.checks.get(kind="identity")
    assert check.outcome == "done" and check.checked_by == world.users["org_hr"]

    bad = hr.post(
        f"{BASE}{assessment.pk}/checks/dbs/",
        {"outcome": "done", "checked_on": TODAY.isoformat(), "evidence": SimpleUploadedFile("x.exe", b"MZ")},
    ).content.decode()
    assert "There is a problem" in bad and "must be a PDF, PNG or JPEG" in bad

    domains = list(board_framework_current().domains.values_list("pk", flat=True))
    response = hr.post(
        f"{BASE}{assessment.pk}/attestation/",
        {"text": "I am fit and proper.", "attested_on": TODAY.isoformat(), "domains": domains},
    )
    assert response.status_code == 302

    detail = hr.get(f"{BASE}{assessment.pk}/").content.decode()
    assert "passport.pdf" in detail and f"{BASE}evidence/" not in detail  # HR uploads but cannot download
    assert "Employment tribunal judgments: not recorded yet." in detail
    assert "Sign off" not in detail
    evidence = EvidenceFile.objects.get()
    assert hr.get(f"{BASE}evidence/{evidence.pk}/").status_code == 403


def test_a_concern_shows_as_open_until_resolved(client_for, world, boards):
    assessment = assessment_for(boards["ned"], by=world.users["org_hr"], checks=True, attested=True)
    assessment.checks.filter(kind="social_media").update(outcome=CheckOutcome.CONCERN, notes="Offensive posts in 2023")
    hr = client_for("org_hr")
    board = hr.get(BASE + "?org=RAA").content.decode()
    assert "Concern open" in board
    detail = hr.get(f"{BASE}{assessment.pk}/").content.decode()
    assert "Social media and public search: a concern was found; record how it was resolved." in detail
    hr.post(
        f"{BASE}{assessment.pk}/checks/social_media/",
        {
            "outcome": "concern",
            "checked_on": TODAY.isoformat(),
            "notes": "Offensive posts in 2023",
            "resolution": "Discussed with the chair; an apology was published.",
        },
    )
    assert "Ready to sign off" in hr.get(BASE + "?org=RAA").content.decode()


def test_hr_of_one_organisation_gets_404_for_another(client_for, world, boards, storage):
    far = assessment_for(boards["rbb_ned"], by=world.users["org_hr"])
    evidence = evidence_for(far, by=world.users["org_hr"])
    hr = client_for("org_hr")
    for path in (
        f"{BASE}?org=RBB",
        f"{BASE}start/?org=RBB",
        f"{BASE}submit/?org=RBB",
        f"{BASE}{far.pk}/",
        f"{BASE}{far.pk}/checks/identity/",
        f"{BASE}{far.pk}/attestation/",
    ):
        assert hr.get(path).status_code == 404, path
    response = hr.post(f"{BASE}{far.pk}/checks/identity/", {"outcome": "done", "checked_on": TODAY.isoformat()})
    assert response.status_code == 404
    assert far.checks.get(kind="identity").outcome == ""
    assert hr.get(f"{BASE}evidence/{evidence.pk}/").status_code == 403


def test_a_regional_ned_team_reaches_its_region_only(client, world, boards):
    regional = UserFactory(email="ned.y99@example.org")
    RoleAssignmentFactory(user=regional, role="ned_team", organisation=world.orgs["Y99"])
    far = assessment_for(boards["rcc_ned"], by=world.users["ned_team"])
    near = assessment_for(boards["rbb_ned"], by=world.users["ned_team"])
    sign_in(client, regional)
    assert client.get(f"{BASE}{far.pk}/").status_code == 404
    assert client.get(f"{BASE}?org=RCC").status_code == 404
    assert client.get(f"{BASE}{near.pk}/").status_code == 200
    dashboard = client.get(BASE + "dashboard/").content.decode()
    assert "Holdout Small Trust" in dashboard and "Far Away Trust" not in dashboard


# Sign-off and submission -------------------------------------------------------------------------------------------


def test_the_sign_off_page_lists_what_is_missing_and_refuses(client_for, world, boards):
    assessment = assessment_for(boards["rbb_ned"], by=world.users["ned_team"], checks=True)
    team = client_for("ned_team")
    page = team.get(f"{BASE}{assessment.pk}/sign-off/").content.decode()
    assert "cannot be recorded as fit and proper for the year until" in page
    assert "The member&#39;s self-attestation has not been recorded." in page
    response = team.post(f"{BASE}{assessment.pk}/sign-off/", {"confirm": "on", "signed_off_for": "Rita Rbbchair"})
    assert response.status_code == 200 and not Assessment.objects.get(pk=assessment.pk).signed_off


def test_the_team_signs_off_for_a_chair_without_an_account_and_the_board_submits(client_for, world, boards):
    rbb_chair = assessment_for(boards["rbb_chair"], by=world.users["ned_team"], signed_off=True)
    ned = assessment_for(boards["rbb_ned"], by=world.users["ned_team"], checks=True, attested=True)
    team = client_for("ned_team")
    submit = team.get(f"{BASE}submit/?org=RBB").content.decode()
    assert "Not yet signed off as fit and proper" in submit and "Ned Rbb" in submit

    page = team.get(f"{BASE}{ned.pk}/sign-off/").content.decode()
    assert 'value="Rita Rbbchair"' in page  # the chair's name is offered
    response = team.post(f"{BASE}{ned.pk}/sign-off/", {"confirm": "on", "signed_off_for": "Rita Rbbchair"})
    assert response.status_code == 302
    ned.refresh_from_db()
    assert ned.signed_off_as == "ned_team" and ned.signed_off_for == "Rita Rbbchair"

    response = team.post(f"{BASE}submit/?org=RBB&year={this_year()}", {"confirm": "on"})
    assert response.status_code == 302
    submission = Submission.objects.get(organisation=world.orgs["RBB"], year=this_year())
    assert submission.member_count == 2 and rbb_chair.signed_off
    board = team.get(f"{BASE}?org=RBB").content.decode()
    assert "Submitted to the region on" in board


def test_the_chair_signs_off_in_person_and_downloads_evidence(client, world, boards, storage):
    assessment = assessment_for(boards["ned"], by=world.users["org_hr"], checks=True, attested=True)
    evidence = evidence_for(assessment, by=world.users["org_hr"])
    chair = sign_in(client, boards.chair_user)
    board = chair.get(BASE).content.decode()  # the board they chair opens first
    assert "Holdout Large Trust" in board and "Start the tests" not in board
    detail = chair.get(f"{BASE}{assessment.pk}/").content.decode()
    assert f"{BASE}evidence/{evidence.pk}/" in detail and "/checks/identity/" not in detail
    assert chair.get(f"{BASE}{assessment.pk}/checks/identity/").status_code == 403
    response = chair.post(f"{BASE}{assessment.pk}/sign-off/", {"confirm": "on"})
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.signed_off_as == "chair" and assessment.signed_off_by == boards.chair_user

    download = chair.get(f"{BASE}evidence/{evidence.pk}/")
    assert download.status_code == 200
    assert download["Content-Disposition"] == 'attachment; filename="passport-check.pdf"'
    assert b"".join(download.streaming_content) == b"%PDF-1.4 evidence"
    entry = AuditLog.objects.get(object_type="fitproper.EvidenceFile", object_id=str(evidence.pk), action="export")
    assert entry.actor == boards.chair_user

    # Not the chair of another board.
    far = assessment_for(boards["rbb_ned"], by=world.users["ned_team"])
    assert chair.get(f"{BASE}{far.pk}/").status_code == 404
    assert chair.get(f"{BASE}?org=RBB").status_code == 404


def test_every_evidence_download_is_audited_for_the_team(client_for, world, boards, storage):
    evidence = evidence_for(assessment_for(boards["rcc_ned"], by=world.users["ned_team"]), by=world.users["ned_team"])
    team = client_for("ned_team")
    for _ in range(2):
        response = team.get(f"{BASE}evidence/{evidence.pk}/")
        assert response["Content-Disposition"].startswith("attachment;")
        assert response["Content-Type"] == "application/pdf"
        b"".join(response.streaming_content)
    assert AuditLog.objects.filter(object_type="fitproper.EvidenceFile", action="export").count() == 2
    # Stored files are never reachable by a media URL.
    assert "/media/" not in team.get(f"{BASE}{evidence.check_record.assessment_id}/").content.decode()


def test_staff_who_chair_no_board_are_refused(client_for, world, boards):
    assessment = assessment_for(boards["ned"], by=world.users["org_hr"])
    staff = client_for("staff")
    assert staff.get(BASE).status_code == 403
    assert staff.get(f"{BASE}{assessment.pk}/").status_code == 403
    assert staff.get(f"{BASE}{assessment.pk}/sign-off/").status_code == 403


# Board Member References -------------------------------------------------------------------------------------------


def test_the_team_writes_a_reference_once_and_every_reading_is_audited(client_for, world, boards):
    team = client_for("ned_team")
    member = boards["left"]
    listing = team.get(f"{BASE}references/?org=RAA").content.decode()
    assert "Lee Leaver" in listing and "Not written" in listing and "Nina Nonexec" not in listing
    assert team.get(f"{BASE}references/{member.pk}/")["Location"] == f"{BASE}references/{member.pk}/write/"
    bad = team.post(f"{BASE}references/{member.pk}/write/", {"role_held": "NED"}).content.decode()
    assert "Record any concerns, or write “None”" in bad
    response = team.post(
        f"{BASE}references/{member.pk}/write/",
        {
            "role_held": "Non-executive director",
            "served_from": "2020-04-01",
            "served_to": "2025-03-31",
            "concerns": "None",
            "investigations": "An investigation into a conflict of interest was open when they left.",
            "written_by_name": "Eve Executive, Chair",
        },
    )
    assert response.status_code == 302
    reference = BoardMemberReference.objects.get(member=member)
    assert reference.written_by == world.users["ned_team"] and reference.written_on == TODAY
    for _ in range(2):
        page = team.get(f"{BASE}references/{member.pk}/").content.decode()
        assert "conflict of interest" in page
    reads = AuditLog.objects.filter(object_type="fitproper.BoardMemberReference", action="view_special")
    assert reads.count() == 2 and reads.first().subject_person_id == member.person_id
    again = team.get(f"{BASE}references/{member.pk}/write/")
    assert again.status_code == 302 and again["Location"] == f"{BASE}references/{member.pk}/"


def test_references_are_for_the_team_and_the_chair_only(client, client_for, world, boards):
    reference_for(boards["left"], by=world.users["ned_team"])
    far = leaver(world.orgs["RBB"], name="Far Leaver")
    hr = client_for("org_hr")
    assert hr.get(f"{BASE}references/?org=RAA").status_code == 403
    assert hr.get(f"{BASE}references/{boards['left'].pk}/").status_code == 403
    chair = sign_in(client, boards.chair_user)
    assert "Lee Leaver" in chair.get(f"{BASE}references/?org=RAA").content.decode()
    assert chair.get(f"{BASE}references/{boards['left'].pk}/").status_code == 200
    assert chair.get(f"{BASE}references/{far.pk}/write/").status_code == 404
    assert chair.get(f"{BASE}references/{boards['ned'].pk}/write/").status_code == 404  # still on the board


# The dashboard -----------------------------------------------------------------------------------------------------


@pytest.fixture
def last_year(world, boards):
    """Last year (its due date long past): in RAA the chair is signed off, the NED has an open concern and the
    executive has no test (overdue); in RBB both members are signed off and the year is submitted; in RCC (the
    other region) nothing has started."""
    by = world.users["ned_team"]
    assessment_for(boards["chair"], by=by, year=LAST_YEAR, signed_off=True)
    ned = assessment_for(boards["ned"], by=by, year=LAST_YEAR, checks=True)
    ned.checks.filter(kind="tribunal").update(outcome=CheckOutcome.CONCERN, notes="Judgment against them")
    ned.checks.filter(kind="references").update(outcome=CheckOutcome.CONCERN, notes="Gap", resolution="Explained")
    assessment_for(boards["left"], by=by, year=LAST_YEAR)  # has left: not counted among the members
    for key in ("rbb_chair", "rbb_ned"):
        assessment_for(boards[key], by=by, year=LAST_YEAR, signed_off=True)
    Submission.objects.create(
        organisation=world.orgs["RBB"], year=LAST_YEAR, member_count=2, submitted_by=by, submitted_at=timezone.now()
    )


def _cells(page: str, label: str) -> list[str]:
    """The figures of the table row that starts after ``label``, tags and responsive headings removed."""
    row = page[page.index(label) :]
    row = row[: row.index("</tr>")]
    row = re.sub(r'<span class="nhsuk-table-responsive__heading"[^>]*>[^<]*</span>', "", row)
    return [
        re.sub(r"<[^>]+>", "", cell.split('app-number">', 1)[1]).strip()
        for cell in row.split("</td>")
        if 'app-number">' in cell
    ]


def test_the_regional_dashboard_counts_by_hand(client_for, world, last_year):
    page = client_for("regional_talent").get(f"{BASE}dashboard/?year={LAST_YEAR}").content.decode()
    # members, signed off, concerns open, overdue
    assert _cells(page, "Holdout Large Trust") == ["3", "1", "1", "1"]
    assert _cells(page, "Holdout Small Trust") == ["2", "2", "0", "0"]
    assert "Far Away Trust" not in page and "Meadow View Care Home" not in page
    assert "Submitted " in page and "Not submitted" in page
    # organisations, submitted, members, signed off, concerns open, overdue
    totals = page[page.index("All organisations in Holdout Region") :]
    assert _cells(totals, "<tbody") == ["2", "1", "5", "3", "1", "1"]


def test_nothing_is_overdue_before_the_due_date(client_for, world, last_year, settings):
    settings.CARELEAD_FIT_PROPER_DUE = (3, 31)  # the last day of the year
    page = client_for("ned_team").get(f"{BASE}dashboard/?year={year_choices()[1]}").content.decode()
    assert _cells(page, "Holdout Large Trust") == ["3", "0", "0", "0"]


def test_the_national_dashboard_narrows_to_a_region_and_downloads(client_for, world, last_year):
    team = client_for("ned_team")
    page = team.get(f"{BASE}dashboard/?year={LAST_YEAR}").content.decode()
    assert "Far Away Trust" in page and f"{BASE}?org=RAA" in page
    page = team.get(f"{BASE}dashboard/?year={LAST_YEAR}&region=Y98").content.decode()
    assert "Far Away Trust" in page and "Holdout Large Trust" not in page
    response = client_for("national_admin").get(f"{BASE}dashboard.csv?year={LAST_YEAR}&region=Y99")
    assert response["Content-Disposition"] == f'attachment; filename="fit-and-proper-Y99-{LAST_YEAR}.csv"'
    lines = response.content.decode().strip().splitlines()
    assert lines[0] == (
        "organisation_code,organisation_name,year,members,signed_off,concerns_open,overdue,submitted,submitted_on"
    )
    assert lines[1] == f"RAA,Holdout Large Trust,{LAST_YEAR},3,1,1,1,no,"
    assert lines[2] == f"RBB,Holdout Small Trust,{LAST_YEAR},2,2,0,0,yes,{timezone.localdate().isoformat()}"


def test_the_regulator_sees_published_figures_without_links(client_for, world, last_year):
    regulator = client_for("regulator")
    page = regulator.get(f"{BASE}dashboard/?year={LAST_YEAR}").content.decode()
    assert "These are published figures" in page
    assert _cells(page, "Holdout Large Trust") == ["*", "*", "*", "*"]
    assert f"{BASE}?org=RAA" not in page
    lines = regulator.get(f"{BASE}dashboard.csv?year={LAST_YEAR}").content.decode().splitlines()
    assert f"RAA,Holdout Large Trust,{LAST_YEAR},*,*,*,*,no," in lines


# Query counts ------------------------------------------------------------------------------------------------------


def _grow_board(world, n: int, code: str = "RAA"):
    by = world.users["ned_team"]
    for i in range(n):
        member = BoardMemberFactory(organisation=world.orgs[code], name=f"Extra Member {code} {i}")
        assessment = assessment_for(member, by=by, checks=i % 2 == 0, attested=True)
        evidence_for(assessment, by=by) if i == 0 else None
        leaver(world.orgs[code], name=f"Past Member {code} {i}")


def _queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    ("persona", "path"),
    [
        ("ned_team", BASE + "?org=RAA"),
        ("ned_team", BASE + "references/?org=RAA"),
        ("ned_team", BASE + "dashboard/"),
        ("ned_team", BASE + "dashboard.csv"),
        ("regional_talent", BASE + "dashboard/"),
    ],
)
def test_list_pages_do_not_grow_with_the_data(client_for, world, boards, storage, persona, path):
    client = client_for(persona)
    _grow_board(world, 2)
    small = _queries(client, path)
    _grow_board(world, 12)
    _grow_board(world, 6, code="RBB")
    _grow_board(world, 6, code="RCC")
    assert _queries(client, path) == small


def test_the_assessment_page_does_not_grow_with_evidence_or_barring_entries(client_for, world, boards, storage):
    from carelead.fitproper.models import BarredPerson

    assessment = assessment_for(boards["ned"], by=world.users["org_hr"], checks=True, attested=True)
    client = client_for("ned_team")
    path = f"{BASE}{assessment.pk}/"
    evidence_for(assessment, by=world.users["org_hr"])
    small = _queries(client, path)
    for kind in ("dbs", "tribunal", "references", "barring"):
        for _ in range(3):
            evidence_for(assessment, by=world.users["org_hr"], kind=kind)
    BarredPerson.objects.bulk_create(
        [
            BarredPerson(name=f"Barred {i}", name_key=f"barred {i}", reference=f"B{i}", source="HCPC", added_on=TODAY)
            for i in range(30)
        ]
    )
    assert _queries(client, path) == small


def test_a_chair_is_recognised_whatever_role_they_act_in(client, world, boards):
    BoardMemberFactory(
        organisation=world.orgs["CP001"],
        name="Maya Manager",
        role=BoardRole.CHAIR,
        person=world.people["manager"],
        start_date=datetime.date(2024, 4, 1),
    )
    page = sign_in(client, world.users["line_manager"]).get(BASE).content.decode()
    assert "Meadow View Care Home" in page
