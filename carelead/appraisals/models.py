"""One national appraisal (domain.md section 4): a template, organisations' annual cycles, and each appraisal.

An appraisal moves draft → self_assessment → manager_review → meeting_held → signed_off, and afterwards only
calibration changes it, keeping the agreed rating beside the calibrated one. The manager's confidential notes
live on the appraisal but are read only through selectors that check the reader.
"""

from django.conf import settings
from django.db import models

from carelead.core.choices import AppraisalRating
from carelead.core.models import AppendOnlyModel, TimeStampedModel


class Template(TimeStampedModel):
    """The national appraisal template, published by national admins against a version of the Code."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"
        RETIRED = "retired", "Retired"

    version = models.PositiveIntegerField(unique=True)
    title = models.CharField(max_length=200)
    framework = models.ForeignKey(
        "standards.Framework",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The version of the Management and Leadership Code whose principles behaviours are rated against",
    )
    guidance = models.TextField(blank=True, help_text="What appraisers and appraisees are asked to do")
    min_objectives = models.PositiveSmallIntegerField(default=1)
    max_objectives = models.PositiveSmallIntegerField(default=6)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-version"]

    def __str__(self) -> str:
        return f"{self.title} (version {self.version})"


class Cycle(TimeStampedModel):
    """An organisation's annual appraisal cycle on the published template."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+")
    template = models.ForeignKey(
        Template, null=True, blank=True, on_delete=models.PROTECT, related_name="cycles", help_text="None for history"
    )
    imported = models.BooleanField(default=False, help_text="History loaded from another system, not run here")
    year = models.CharField(max_length=7, help_text="The financial year appraised, such as 2026-27")
    opens_on = models.DateField()
    self_assessment_due = models.DateField()
    review_due = models.DateField()
    sign_off_due = models.DateField()
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-opens_on"]
        constraints = [models.UniqueConstraint(fields=["organisation", "year"], name="one_cycle_per_year")]

    def __str__(self) -> str:
        return f"{self.year} appraisal cycle"


class Appraisal(TimeStampedModel):
    class State(models.TextChoices):
        DRAFT = "draft", "Objectives being agreed"
        SELF_ASSESSMENT = "self_assessment", "Self-assessment"
        MANAGER_REVIEW = "manager_review", "Manager's review"
        MEETING_HELD = "meeting_held", "Meeting held"
        SIGNED_OFF = "signed_off", "Signed off"
        CALIBRATED = "calibrated", "Calibrated"
        CLOSED = "closed", "Closed"

    FINISHED = (State.SIGNED_OFF, State.CALIBRATED, State.CLOSED)

    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="appraisals")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="appraisals")
    appraiser = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="appraisals_given"
    )
    state = models.CharField(max_length=16, choices=State.choices, default=State.DRAFT)
    # The conversation.
    wellbeing = models.TextField(blank=True, help_text="What was discussed about health and wellbeing")
    development_plan = models.TextField(blank=True)
    development_modules = models.JSONField(default=list, blank=True, help_text="Curriculum module codes")
    aspiration = models.TextField(blank=True, help_text="Career aspiration, in the appraisee's words")
    readiness = models.CharField(
        max_length=12,
        blank=True,
        choices=[("now", "Ready now"), ("1_2_years", "Ready in 1 to 2 years"), ("3_plus", "Ready in 3 years or more")],
    )
    mobility = models.TextField(blank=True, help_text="Regions and sectors the appraisee would move to")
    appraisee_comments = models.TextField(blank=True)
    appraiser_comments = models.TextField(blank=True)
    confidential_notes = models.TextField(blank=True, help_text="The appraiser's private notes: appraiser and HR only")
    # The outcome.
    overall_rating = models.CharField(max_length=20, blank=True, choices=AppraisalRating.choices)
    meeting_on = models.DateField(null=True, blank=True)
    appraisee_signed_at = models.DateTimeField(null=True, blank=True)
    appraiser_signed_at = models.DateTimeField(null=True, blank=True)
    signed_off_on = models.DateField(null=True, blank=True)
    calibrated_rating = models.CharField(max_length=20, blank=True, choices=AppraisalRating.choices)
    closed_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["person__last_name", "person__first_name"]
        constraints = [models.UniqueConstraint(fields=["cycle", "person"], name="one_appraisal_per_cycle")]
        indexes = [models.Index(fields=["state"]), models.Index(fields=["signed_off_on"])]

    def __str__(self) -> str:
        return f"Appraisal of {self.person} ({self.cycle.year})"

    @property
    def final_rating(self) -> str:
        """The rating that counts: the calibrated one when calibration changed it, otherwise the agreed one."""
        return self.calibrated_rating or self.overall_rating

    @property
    def finished(self) -> bool:
        return self.state in self.FINISHED

    # What 360 feedback asked for this appraisal reads (carelead.feedback): about whom, approved by whom.
    @property
    def feedback_person(self):
        return self.person

    @property
    def feedback_manager(self):
        return self.appraiser

    @property
    def feedback_organisation(self):
        return self.person.organisation

    @property
    def feedback_title(self) -> str:
        return f"Appraisal {self.cycle.year}"


