"""The non-executive director candidate pool (domain.md section 7).

People register their interest in a board role through a public form, without an account. The NED appointments
team assesses each candidate, records how ready they are and which of their declared skills it has validated, and
follows them through the development routes: a NExT Director placement on a host board (6 to 12 months), or the
aspiring chair programme. Equality monitoring answers are kept apart from the candidate record, like staff
monitoring, and are only ever counted by group.
"""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q

from carelead.core.choices import Disability, Sex
from carelead.core.models import TimeStampedModel

# The skills and experience a candidate can declare and the team can validate. Codes are stored, so labels may be
# reworded freely; a code taken out of the list stays on existing records and shows as its code.
SKILLS = [
    ("finance", "Finance"),
    ("clinical", "Clinical"),
    ("legal", "Legal"),
    ("digital", "Digital, data and technology"),
    ("audit_risk", "Audit and risk"),
    ("workforce", "Workforce and people"),
    ("estates", "Estates and facilities"),
    ("lived_experience", "Lived experience of the communities served"),
    ("commercial", "Commercial"),
    ("quality_improvement", "Quality improvement"),
]


def skill_choices() -> list[tuple[str, str]]:
    """The skills list in force: ``CARELEAD_NED_SKILLS`` when an installation sets its own, otherwise ``SKILLS``."""
    return list(getattr(settings, "CARELEAD_NED_SKILLS", SKILLS))


def skill_label(code: str) -> str:
    return dict(skill_choices()).get(code, code)


class RoleInterest(models.TextChoices):
    NON_EXECUTIVE = "non_executive", "Non-executive director"
    CHAIR = "chair", "Chair"
    ASSOCIATE = "associate", "Associate non-executive director (non-voting)"


class CandidateStatus(models.TextChoices):
    REGISTERED = "registered", "Registered"
    ASSESSED = "assessed", "Assessed"
    IN_POOL = "in_pool", "In the pool"
    PLACED = "placed", "Placed"
    APPOINTED = "appointed", "Appointed to a board"
    WITHDRAWN = "withdrawn", "Withdrawn"


# Statuses that mean the team has admitted the candidate to the pool.
ADMITTED = (CandidateStatus.IN_POOL, CandidateStatus.PLACED, CandidateStatus.APPOINTED)


class CandidateReadiness(models.TextChoices):
    READY_NED = "ready_ned", "Ready now for a non-executive role"
    READY_CHAIR = "ready_chair", "Ready now for a chair role"
    ONE_TO_TWO_YEARS = "one_to_two_years", "Ready in 1 to 2 years"
    NOT_YET = "not_yet", "Not yet ready"


