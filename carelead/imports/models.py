"""Import jobs started from the web: the uploaded file, its validation report and its progress."""

from django.conf import settings
from django.db import models

from carelead.core.models import TimeStampedModel


class ImportJob(TimeStampedModel):
    """One uploaded file going through validate → confirm → import."""

    class Status(models.TextChoices):
        VALIDATING = "validating", "Checking the file"
        INVALID = "invalid", "Problems found"
        VALID = "valid", "Ready to import"
        QUEUED = "queued", "Waiting to import"
        IMPORTING = "importing", "Importing"
        DONE = "done", "Imported"
        FAILED = "failed", "Failed"
        CANCELLED = "cancelled", "Cancelled"

    kind = models.CharField(max_length=30)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.VALIDATING)
    file = models.FileField(upload_to="imports/%Y/%m/")
    original_name = models.CharField(max_length=255)
    size = models.PositiveBigIntegerField(default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The scope of the assignment the file was uploaded under.",
    )
    progress = models.FloatField(default=0.0)
    rows_done = models.PositiveIntegerField(default=0)
    report = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.kind} import of {self.original_name}"

    @property
    def finished(self) -> bool:
        return self.status in {
            self.Status.INVALID,
            self.Status.VALID,
            self.Status.DONE,
            self.Status.FAILED,
            self.Status.CANCELLED,
        }
