"""The rules of the fit and proper person test: sign-off needs every piece, concerns need a resolution, who
signs off, the annual submission, the barring list load and match, and evidence files."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.utils import timezone

from carelead.audit.models import AuditLog
from carelead.audit.services import Actor
from carelead.boardappraisals.services import board_framework_current
from carelead.fitproper.models import (
    Assessment,
    BarredPerson,
    CheckKind,
    CheckOutcome,
    DomainConfirmation,
    EvidenceFile,
    Submission,
    financial_year_for,
    name_key,
)
from carelead.fitproper.selectors import barring_matches, fpp_access
from carelead.fitproper.services import (
    assessment_sign_off,
    assessments_start,
    attestation_record,
    barring_load,
    check_record,
    evidence_problem,
    submission_make,
    submission_problems,
)
from carelead.fitproper.tests.factories import assessment_for, this_year

TODAY = timezone.localdate()


def access(world, who, organisation):
    user = who if not isinstance(who, str) else world.users[who]
    assignment = user.assignments.select_related("organisation").first()
    return fpp_access(assignment=assignment, user=user, organisation=organisation)


def complete(world, member):
    """Every check done and a full self-attestation, not yet signed off."""
    return assessment_for(member, by=world.users["org_hr"], checks=True, attested=True)


def sign_off_as_team(world, assessment, signed_off_for="Rita Rbbchair"):
    return assessment_sign_off(
        assessment=assessment,
        by=world.users["ned_team"],
        access=access(world, "ned_team", assessment.organisation),
        signed_off_for=signed_off_for,
    )


# Sign-off refuses each missing piece, and names it --------------------------------------------------------------


def _unrecord(kind):
    def apply(assessment):
        assessment.checks.filter(kind=kind).update(outcome="", checked_on=None, checked_by=None)

    return apply


def _open_concern(assessment):
    assessment.checks.filter(kind=CheckKind.TRIBUNAL).update(outcome=CheckOutcome.CONCERN, notes="A judgment in 2024")


def _no_attestation(assessment):
    Assessment.objects.filter(pk=assessment.pk).update(attested_on=None, attestation_text="")


def _domain_unconfirmed(assessment):
    DomainConfirmation.objects.filter(assessment=assessment, domain__code="B3").delete()


MISSING = [
    *[(f"{kind.value} not recorded", _unrecord(kind.value), f"{kind.label}: not recorded yet.") for kind in CheckKind],
    (
        "concern without resolution",
        _open_concern,
        "Employment tribunal judgments: a concern was found; record how it was resolved.",
    ),
    ("no self-attestation", _no_attestation, "The member's self-attestation has not been recorded."),
    (
        "a domain not confirmed",
        _domain_unconfirmed,
        "The self-attestation does not confirm every board competency domain: B3.",
    ),
]


@pytest.mark.parametrize(("case", "break_it", "message"), MISSING, ids=[m[0] for m in MISSING])
def test_sign_off_is_refused_while_anything_is_missing(world, boards, case, break_it, message):
    assessment = complete(world, boards["rbb_ned"])
    break_it(assessment)
    with pytest.raises(ValidationError) as refused:
        sign_off_as_team(world, assessment)
    assert refused.value.messages == [message]
    assert not Assessment.objects.get(pk=assessment.pk).signed_off


def test_every_missing_piece_is_listed_at_once(world, boards):
    assessment = assessment_for(boards["rbb_ned"], by=world.users["org_hr"])
    with pytest.raises(ValidationError) as refused:
        sign_off_as_team(world, assessment)
    assert len(refused.value.messages) == len(CheckKind) + 1
    assert refused.value.messages[-1] == "The member's self-attestation has not been recorded."


def test_a_complete_test_is_signed_off_then_frozen(world, boards):
    assessment = complete(world, boards["rbb_ned"])
    signed = sign_off_as_team(world, assessment)
    assert signed.signed_off and signed.signed_off_as == "ned_team" and signed.signed_off_for == "Rita Rbbchair"
    assert AuditLog.objects.filter(object_type="fitproper.Assessment", object_id=str(assessment.pk)).exists()
    with pytest.raises(ValidationError, match="already been signed off"):
        sign_off_as_team(world, signed)
    check = signed.checks.get(kind=CheckKind.IDENTITY)
    with pytest.raises(ValidationError, match="signed off and cannot be changed"):
        check_record(check=check, by=world.users["org_hr"], outcome="concern", checked_on=TODAY, notes="x")


def test_the_team_must_name_the_chair_it_signs_for(world, boards):
    assessment = complete(world, boards["rbb_ned"])
    with pytest.raises(ValidationError) as refused:
        sign_off_as_team(world, assessment, signed_off_for=" ")
    assert "signed_off_for" in refused.value.error_dict


# Who signs off -----------------------------------------------------------------------------------------------------


def test_the_chair_signs_off_their_board_in_person(world, boards):
    assessment = complete(world, boards["ned"])
    chair_access = access(world, boards.chair_user, world.orgs["RAA"])
    assert chair_access.chair and not chair_access.record
    signed = assessment_sign_off(assessment=assessment, by=boards.chair_user, access=chair_access)
    assert signed.signed_off_as == "chair" and signed.signed_off_for == ""


def test_the_team_cannot_sign_for_a_chair_who_has_an_account(world, boards):
    assessment = complete(world, boards["ned"])
    with pytest.raises(PermissionDenied, match="Eve Executive, has a CareLead account"):
        sign_off_as_team(world, assessment, signed_off_for="Eve Executive")


def test_the_chairs_own_test_is_signed_off_by_the_team_not_the_chair(world, boards):
    own = complete(world, boards["chair"])
    with pytest.raises(PermissionDenied, match="cannot sign off your own"):
        assessment_sign_off(
            assessment=own, by=boards.chair_user, access=access(world, boards.chair_user, world.orgs["RAA"])
        )
    assert sign_off_as_team(world, own, signed_off_for="Senior independent director").signed_off


def test_hr_and_the_chair_of_another_board_cannot_sign_off(world, boards):
    assessment = complete(world, boards["rbb_ned"])
    for who in ("org_hr", boards.chair_user):
        with pytest.raises(PermissionDenied):
            assessment_sign_off(
                assessment=assessment, by=world.users["org_hr"], access=access(world, who, world.orgs["RBB"])
            )


# Checks, concerns and the self-attestation ------------------------------------------------------------------------


def test_a_concern_needs_notes_and_then_a_resolution_before_sign_off(world, boards):
    assessment = complete(world, boards["rbb_ned"])
    check = assessment.checks.get(kind=CheckKind.INSOLVENCY)
    hr = world.users["org_hr"]
    with pytest.raises(ValidationError) as refused:
        check_record(check=check, by=hr, outcome="concern", checked_on=TODAY)
    assert refused.value.message_dict == {"notes": ["Describe the concern that was found."]}
    check_record(check=check, by=hr, outcome="concern", checked_on=TODAY, notes="Individual voluntary arrangement")
    with pytest.raises(ValidationError, match="a concern was found"):
        sign_off_as_team(world, assessment)

    resolved = check_record(
        check=check,
        by=world.users["ned_team"],
        outcome="concern",
        checked_on=TODAY,
        notes="Individual voluntary arrangement",
        resolution="Discharged in 2019; the panel judged it no bar to the role.",
    )
    assert resolved.resolved_by == world.users["ned_team"] and resolved.resolved_on == TODAY
    assert resolved.checked_by == hr  # the check itself did not change
    assert sign_off_as_team(world, assessment).signed_off


def test_check_recording_is_validated(world, boards):
    assessment = assessment_for(boards["ned"], by=world.users["org_hr"])
    check = assessment.checks.get(kind=CheckKind.DBS)
    hr = world.users["org_hr"]
    cases = [
        ({"outcome": "maybe", "checked_on": TODAY}, "outcome"),
        ({"outcome": "done", "checked_on": None}, "checked_on"),
        ({"outcome": "done", "checked_on": TODAY + datetime.timedelta(days=1)}, "checked_on"),
        ({"outcome": "done", "checked_on": TODAY, "resolution": "Sorted"}, "resolution"),
    ]
    for values, field in cases:
        with pytest.raises(ValidationError) as refused:
            check_record(check=check, by=hr, **values)
        assert list(refused.value.error_dict) == [field]
    recorded = check_record(check=check, by=hr, outcome="not_applicable", checked_on=TODAY, notes="Role not eligible")
    assert (recorded.outcome, recorded.checked_by, recorded.notes) == ("not_applicable", hr, "Role not eligible")
    entry = AuditLog.objects.filter(object_type="fitproper.Assessment").latest("pk")
    assert entry.changes["check"] == "dbs" and entry.changes["outcome"] == ["", "not_applicable"]


def test_the_attestation_records_the_domains_confirmed(world, boards):
    assessment = assessment_for(boards["ned"], by=world.users["org_hr"])
    domains = list(board_framework_current().domains.order_by("order"))
    with pytest.raises(ValidationError) as refused:
        attestation_record(assessment=assessment, by=world.users["org_hr"], text=" ", attested_on=TODAY, domain_ids=[])
    assert list(refused.value.error_dict) == ["text"]
    recorded = attestation_record(
        assessment=assessment,
        by=world.users["org_hr"],
        text="I declare I am fit and proper.",
        attested_on=TODAY,
        domain_ids=[d.pk for d in domains[:4]],
    )
    assert recorded.attestation_recorded_by == world.users["org_hr"]
    assert recorded.confirmations.count() == 4
    attestation_record(
        assessment=assessment,
        by=world.users["org_hr"],
        text="I declare I am fit and proper.",
        attested_on=TODAY,
        domain_ids=[d.pk for d in domains],
    )
    assert set(recorded.confirmations.values_list("domain__code", flat=True)) == {d.code for d in domains}
    assert len(domains) == 6


def test_starting_the_year_creates_ten_checks_for_members_in_post_once(world, boards):
    created = assessments_start(organisation=world.orgs["RAA"], year=this_year(), by=world.users["org_hr"])
    assert {a.member.name for a in created} == {"Eve Executive", "Nina Nonexec", "Chris Chief"}
    assert all(a.checks.count() == 10 for a in created)
    assert assessments_start(organisation=world.orgs["RAA"], year=this_year(), by=world.users["org_hr"]) == []
    with pytest.raises(ValidationError):
        assessments_start(organisation=world.orgs["RAA"], year="2001-02", by=world.users["org_hr"])


# The annual submission ---------------------------------------------------------------------------------------------


def test_submission_needs_every_member_in_post_signed_off(world, boards):
    rbb, year = world.orgs["RBB"], this_year()
    ned_team = access(world, "ned_team", rbb)
    assessment_for(boards["rbb_chair"], by=world.users["ned_team"], signed_off=True)
    pending = complete(world, boards["rbb_ned"])
    assert submission_problems(organisation=rbb, year=year) == [
        f"Not yet signed off as fit and proper for {year}: Ned Rbb."
    ]
    with pytest.raises(ValidationError, match="Ned Rbb"):
        submission_make(organisation=rbb, year=year, by=world.users["ned_team"], access=ned_team)

    sign_off_as_team(world, pending)
    submission = submission_make(organisation=rbb, year=year, by=world.users["ned_team"], access=ned_team)
    assert submission.member_count == 2 and submission.submitted_by == world.users["ned_team"]
    assert AuditLog.objects.filter(object_type="fitproper.Submission", object_id=str(submission.pk)).exists()
    with pytest.raises(ValidationError, match="already submitted"):
        submission_make(organisation=rbb, year=year, by=world.users["ned_team"], access=ned_team)


def test_a_leaver_is_not_needed_and_hr_submits_only_their_own_organisation(world, boards):
    raa, year = world.orgs["RAA"], this_year()
    for key in ("chair", "ned", "exec"):
        assessment_for(boards[key], by=world.users["ned_team"], signed_off=True)
    with pytest.raises(PermissionDenied):
        submission_make(
            organisation=world.orgs["RBB"],
            year=year,
            by=world.users["org_hr"],
            access=access(world, "org_hr", world.orgs["RBB"]),
        )
    made = submission_make(organisation=raa, year=year, by=world.users["org_hr"], access=access(world, "org_hr", raa))
    assert made.member_count == 3  # Lee Leaver left in 2025
    assert Submission.objects.count() == 1


def test_an_empty_board_cannot_submit(world, boards):
    assert submission_problems(organisation=world.orgs["CP001"], year=this_year()) == [
        "The board has no members in post to submit."
    ]


# The barring list --------------------------------------------------------------------------------------------------

HEADER = "name,date_of_birth,reference,source,added_on\n"


def test_a_bad_barring_file_names_each_row_and_column_and_loads_nothing(world, tmp_path):
    path = tmp_path / "barring.csv"
    path.write_text(
        HEADER
        + "Alex Barred,1970-01-31,HCPC-001,HCPC barring list,2026-01-05\n"
        + ",,HCPC-002,HCPC barring list,2026-01-05\n"
        + "Bo Banned,31/01/1970,HCPC-003,HCPC barring list,2026-01-05\n"
        + "Cy Struck,,HCPC-001,HCPC barring list,\n"
    )
    result = barring_load(path=path, actor=Actor(system="test"))
    assert result.problems == [
        "row 3, column name: this is blank.",
        "row 4, column date_of_birth: “31/01/1970” is not a date like 2026-04-01.",
        "row 5, column added_on: this is blank.",
        "row 5, column reference: “HCPC-001” is also on row 2.",
    ]
    assert not BarredPerson.objects.exists()


def test_a_barring_file_without_a_column_is_refused(world, tmp_path):
    path = tmp_path / "barring.csv"
    path.write_text("name,reference\nAlex Barred,HCPC-001\n")
    result = barring_load(path=path, actor=Actor(system="test"))
    assert result.problems == ["The file has no source, added_on columns."]


def test_the_barring_list_loads_updates_and_matches_names(world, boards, tmp_path):
    path = tmp_path / "barring.csv"
    path.write_text(
        HEADER
        + "Níná  NONEXEC,1970-01-31,HCPC-001,HCPC barring list,2026-01-05\n"
        + "Someone Else,,HCPC-002,HCPC barring list,2026-01-05\n"
    )
    call_command("barring_load", str(path))
    assert BarredPerson.objects.count() == 2
    assert AuditLog.objects.filter(object_type="fitproper.BarredPerson", actor_label="system:barring_load").count() == 2
    matches = barring_matches(name=boards["ned"].name)
    assert [m.reference for m in matches] == ["HCPC-001"]
    assert barring_matches(name=boards["exec"].name) == []
    assert name_key("O’Brien-Smith, Jo") == name_key("obrien smith jo")

    path.write_text(HEADER + "Someone Else,,HCPC-002,HCPC barring list,2026-02-01\n")
    result = barring_load(path=path, actor=Actor(system="test"))
    assert (result.created, result.updated, result.unchanged) == (0, 1, 0)
    assert BarredPerson.objects.get(reference="HCPC-002").added_on == datetime.date(2026, 2, 1)


def test_the_command_reports_problems_and_fails(world, tmp_path):
    path = tmp_path / "barring.csv"
    path.write_text(HEADER + "Alex Barred,,HCPC-001,,2026-01-05\n")
    with pytest.raises(CommandError, match="nothing was loaded"):
        call_command("barring_load", str(path))
    with pytest.raises(CommandError, match="There is no file"):
        call_command("barring_load", str(tmp_path / "missing.csv"))
    assert not BarredPerson.objects.exists()


# Evidence files ----------------------------------------------------------------------------------------------------

PDF = b"%PDF-1.4 a passport check"


@pytest.mark.parametrize(
    ("name", "size", "head", "problem"),
    [
        ("check.pdf", len(PDF), PDF, None),
        ("scan.PNG", 20, b"\x89PNG\r\n\x1a\n", None),
        ("scan.jpeg", 20, b"\xff\xd8\xff\xe0", None),
        ("check.docx", 20, b"PK\x03\x04", "The selected file must be a PDF, PNG or JPEG"),
        ("check.pdf", 0, b"", "The selected file is empty"),
        ("check.pdf", 10 * 1024 * 1024 + 1, PDF, "The selected file must be smaller than 10 MB"),
        ("check.pdf", 20, b"MZ\x90\x00", "The selected file is not a real PDF file"),
    ],
)
def test_evidence_files_are_limited_in_type_and_size(name, size, head, problem):
    assert evidence_problem(name=name, size=size, head=head) == problem


def test_an_evidence_file_is_kept_with_the_check_and_audited(world, boards, storage):
    assessment = assessment_for(boards["ned"], by=world.users["org_hr"])
    check = assessment.checks.get(kind=CheckKind.IDENTITY)
    upload = SimpleUploadedFile("Nina passport.pdf", PDF, content_type="application/pdf")
    check_record(check=check, by=world.users["org_hr"], outcome="done", checked_on=TODAY, evidence=upload)
    kept = EvidenceFile.objects.get(check_record=check)
    assert kept.original_name == "Nina passport.pdf" and kept.content_type == "application/pdf"
    assert "Nina" not in kept.file.name and kept.file.name.startswith("fitproper/evidence/")
    assert (storage / kept.file.name).read_bytes() == PDF
    assert AuditLog.objects.filter(
        object_type="fitproper.EvidenceFile", object_id=str(kept.pk), action="create"
    ).exists()

    fake = SimpleUploadedFile("fake.pdf", b"<html>", content_type="application/pdf")
    with pytest.raises(ValidationError) as refused:
        check_record(check=check, by=world.users["org_hr"], outcome="done", checked_on=TODAY, evidence=fake)
    assert refused.value.message_dict == {"evidence": ["The selected file is not a real PDF file"]}
    assert EvidenceFile.objects.count() == 1


def test_financial_years():
    assert financial_year_for(datetime.date(2026, 4, 1)) == "2026-27"
    assert financial_year_for(datetime.date(2026, 3, 31)) == "2025-26"
    assert financial_year_for(datetime.date(2099, 12, 1)) == "2099-00"