class Objective(TimeStampedModel):
    appraisal = models.ForeignKey(Appraisal, on_delete=models.CASCADE, related_name="objectives")
    title = models.CharField(max_length=200)
    measure = models.TextField(help_text="How achievement will be measured")
    agreed = models.BooleanField(default=False)
    self_comment = models.TextField(blank=True)
    rating = models.CharField(max_length=20, blank=True, choices=AppraisalRating.choices)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.title


class BehaviourRating(models.Model):
    """How the appraisee behaved against one principle of the Code: their view, the appraiser's, the evidence."""

    appraisal = models.ForeignKey(Appraisal, on_delete=models.CASCADE, related_name="behaviours")
    principle = models.ForeignKey("standards.Principle", on_delete=models.PROTECT, related_name="+")
    self_rating = models.CharField(max_length=20, blank=True, choices=AppraisalRating.choices)
    self_evidence = models.TextField(blank=True)
    rating = models.CharField(max_length=20, blank=True, choices=AppraisalRating.choices)
    evidence = models.TextField(blank=True)

    class Meta:
        ordering = ["principle__order"]
        constraints = [models.UniqueConstraint(fields=["appraisal", "principle"], name="one_rating_per_principle")]

    def __str__(self) -> str:
        return f"{self.principle} for {self.appraisal_id}"


class AppraiserChange(AppendOnlyModel):
    """HR moved an appraisal to another appraiser, with the reason (the manager changed or is conflicted)."""

    append_only_noun = "Appraiser changes"

    appraisal = models.ForeignKey(Appraisal, on_delete=models.PROTECT, related_name="appraiser_changes")
    previous = models.ForeignKey("people.Person", null=True, on_delete=models.PROTECT, related_name="+")
    new = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    reason = models.TextField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Appraiser change on {self.appraisal_id}"


class Dissent(AppendOnlyModel):
    """The appraisee disagrees; it stays with the record, even after sign-off."""

    append_only_noun = "Dissents"

    appraisal = models.ForeignKey(Appraisal, on_delete=models.PROTECT, related_name="dissents")
    text = models.TextField()
    at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Dissent on {self.appraisal_id}"


class CalibrationSession(TimeStampedModel):
    """HR's calibration of a group's ratings (a department, a level), held on a date."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="calibrations")
    title = models.CharField(max_length=200)
    level = models.CharField(max_length=12, blank=True, help_text="Only appraisals of this level")
    department_path = models.CharField(
        max_length=255, blank=True, help_text="Only appraisals of staff in this part of the organisation tree"
    )
    held_on = models.DateField()
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-held_on"]

    def __str__(self) -> str:
        return self.title


class CalibrationAdjustment(AppendOnlyModel):
    """One rating changed in calibration: from, to, why, by whom. The agreed rating itself never changes."""

    append_only_noun = "Calibration adjustments"

    session = models.ForeignKey(CalibrationSession, on_delete=models.PROTECT, related_name="adjustments")
    appraisal = models.ForeignKey(Appraisal, on_delete=models.PROTECT, related_name="calibrations")
    from_rating = models.CharField(max_length=20, choices=AppraisalRating.choices)
    to_rating = models.CharField(max_length=20, choices=AppraisalRating.choices)
    reason = models.TextField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at"]

    def __str__(self) -> str:
        return f"{self.from_rating} → {self.to_rating}"
