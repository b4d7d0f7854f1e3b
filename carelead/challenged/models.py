"""Challenged organisations and the incentives that draw leaders to them (domain.md section 6).

An organisation's oversight segment and CQC rating are kept as a dated history (the organisation record holds the
current values); an incentive package sits on a leadership vacancy there and needs the region's approval.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from carelead.core.choices import CqcRating
from carelead.core.models import AppendOnlyModel, TimeStampedModel


class StatusChange(AppendOnlyModel):
    """An organisation's oversight segment and CQC rating from a date."""

    append_only_noun = "Status history"

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="status_changes"
    )
    effective_on = models.DateField()
    oversight_segment = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    cqc_rating = models.CharField(max_length=24, choices=CqcRating.choices, blank=True)
    challenged = models.BooleanField(help_text="Whether the organisation counted as challenged from this date")
    note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organisation", "-effective_on", "-pk"]
        indexes = [models.Index(fields=["organisation", "-effective_on"])]

    def __str__(self) -> str:
        return f"{self.organisation_id} from {self.effective_on}"


class PackageStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    APPROVED = "approved", "Approved"
    DECLINED = "declined", "Declined"


class IncentivePackage(TimeStampedModel):
    """Support and incentives offered with a leadership role in a challenged organisation."""

    vacancy = models.OneToOneField("vacancies.Vacancy", on_delete=models.CASCADE, related_name="incentive")
    pay_uplift_percent = models.DecimalField(
        max_digits=4, decimal_places=1, default=Decimal("0"), validators=[MinValueValidator(Decimal("0"))]
    )
    pay_uplift_cap = models.PositiveIntegerField(default=0, help_text="Cap on the uplift in pounds a year")
    bonus_percent = models.DecimalField(
        max_digits=4, decimal_places=1, default=Decimal("0"), validators=[MinValueValidator(Decimal("0"))]
    )
    mentor = models.BooleanField(default=False)
    coach = models.BooleanField(default=False)
    improvement_support = models.BooleanField(default=False, help_text="An improvement team alongside")
    relocation = models.PositiveIntegerField(default=0, help_text="Relocation support in pounds")
    return_guarantee = models.BooleanField(default=False, help_text="A guaranteed way back to a former level")
    notes = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=PackageStatus.choices, default=PackageStatus.PROPOSED)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_on = models.DateField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Incentive package for vacancy {self.vacancy_id}"
