"""People and their employment; special-category data lives apart in its own table."""

from django.db import models

from carelead.core.choices import Disability, Level, PayBand, Sex
from carelead.core.models import TimeStampedModel


class Person(TimeStampedModel):
    """A member of staff (NHS or social care) and their current employment."""

    staff_id = models.CharField(max_length=32, unique=True)
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="staff")
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    email = models.EmailField(blank=True)
    job_title = models.CharField(max_length=200, blank=True)
    staff_group = models.CharField(max_length=100, blank=True)
    pay_band = models.CharField(max_length=8, choices=PayBand.choices)
    level = models.CharField(max_length=12, choices=Level.choices)
    line_manager = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="direct_reports"
    )
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True, help_text="Last day worked")
    bank = models.BooleanField(default=False)

    class Meta:
        ordering = ["last_name", "first_name", "staff_id"]
        verbose_name_plural = "people"
        indexes = [
            models.Index(fields=["organisation", "last_name"]),
            models.Index(fields=["last_name", "first_name"]),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.staff_id})"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def in_post(self) -> bool:
        from django.utils import timezone

        return self.end_date is None or self.end_date >= timezone.localdate()


class EmploymentChange(models.Model):
    """One dated change of organisation, band, level or job title (a promotion is one of these)."""

    class Kind(models.TextChoices):
        STARTED = "started", "Started"
        CHANGED = "changed", "Changed"
        LEFT = "left", "Left"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="history")
    effective_on = models.DateField()
    kind = models.CharField(max_length=10, choices=Kind.choices)
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+")
    pay_band = models.CharField(max_length=8, choices=PayBand.choices)
    level = models.CharField(max_length=12, choices=Level.choices)
    job_title = models.CharField(max_length=200, blank=True)
    previous = models.JSONField(default=dict, blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)
    source = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["person", "effective_on", "id"]
        indexes = [models.Index(fields=["person", "effective_on"])]

    def __str__(self) -> str:
        return f"{self.person_id} {self.kind} on {self.effective_on}"


class EqualityMonitoring(models.Model):
    """Special-category data, reached only through audited selectors (people/selectors.py)."""

    person = models.OneToOneField(Person, on_delete=models.CASCADE, primary_key=True, related_name="monitoring")
    sex = models.CharField(max_length=1, choices=Sex.choices, default=Sex.UNKNOWN)
    ethnic_category = models.CharField(max_length=2, blank=True)
    disability = models.CharField(max_length=1, choices=Disability.choices, default=Disability.UNKNOWN)
    sexual_orientation = models.CharField(max_length=60, blank=True)
    religion = models.CharField(max_length=60, blank=True)
    date_of_birth = models.DateField(null=True, blank=True, help_text="Used only for age-band fairness monitoring")
    updated_at = models.DateTimeField(auto_now=True)
    updated_by_self = models.BooleanField(default=False)

    class Meta:
        indexes = [models.Index(fields=["ethnic_category"]), models.Index(fields=["disability"])]

    def __str__(self) -> str:
        return f"Equality monitoring for person {self.person_id}"
