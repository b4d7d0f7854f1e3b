"""Training records: mandatory training, CPD and curriculum modules."""

from django.db import models

from carelead.core.models import TimeStampedModel


class TrainingRecord(TimeStampedModel):
    """A person accessed or completed a course on a date."""

    record_id = models.CharField(max_length=40, unique=True)
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="training_records")
    course_code = models.CharField(max_length=40, db_index=True)
    mandatory = models.BooleanField()
    date = models.DateField()
    completed = models.BooleanField(default=True)
    expires_on = models.DateField(null=True, blank=True)
    provider_code = models.CharField(max_length=20, blank=True)

    class Meta:
        ordering = ["person", "-date"]
        indexes = [models.Index(fields=["person", "date"]), models.Index(fields=["date", "mandatory"])]

    def __str__(self) -> str:
        return f"{self.course_code} for {self.person_id} on {self.date}"


class IssuedCredential(models.Model):
    """A signed Open Badges 3.0 credential for one counted completion, as handed to the person."""

    id = models.UUIDField(primary_key=True)
    record = models.OneToOneField(TrainingRecord, on_delete=models.PROTECT, related_name="credential")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="credentials")
    issued_at = models.DateTimeField()
    document = models.JSONField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-issued_at"]

    def __str__(self) -> str:
        return f"Credential {self.id} for {self.record_id}"
