"""Succession plans for critical roles (domain.md section 5): ranked candidates, internal or from the regional
talent pool, with readiness and an emergency-successor flag. A plan with no ready-now successor, or with a
single candidate, is a risk."""

from django.conf import settings
from django.db import models

from carelead.core.choices import Level
from carelead.core.models import TimeStampedModel
from carelead.talent.models import Readiness


class SuccessionPlan(TimeStampedModel):
    """The plan for one critical role in one organisation."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="succession_plans"
    )
    role_title = models.CharField(max_length=200)
    level = models.CharField(max_length=12, choices=Level.choices)
    incumbent = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="succession_plans_held"
    )
    critical = models.BooleanField(default=True)
    notes = models.TextField(blank=True)
    review_due = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["organisation__name", "role_title"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "role_title"], name="succession_one_plan_per_role")
        ]

    def __str__(self) -> str:
        return f"{self.role_title}, {self.organisation.name}"


class CandidateSource(models.TextChoices):
    INTERNAL = "internal", "Internal"
    POOL = "pool", "Regional talent pool"


class SuccessionCandidate(TimeStampedModel):
    plan = models.ForeignKey(SuccessionPlan, on_delete=models.CASCADE, related_name="candidates")
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="succession_candidacies")
    source = models.CharField(max_length=10, choices=CandidateSource.choices)
    readiness = models.CharField(max_length=14, choices=Readiness.choices)
    rank = models.PositiveSmallIntegerField()
    emergency = models.BooleanField(default=False, help_text="Could step in at once if the role fell vacant")
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["plan", "rank", "pk"]
        constraints = [models.UniqueConstraint(fields=["plan", "person"], name="succession_candidate_once")]

    def __str__(self) -> str:
        return f"{self.person_id} for plan {self.plan_id} (rank {self.rank})"