class Candidate(TimeStampedModel):
    """Someone who registered interest in a board role, and the team's assessment of them."""

    name = models.CharField(max_length=200)
    # Stored in lower case so a repeat registration is recognised whatever the capitals.
    email = models.EmailField(max_length=254, unique=True)
    phone = models.CharField(max_length=30, blank=True)
    regions = models.ManyToManyField(
        "organisations.Organisation",
        related_name="ned_candidates",
        help_text="The regions whose boards the candidate is interested in",
    )
    sector_nhs = models.BooleanField("Interested in NHS boards", default=False)
    sector_social_care = models.BooleanField("Interested in adult social care boards", default=False)
    roles = models.JSONField(default=list, blank=True, help_text="Codes of RoleInterest")
    statement = models.TextField()
    board_experience = models.TextField(blank=True)
    consented_at = models.DateTimeField(help_text="When the candidate agreed to how their details are used and kept")
    repeat_registrations = models.PositiveIntegerField(
        default=0, help_text="Registrations that arrived later with the same email address (nothing was changed)"
    )
    last_repeat_at = models.DateTimeField(null=True, blank=True)

    status = models.CharField(
        max_length=12, choices=CandidateStatus.choices, default=CandidateStatus.REGISTERED, db_index=True
    )
    readiness = models.CharField(max_length=20, choices=CandidateReadiness.choices, blank=True, db_index=True)
    notes = models.TextField(blank=True)
    # The first time the team assessed the candidate, and the first time it admitted them to the pool: the
    # fairness monitor FAIR-NED-POOL counts from these.
    assessed_on = models.DateField(null=True, blank=True)
    admitted_on = models.DateField(null=True, blank=True)
    # Set when the candidate's details were erased on request: the row stays (campaign decisions and pool counts
    # point at it) but holds nothing that identifies them.
    erased_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name", "pk"]
        indexes = [models.Index(fields=["status", "readiness"]), models.Index(fields=["assessed_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=[s.value for s in CandidateStatus]), name="nedpool_candidate_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(sector_nhs=True) | Q(sector_social_care=True), name="nedpool_candidate_has_sector"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def sectors_display(self) -> list[str]:
        return [label for on, label in ((self.sector_nhs, "NHS"), (self.sector_social_care, "Adult social care")) if on]

    @property
    def roles_display(self) -> list[str]:
        labels = dict(RoleInterest.choices)
        return [labels.get(code, code) for code in self.roles]


class CandidateSkill(models.Model):
    """One skill a candidate declared (``validated`` false) or the team validated (``validated`` true)."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="skills")
    skill = models.CharField(max_length=40)
    validated = models.BooleanField(default=False)

    class Meta:
        ordering = ["skill"]
        indexes = [models.Index(fields=["skill", "validated"])]
        constraints = [
            models.UniqueConstraint(fields=["candidate", "skill", "validated"], name="nedpool_one_skill_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.skill} ({'validated' if self.validated else 'declared'})"

    @property
    def label(self) -> str:
        return skill_label(self.skill)


class CandidateMonitoring(models.Model):
    """A candidate's optional equality monitoring answers: special-category data, never shown for one person.

    The codes are those of staff records. ``date_of_birth`` is never asked for; it exists because the fairness
    monitors group by age band as well, so every candidate counts as of unknown age.
    """

    candidate = models.OneToOneField(Candidate, on_delete=models.CASCADE, primary_key=True, related_name="monitoring")
    sex = models.CharField(max_length=1, choices=Sex.choices, default=Sex.UNKNOWN)
    ethnic_category = models.CharField(max_length=2, blank=True)
    disability = models.CharField(max_length=1, choices=Disability.choices, default=Disability.UNKNOWN)
    date_of_birth = models.DateField(null=True, blank=True, editable=False)

    class Meta:
        indexes = [models.Index(fields=["ethnic_category"]), models.Index(fields=["disability"])]

    def __str__(self) -> str:
        return f"Equality monitoring for candidate {self.candidate_id}"


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later, or the month's last day when it has no such day (31 August + 6 = 28 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)


class Placement(TimeStampedModel):
    """A NExT Director placement: a candidate sits with a host board, with a mentor, for 6 to 12 months."""

    MIN_MONTHS = 6
    MAX_MONTHS = 12

    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        ACTIVE = "active", "Under way"
        COMPLETED = "completed", "Completed"
        ENDED_EARLY = "ended_early", "Ended early"

    candidate = models.ForeignKey(Candidate, on_delete=models.PROTECT, related_name="placements")
    host = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="ned_placements")
    starts_on = models.DateField()
    ends_on = models.DateField()
    mentor_name = models.CharField(max_length=200)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PLANNED, db_index=True)

    class Meta:
        ordering = ["-starts_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gt=models.F("starts_on")), name="nedpool_placement_ends_after")
        ]

    def __str__(self) -> str:
        return f"NExT Director placement of {self.candidate} from {self.starts_on}"


class Enrolment(TimeStampedModel):
    """A candidate's place on a cohort of the aspiring chair programme."""

    class Status(models.TextChoices):
        ENROLLED = "enrolled", "Enrolled"
        COMPLETED = "completed", "Completed"
        WITHDRAWN = "withdrawn", "Withdrawn"

    candidate = models.ForeignKey(Candidate, on_delete=models.PROTECT, related_name="enrolments")
    cohort_name = models.CharField(max_length=120)
    starts_on = models.DateField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.ENROLLED, db_index=True)

    class Meta:
        ordering = ["-starts_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["candidate", "cohort_name"], name="nedpool_one_enrolment_per_cohort")
        ]

    def __str__(self) -> str:
        return f"{self.candidate} on the aspiring chair programme, {self.cohort_name}"
