"""Leadership vacancies, applications and the decisions on them (domain.md sections 5 and 6).

Every shortlisting and appointment decision made here is also a row of the recruitment data set the equality
standards read (WRES 2, WDES 2): ``equality.RecruitmentDecision`` keyed ``CL-<application pk>``, so decisions
made in the app and imported ones are one data set.
"""

from django.conf import settings
from django.db import models

from carelead.core.choices import Level
from carelead.core.models import AppendOnlyModel, TimeStampedModel


class VacancyStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    OPEN = "open", "Open for applications"
    SHORTLISTING = "shortlisting", "Shortlisting"
    INTERVIEWING = "interviewing", "Interviewing"
    FILLED = "filled", "Filled"
    WITHDRAWN = "withdrawn", "Withdrawn"


class Vacancy(TimeStampedModel):
    reference = models.CharField(max_length=40, unique=True)
    title = models.CharField(max_length=200)
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="vacancies")
    level = models.CharField(max_length=12, choices=Level.choices, db_index=True)
    location = models.CharField(max_length=200, help_text="Town or site where the role is based")
    description = models.TextField(blank=True)
    required_standards = models.JSONField(default=list, blank=True, help_text="Codes of the standards the role needs")
    opens_on = models.DateField(null=True, blank=True)
    closes_on = models.DateField()
    status = models.CharField(max_length=12, choices=VacancyStatus.choices, default=VacancyStatus.DRAFT, db_index=True)
    succession_plan = models.ForeignKey(
        "succession.SuccessionPlan", null=True, blank=True, on_delete=models.SET_NULL, related_name="vacancies"
    )
    appointed = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="appointments"
    )
    filled_on = models.DateField(null=True, blank=True)
    withdrawn_reason = models.TextField(blank=True, help_text="Why the vacancy was withdrawn; applicants see it")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["closes_on", "reference"]
        verbose_name_plural = "vacancies"
        indexes = [models.Index(fields=["organisation", "status"]), models.Index(fields=["status", "closes_on"])]

    def __str__(self) -> str:
        return f"{self.title} ({self.reference})"


class ApplicationSource(models.TextChoices):
    APPLIED = "applied", "Applied"
    INVITED = "invited", "Invited by the talent team"


class ApplicationStatus(models.TextChoices):
    APPLIED = "applied", "Applied"
    SHORTLISTED = "shortlisted", "Shortlisted"
    NOT_SHORTLISTED = "not_shortlisted", "Not shortlisted"
    INTERVIEWED = "interviewed", "Interviewed"
    NOT_APPOINTED = "not_appointed", "Not appointed"
    APPOINTED = "appointed", "Appointed"
    WITHDRAWN = "withdrawn", "Withdrawn"


class Application(TimeStampedModel):
    vacancy = models.ForeignKey(Vacancy, on_delete=models.CASCADE, related_name="applications")
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="applications")
    source = models.CharField(max_length=8, choices=ApplicationSource.choices, default=ApplicationSource.APPLIED)
    status = models.CharField(max_length=16, choices=ApplicationStatus.choices, default=ApplicationStatus.APPLIED)
    applied_on = models.DateField()
    statement = models.TextField(blank=True, help_text="The applicant's supporting statement")

    class Meta:
        ordering = ["vacancy", "applied_on", "pk"]
        indexes = [models.Index(fields=["vacancy", "status"])]
        constraints = [models.UniqueConstraint(fields=["vacancy", "person"], name="vacancy_one_application_each")]

    def __str__(self) -> str:
        return f"Application {self.pk} to {self.vacancy_id}"

    @property
    def recruitment_id(self) -> str:
        """The key of this application in the recruitment data set the equality standards read."""
        return f"CL-{self.pk}"


class ApplicationDecision(AppendOnlyModel):
    """One decision on an application with its reason, kept for ever: shortlisting, interview, appointment."""

    append_only_noun = "Recruitment decisions"

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="decisions")
    status = models.CharField(max_length=16, choices=ApplicationStatus.choices)
    reason = models.TextField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["application", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.status} for application {self.application_id}"
