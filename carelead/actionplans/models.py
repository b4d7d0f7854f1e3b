"""EDI action plans: SMART actions an organisation takes on its equality measures, and their progress log."""

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from carelead.core.models import AppendOnlyModel, TimeStampedModel


class Action(TimeStampedModel):
    """One specific, measurable, owned and dated action against one equality measure of one organisation."""

    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        IN_PROGRESS = "in_progress", "In progress"
        DONE = "done", "Done"
        DROPPED = "dropped", "Dropped"

    # Statuses in which an action can still fall overdue.
    OPEN = (Status.PLANNED, Status.IN_PROGRESS)

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="edi_actions")
    measure_code = models.CharField(max_length=40, help_text="A code from the equality measures catalogue")
    title = models.CharField(max_length=200)
    description = models.TextField(help_text="Specifically what will be done")
    success_measure = models.TextField(help_text="The measurable target that shows it has worked")
    owner_name = models.CharField(max_length=200)
    owner_role = models.CharField(max_length=200)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    start_on = models.DateField()
    due_on = models.DateField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PLANNED)
    dropped_reason = models.TextField(blank=True)
    completed_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [
            models.Index(fields=["organisation", "measure_code"]),
            models.Index(fields=["organisation", "status", "due_on"]),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(due_on__gt=F("start_on")), name="actionplans_due_after_start"),
            models.CheckConstraint(
                condition=~Q(status="dropped") | ~Q(dropped_reason=""), name="actionplans_dropped_has_reason"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["planned", "in_progress", "done", "dropped"]), name="actionplans_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.measure_code}: {self.title}"

    def clean(self) -> None:
        from carelead.actionplans.catalogue import measure_lookup

        errors = {}
        if measure_lookup(self.measure_code) is None:
            errors["measure_code"] = "Choose a measure from the equality measures catalogue."
        if self.start_on and self.due_on and self.due_on <= self.start_on:
            errors["due_on"] = "The due date must be after the start date."
        if self.status == self.Status.DROPPED and not self.dropped_reason.strip():
            errors["dropped_reason"] = "Give the reason for dropping the action."
        if errors:
            raise ValidationError(errors)

    @property
    def measure(self):
        from carelead.actionplans.catalogue import measure_lookup

        return measure_lookup(self.measure_code)

    def is_overdue_on(self, day: date) -> bool:
        """Past its due date on ``day`` and neither done nor dropped."""
        return self.status in self.OPEN and self.due_on < day

    @property
    def is_overdue(self) -> bool:
        return self.is_overdue_on(timezone.localdate())

    @property
    def done_on_time(self) -> bool:
        return self.status == self.Status.DONE and self.completed_on is not None and self.completed_on <= self.due_on


def overdue_q(*, today: date | None = None, prefix: str = "") -> Q:
    """Actions (reached through ``prefix``) past their due date and neither done nor dropped."""
    today = today or timezone.localdate()
    return Q(**{f"{prefix}due_on__lt": today, f"{prefix}status__in": Action.OPEN})


class ActionUpdate(AppendOnlyModel):
    """One entry in an action's progress log: append-only, so the history of a plan cannot be rewritten."""

    append_only_noun = "Progress updates"

    action = models.ForeignKey(Action, on_delete=models.PROTECT, related_name="updates")
    date = models.DateField(help_text="When the progress happened")
    note = models.TextField(blank=True)
    status_before = models.CharField(max_length=12, choices=Action.Status.choices)
    status = models.CharField(max_length=12, choices=Action.Status.choices, help_text="The status after the update")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-date", "-recorded_at", "-pk"]

    def __str__(self) -> str:
        return f"Update to action {self.action_id} on {self.date:%Y-%m-%d}"

    @property
    def status_changed(self) -> bool:
        return self.status != self.status_before
