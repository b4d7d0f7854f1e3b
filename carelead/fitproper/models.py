"""The fit and proper person test of board members (domain.md section 7).

Each financial year every board member has an assessment: ten checks, each recorded as done, not applicable or a
concern (a concern needs a recorded resolution), the member's self-attestation against the board competency
domains, and the chair's sign-off. Once every current member of a board is signed off, the organisation submits
the year to its region. A Board Member Reference is written when someone leaves a board. The barring list of
senior managers is loaded from a file and checked by name.
"""

import re
import unicodedata
from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q

from carelead.core.models import TimeStampedModel


def financial_year_for(day: date) -> str:
    """The financial year (April to March) containing ``day``, written like "2026-27"."""
    start = day.year if day.month >= 4 else day.year - 1
    return f"{start}-{(start + 1) % 100:02d}"


def financial_year_start(year: str) -> int:
    """The calendar year a financial year such as "2026-27" starts in."""
    return int(year[:4])


YEAR_PATTERN = re.compile(r"^(\d{4})-(\d{2})$")


def financial_year_valid(year: str) -> bool:
    """Whether ``year`` is written like "2026-27", the second part following the first."""
    match = YEAR_PATTERN.match(year or "")
    return bool(match) and (int(match.group(1)) + 1) % 100 == int(match.group(2))


def name_key(name: str) -> str:
    """A name folded for matching: accents, case, punctuation and extra spaces removed."""
    plain = unicodedata.normalize("NFKD", name or "").encode("ascii", "ignore").decode()
    words = re.sub(r"[^a-z0-9 ]+", " ", plain.casefold().replace("'", "").replace("’", "")).split()
    return " ".join(words)


class CheckKind(models.TextChoices):
    IDENTITY = "identity", "Identity and right to work"
    DBS = "dbs", "DBS check where eligible"
    DISQUALIFIED_DIRECTORS = "disqualified_directors", "Disqualified directors register"
    INSOLVENCY = "insolvency", "Insolvency and bankruptcy registers"
    TRIBUNAL = "tribunal", "Employment tribunal judgments"
    REGULATOR = "regulator", "Regulator and professional register checks"
    QUALIFICATIONS = "qualifications", "Qualifications"
    REFERENCES = "references", "References covering the last 6 years"
    SOCIAL_MEDIA = "social_media", "Social media and public search"
    BARRING = "barring", "Barring list for senior managers"


class CheckOutcome(models.TextChoices):
    DONE = "done", "Done, nothing found"
    NOT_APPLICABLE = "not_applicable", "Not applicable"
    CONCERN = "concern", "Concern found"


