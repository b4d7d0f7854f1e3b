"""Records the equality standards are computed from: recruitment, formal processes and staff survey results."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from carelead.core.choices import CapabilityReason, Disability, Level, Sex, SurveyGroup
from carelead.core.models import TimeStampedModel


class RecruitmentDecision(TimeStampedModel):
    """A shortlisting decision on one application; applicants' monitoring data travel with the application."""

    application_id = models.CharField(max_length=40, unique=True)
    vacancy_id = models.CharField(max_length=40, db_index=True)
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+")
    date = models.DateField(db_index=True)
    shortlisted = models.BooleanField()
    appointed = models.BooleanField()
    ethnic_category = models.CharField(max_length=2, blank=True)
    disability = models.CharField(max_length=1, choices=Disability.choices, default=Disability.UNKNOWN)
    sex = models.CharField(max_length=1, choices=Sex.choices, blank=True)
    level = models.CharField(max_length=12, choices=Level.choices, blank=True)

    class Meta:
        ordering = ["organisation", "-date"]
        indexes = [models.Index(fields=["organisation", "date"])]

    def __str__(self) -> str:
        return f"Application {self.application_id}"


class DisciplinaryCase(TimeStampedModel):
    """A member of staff entered the formal disciplinary process on a date."""

    case_id = models.CharField(max_length=40, unique=True)
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="disciplinary_cases")
    date = models.DateField(db_index=True)

    class Meta:
        ordering = ["-date"]

    def __str__(self) -> str:
        return f"Disciplinary case {self.case_id}"


class CapabilityCase(TimeStampedModel):
    """A member of staff entered the formal capability process on a date, for performance or ill health."""

    case_id = models.CharField(max_length=40, unique=True)
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="capability_cases")
    date = models.DateField(db_index=True)
    reason = models.CharField(max_length=12, choices=CapabilityReason.choices)

    class Meta:
        ordering = ["-date"]

    def __str__(self) -> str:
        return f"Capability case {self.case_id}"


class SurveyResult(TimeStampedModel):
    """A staff survey percentage for one organisation, period, measure and group."""

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+")
    period = models.CharField(max_length=7)
    measure = models.CharField(max_length=16)
    group = models.CharField(max_length=12, choices=SurveyGroup.choices)
    percent = models.DecimalField(
        max_digits=6, decimal_places=2, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    respondents = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["organisation", "period", "measure", "group"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "period", "measure", "group"], name="unique_survey_result")
        ]

    def __str__(self) -> str:
        return f"{self.measure} {self.group} {self.period}"


class TrendRun(models.Model):
    """One computation of every quarterly trend series; the newest finished run is the one pages read."""

    class Status(models.TextChoices):
        RUNNING = "running", "Running"
        FINISHED = "finished", "Finished"
        FAILED = "failed", "Failed"

    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RUNNING)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    data_version = models.PositiveIntegerField(default=0)
    quarter_ends = models.JSONField(default=list, help_text="ISO dates of the quarters the run covers")
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"Trend run {self.pk} ({self.status})"


class TrendPoint(models.Model):
    """The exact four counts behind one quarter of one series for one scope.

    Values are worked out when read, so the same stored counts give exact figures to roles with record-level
    rights and disclosure-controlled figures to everyone else.
    """

    run = models.ForeignKey(TrendRun, on_delete=models.CASCADE, related_name="points")
    series = models.CharField(max_length=40)
    scope = models.CharField(max_length=24)
    quarter_end = models.DateField()
    a = models.PositiveIntegerField()
    n1 = models.PositiveIntegerField()
    c = models.PositiveIntegerField()
    n2 = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["run", "scope", "series", "quarter_end"])]

    def __str__(self) -> str:
        return f"{self.series} {self.scope} {self.quarter_end}"
