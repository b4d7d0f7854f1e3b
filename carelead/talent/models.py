"""Talent conversations (domain.md section 5, on the Scope for Growth approach): owned by the person, held with
their manager or a coach, recording impact, growth, growth direction, readiness, mobility and an aspirational
development plan. The person sees everything recorded about them and can comment on it."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from carelead.core.choices import Level
from carelead.core.models import AppendOnlyModel, TimeStampedModel


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


class NineBoxCalibration(AppendOnlyModel):
    """A calibrated 9-box placement, kept beside the placement the records gave (never overwriting it)."""

    append_only_noun = "9-box calibrations"

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="ninebox_calibrations")
    original_performance = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(3)])
    original_potential = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(3)])
    performance = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(3)])
    potential = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(3)])
    reason = models.TextField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["person", "-at"])]

    def __str__(self) -> str:
        return f"9-box calibration for {self.person_id}: {self.performance}x{self.potential}"


class TalentPool(TimeStampedModel):
    """A region's pool of people ready, or getting ready, for roles at one level."""

    region = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="talent_pools")
    level = models.CharField(max_length=12, choices=Level.choices, help_text="The level the pool prepares people for")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    membership_months = models.PositiveSmallIntegerField(
        default=24, validators=[MinValueValidator(1), MaxValueValidator(60)], help_text="How long a membership lasts"
    )

    class Meta:
        ordering = ["region__name", "level"]
        constraints = [models.UniqueConstraint(fields=["region", "level"], name="talent_pool_one_per_region_level")]

    def __str__(self) -> str:
        return self.name


class MembershipStatus(models.TextChoices):
    NOMINATED = "nominated", "Nominated"
    APPROVED = "approved", "Approved"
    DECLINED = "declined", "Declined"
    WITHDRAWN = "withdrawn", "Withdrawn"


LIVE_MEMBERSHIP = (MembershipStatus.NOMINATED, MembershipStatus.APPROVED)


class PoolMembership(TimeStampedModel):
    """A nomination to a pool and, once the regional team decides, a membership that runs until it expires."""

    pool = models.ForeignKey(TalentPool, on_delete=models.CASCADE, related_name="memberships")
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="pool_memberships")
    status = models.CharField(max_length=10, choices=MembershipStatus.choices, default=MembershipStatus.NOMINATED)
    nominated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    nominated_on = models.DateField()
    nomination_reason = models.TextField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_on = models.DateField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)
    expires_on = models.DateField(null=True, blank=True, db_index=True)
    renewals = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-nominated_on", "-pk"]
        indexes = [models.Index(fields=["pool", "status", "expires_on"])]
        constraints = [
            models.UniqueConstraint(
                fields=["pool", "person"],
                condition=models.Q(status__in=["nominated", "approved"]),
                name="talent_pool_one_live_membership",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person_id} in {self.pool_id} ({self.status})"

    def active_on(self, day) -> bool:
        return self.status == MembershipStatus.APPROVED and self.expires_on is not None and self.expires_on >= day