class Assessment(TimeStampedModel):
    """One board member's fit and proper person test for one financial year."""

    class SignedOffAs(models.TextChoices):
        CHAIR = "chair", "The chair"
        NED_TEAM = "ned_team", "The NED appointments team, for the chair"

    member = models.ForeignKey("boards.BoardMember", on_delete=models.PROTECT, related_name="fpp_assessments")
    # Copied from the member when the assessment starts, so scope filters and counts need no join.
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+")
    year = models.CharField(max_length=7, help_text='The financial year, such as "2026-27"')
    attestation_text = models.TextField(blank=True, help_text="The member's declaration, as they made it")
    attested_on = models.DateField(null=True, blank=True)
    attestation_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    signed_off_at = models.DateTimeField(null=True, blank=True)
    signed_off_as = models.CharField(max_length=10, choices=SignedOffAs.choices, blank=True)
    signed_off_for = models.CharField(
        max_length=200, blank=True, help_text="The chair for whom the NED appointments team recorded the sign-off"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["organisation", "year", "member__name"]
        indexes = [models.Index(fields=["organisation", "year"])]
        constraints = [
            models.UniqueConstraint(fields=["member", "year"], name="fitproper_one_assessment_per_member_year"),
            models.CheckConstraint(
                condition=Q(signed_off_at__isnull=True)
                | (Q(signed_off_by__isnull=False) & ~Q(signed_off_as="") & Q(attested_on__isnull=False)),
                name="fitproper_signed_off_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} fit and proper person test of {self.member.name}"

    @property
    def signed_off(self) -> bool:
        return self.signed_off_at is not None


class Check(models.Model):
    """One check of an assessment; blank outcome until it is recorded."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="checks")
    kind = models.CharField(max_length=24, choices=CheckKind.choices)
    outcome = models.CharField(max_length=16, choices=CheckOutcome.choices, blank=True)
    checked_on = models.DateField(null=True, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    notes = models.TextField(blank=True)
    resolution = models.TextField(blank=True, help_text="How a concern was resolved")
    resolved_on = models.DateField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["assessment", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "kind"], name="fitproper_one_check_per_kind"),
            models.CheckConstraint(
                condition=Q(outcome="") | (Q(checked_on__isnull=False) & Q(checked_by__isnull=False)),
                name="fitproper_recorded_check_has_date_and_checker",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for assessment {self.assessment_id}"

    @property
    def concern_open(self) -> bool:
        return self.outcome == CheckOutcome.CONCERN and not self.resolution.strip()


class DomainConfirmation(models.Model):
    """The member confirmed, in their self-attestation, that they meet one board competency domain."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="confirmations")
    domain = models.ForeignKey("standards.Domain", on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assessment", "domain"], name="fitproper_one_confirmation_per_domain")
        ]

    def __str__(self) -> str:
        return f"Domain {self.domain_id} confirmed for assessment {self.assessment_id}"


class EvidenceFile(models.Model):
    """A file kept as evidence of a check: served only as a download, to the NED team and the chair."""

    check_record = models.ForeignKey(Check, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(upload_to="fitproper/evidence/%Y/%m/")
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=60)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField()

    class Meta:
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name


class Submission(models.Model):
    """An organisation's annual submission of its board's fit and proper person tests to its region."""

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+")
    year = models.CharField(max_length=7)
    member_count = models.PositiveSmallIntegerField(help_text="Board members in post and signed off when submitted")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField()

    class Meta:
        ordering = ["organisation", "year"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year"], name="fitproper_one_submission_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.year} fit and proper submission of organisation {self.organisation_id}"


class BoardMemberReference(models.Model):
    """The reference written when a member leaves a board, kept for future appointing organisations."""

    member = models.OneToOneField("boards.BoardMember", on_delete=models.PROTECT, related_name="fpp_reference")
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+")
    role_held = models.CharField(max_length=200)
    served_from = models.DateField()
    served_to = models.DateField()
    responsibilities = models.TextField(blank=True)
    concerns = models.TextField(help_text="Any concerns about the member's conduct, performance or fitness, or 'None'")
    investigations = models.TextField(
        help_text="Any investigations or disciplinary processes, open or finished when they left, or 'None'"
    )
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    written_by_name = models.CharField(max_length=200, help_text="Who the reference is from, such as the chair")
    written_on = models.DateField()

    class Meta:
        ordering = ["organisation", "-served_to"]
        constraints = [
            models.CheckConstraint(
                condition=Q(served_to__gte=models.F("served_from")), name="fitproper_reference_dates_in_order"
            )
        ]

    def __str__(self) -> str:
        return f"Board Member Reference for member {self.member_id}"


class BarredPerson(models.Model):
    """An entry on the barring list of senior managers, loaded from the list's published file."""

    name = models.CharField(max_length=200)
    name_key = models.CharField(max_length=200, db_index=True, editable=False)
    date_of_birth = models.DateField(null=True, blank=True)
    reference = models.CharField(max_length=64, unique=True)
    source = models.CharField(max_length=200)
    added_on = models.DateField()

    class Meta:
        ordering = ["name_key", "reference"]

    def __str__(self) -> str:
        return f"{self.name} ({self.reference})"

    def save(self, *args, **kwargs):
        self.name_key = name_key(self.name)
        super().save(*args, **kwargs)
