"""Board members, assessments and references for the fit and proper person test tests."""

import datetime

from django.core.files.base import ContentFile
from django.utils import timezone

from carelead.boardappraisals.services import board_framework_current
from carelead.boardappraisals.tests.factories import BoardMemberFactory
from carelead.core.choices import BoardRole
from carelead.fitproper.models import (
    Assessment,
    BoardMemberReference,
    Check,
    CheckKind,
    CheckOutcome,
    DomainConfirmation,
    EvidenceFile,
    financial_year_for,
)

__all__ = ["BoardMemberFactory", "assessment_for", "evidence_for", "reference_for", "this_year"]


def this_year() -> str:
    return financial_year_for(timezone.localdate())


def assessment_for(
    member, *, by, year: str | None = None, checks: bool = False, attested: bool = False, signed_off: bool = False
) -> Assessment:
    """An assessment with its ten checks; ``checks`` records them all as done, ``attested`` adds a full
    self-attestation, and ``signed_off`` does both and signs it off (by the NED appointments team)."""
    year = year or this_year()
    today = timezone.localdate()
    if signed_off:
        checks = attested = True
    assessment = Assessment.objects.create(member=member, organisation=member.organisation, year=year, created_by=by)
    Check.objects.bulk_create(
        [
            Check(
                assessment=assessment,
                kind=kind,
                outcome=CheckOutcome.DONE if checks else "",
                checked_on=today if checks else None,
                checked_by=by if checks else None,
            )
            for kind in CheckKind.values
        ]
    )
    if attested:
        assessment.attestation_text = "I am a fit and proper person to hold this role."
        assessment.attested_on = today
        assessment.attestation_recorded_by = by
        assessment.save()
        DomainConfirmation.objects.bulk_create(
            [DomainConfirmation(assessment=assessment, domain=d) for d in board_framework_current().domains.all()]
        )
    if signed_off:
        assessment.signed_off_by, assessment.signed_off_at = by, timezone.now()
        assessment.signed_off_as = Assessment.SignedOffAs.NED_TEAM
        assessment.signed_off_for = "Carol Chair"
        assessment.save()
    return assessment


def evidence_for(assessment: Assessment, *, by, kind: str = CheckKind.IDENTITY) -> EvidenceFile:
    """A small PDF kept as evidence of one of the assessment's checks."""
    check = assessment.checks.get(kind=kind)
    evidence = EvidenceFile(
        check_record=check,
        original_name="passport-check.pdf",
        content_type="application/pdf",
        size=16,
        uploaded_by=by,
        uploaded_at=timezone.now(),
    )
    evidence.file.save("evidence.pdf", ContentFile(b"%PDF-1.4 evidence"), save=False)
    evidence.save()
    return evidence


def leaver(organisation, *, name: str = "Lee Leaver"):
    return BoardMemberFactory(
        organisation=organisation,
        name=name,
        role=BoardRole.NON_EXECUTIVE,
        start_date=datetime.date(2020, 4, 1),
        end_date=datetime.date(2025, 3, 31),
    )


def reference_for(member, *, by) -> BoardMemberReference:
    return BoardMemberReference.objects.create(
        member=member,
        organisation=member.organisation,
        role_held="Non-executive director",
        served_from=member.start_date,
        served_to=member.end_date,
        concerns="None",
        investigations="None",
        written_by=by,
        written_by_name="Carol Chair, Chair",
        written_on=member.end_date,
    )
