"""Talent conversations (domain.md section 5, on the Scope for Growth approach): owned by the person, held with
their manager or a coach, recording impact, growth, growth direction, readiness, mobility and an aspirational
development plan. The person sees everything recorded about them and can comment on it."""

from django.conf import settings
from django.db import models

from carelead.core.models import TimeStampedModel


class Level3(models.TextChoices):
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"


class GrowthDirection(models.TextChoices):
    DEPTH = "depth", "Depth: grow expertise in the current role"
    BREADTH = "breadth", "Breadth: broaden experience at the same level"
    STRETCH = "stretch", "Stretch: a bigger role"


class Readiness(models.TextChoices):
    READY_NOW = "ready_now", "Ready now"
    ONE_TWO = "1_2_years", "Ready in 1 to 2 years"
    THREE_PLUS = "3_plus_years", "Ready in 3 years or more"


class TalentConversation(TimeStampedModel):
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="talent_conversations")
    held_with = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="talent_conversations_held"
    )
    coach_name = models.CharField(max_length=200, blank=True, help_text="A coach from outside the line")
    held_on = models.DateField()
    impact = models.CharField(max_length=8, choices=Level3.choices, help_text="Performance in the current role")
    growth = models.CharField(max_length=8, choices=Level3.choices, help_text="Ambition and appetite to grow")
    growth_direction = models.CharField(max_length=8, choices=GrowthDirection.choices)
    readiness = models.CharField(max_length=14, choices=Readiness.choices)
    mobility_regions = models.JSONField(default=list, blank=True, help_text="Codes of regions the person would work in")
    mobility_sectors = models.JSONField(default=list, blank=True, help_text="nhs, social_care")
    aspiration = models.TextField(blank=True)
    development_plan = models.TextField(blank=True)
    person_comments = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-held_on", "-pk"]
        indexes = [models.Index(fields=["person", "-held_on"])]

    def __str__(self) -> str:
        return f"Talent conversation with {self.person} on {self.held_on}"
