"""Standards frameworks (versioned), the accredited curriculum, and the progression gate's records."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from carelead.core.choices import Level
from carelead.core.models import TimeStampedModel


class Framework(TimeStampedModel):
    """One version of a standards framework. A published version never changes; edits make a new draft."""

    class Kind(models.TextChoices):
        MANAGEMENT = "management", "Leadership and management standards"
        BOARD = "board", "Board leadership competencies"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"
        RETIRED = "retired", "Retired"

    code = models.CharField(max_length=20)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    version = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["code", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="unique_framework_version"),
            models.UniqueConstraint(fields=["code"], condition=Q(status="published"), name="one_published_version"),
        ]

    def __str__(self) -> str:
        return f"{self.title} v{self.version} ({self.get_status_display().lower()})"

    @property
    def editable(self) -> bool:
        return self.status == self.Status.DRAFT


class Principle(models.Model):
    """One of the Code's values that appraisals rate behaviours against."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="principles")
    code = models.CharField(max_length=30)
    title = models.CharField(max_length=100)
    description = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["framework", "order"]
        constraints = [models.UniqueConstraint(fields=["framework", "code"], name="unique_principle")]

    def __str__(self) -> str:
        return self.title


class Domain(models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="domains")
    code = models.CharField(max_length=20)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["framework", "order"]
        constraints = [models.UniqueConstraint(fields=["framework", "code"], name="unique_domain")]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class Standard(models.Model):
    domain = models.ForeignKey(Domain, on_delete=models.CASCADE, related_name="standards")
    code = models.CharField(max_length=20)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["domain", "order"]
        constraints = [models.UniqueConstraint(fields=["domain", "code"], name="unique_standard")]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class Indicator(models.Model):
    """An observable behaviour that shows a standard is met at one level."""

    standard = models.ForeignKey(Standard, on_delete=models.CASCADE, related_name="indicators")
    level = models.CharField(max_length=12, choices=Level.choices)
    text = models.TextField()
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["standard", "level", "order"]

    def __str__(self) -> str:
        return self.text[:60]


class Module(TimeStampedModel):
    """A course in the accredited curriculum, identified by the course code training records use."""

    code = models.CharField(max_length=40, unique=True)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    hours = models.DecimalField(max_digits=5, decimal_places=1, default=0)
    standard_codes = models.JSONField(
        default=list, blank=True, help_text="Codes of the management standards the module develops."
    )

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class Requirement(TimeStampedModel):
    """What a level needs: met by completing any one of its modules, or by approved prior learning."""

    code = models.CharField(max_length=40, unique=True)
    title = models.CharField(max_length=200)
    level = models.CharField(max_length=12, choices=Level.choices, db_index=True)
    gating = models.BooleanField(default=True, help_text="Must be met before appointment to a higher level.")
    modules = models.ManyToManyField(Module, related_name="requirements")
    order = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class Provider(TimeStampedModel):
    """An organisation that delivers curriculum modules."""

    code = models.CharField(max_length=20, unique=True)
    name = models.CharField(max_length=200)
    organisation = models.ForeignKey(
        "organisations.Organisation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class Accreditation(TimeStampedModel):
    """A provider's accreditation to deliver one module, for a period."""

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        EXPIRED = "expired", "Expired"
        SUSPENDED = "suspended", "Suspended"
        WITHDRAWN = "withdrawn", "Withdrawn"

    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="accreditations")
    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="accreditations")
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    reference = models.CharField(max_length=60, blank=True, help_text="The accrediting body's reference")

    class Meta:
        ordering = ["module", "provider", "valid_from"]

    def __str__(self) -> str:
        return f"{self.provider.code} for {self.module.code} from {self.valid_from}"

    def covers(self, day) -> bool:
        """Whether a completion dated ``day`` counts under this accreditation."""
        if self.status in (self.Status.SUSPENDED, self.Status.WITHDRAWN):
            return False
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


class PriorLearning(TimeStampedModel):
    """Recognition of prior learning: evidence that meets a requirement without a module."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for review"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="prior_learning")
    requirement = models.ForeignKey(Requirement, on_delete=models.PROTECT, related_name="+")
    evidence = models.TextField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_on = models.DateField(null=True, blank=True)
    review_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Prior learning for {self.requirement.code} ({self.get_status_display()})"


class GateException(TimeStampedModel):
    """The recorded, approved and time-limited way past a failed progression gate."""

    class Status(models.TextChoices):
        REQUESTED = "requested", "Requested"
        APPROVED = "approved", "Approved"
        REFUSED = "refused", "Refused"

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="gate_exceptions")
    level = models.CharField(max_length=12, choices=Level.choices)
    reason = models.TextField()
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.REQUESTED)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    expires_on = models.DateField()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Exception to {self.level} for person {self.person_id} ({self.get_status_display()})"


class Cohort(TimeStampedModel):
    """A cohort of the national mid-career programme: dates, places and who may apply."""

    code = models.CharField(max_length=30, unique=True)
    title = models.CharField(max_length=200)
    module = models.ForeignKey(
        Module,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cohorts",
        help_text="The curriculum module a completion of the cohort records.",
    )
    provider = models.ForeignKey(Provider, null=True, blank=True, on_delete=models.PROTECT, related_name="cohorts")
    region = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Leave empty for a national cohort.",
    )
    applications_close_on = models.DateField()
    starts_on = models.DateField()
    ends_on = models.DateField()
    places = models.PositiveIntegerField()
    eligible_levels = models.JSONField(default=list)
    min_months_in_role = models.PositiveSmallIntegerField(default=12)

    class Meta:
        ordering = ["-starts_on", "code"]

    def __str__(self) -> str:
        return f"{self.title} ({self.code})"


class CohortApplication(TimeStampedModel):
    """A person's application to a cohort, from their statement to completion."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", "Waiting for line manager support"
        SUPPORTED = "supported", "Supported by line manager"
        NOT_SUPPORTED = "not_supported", "Not supported by line manager"
        SELECTED = "selected", "Selected"
        WAITLISTED = "waitlisted", "On the waiting list"
        NOT_SELECTED = "not_selected", "Not selected"
        COMPLETED = "completed", "Completed"
        WITHDRAWN = "withdrawn", "Withdrawn"

    cohort = models.ForeignKey(Cohort, on_delete=models.PROTECT, related_name="applications")
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="cohort_applications")
    statement = models.TextField()
    status = models.CharField(max_length=14, choices=Status.choices, default=Status.SUBMITTED)
    manager_note = models.TextField(blank=True)
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decision_reason = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    sessions_attended = models.PositiveSmallIntegerField(default=0)
    completed_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["cohort", "created_at"]
        constraints = [models.UniqueConstraint(fields=["cohort", "person"], name="one_application_per_cohort")]

    def __str__(self) -> str:
        return f"{self.person_id} for {self.cohort.code} ({self.get_status_display()})"


class Reminder(models.Model):
    """A reminder sent to a person, kept so that each is sent once."""

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=40)
    due_on = models.DateField()
    sent_at = models.DateTimeField()

    class Meta:
        ordering = ["-sent_at"]
        constraints = [models.UniqueConstraint(fields=["person", "kind", "due_on"], name="one_reminder_each")]

    def __str__(self) -> str:
        return f"{self.kind} reminder to {self.person_id} for {self.due_on}"


class Offering(TimeStampedModel):
    """How a provider runs one of its accredited modules: the details learners see when choosing."""

    class Mode(models.TextChoices):
        ONLINE = "online", "Online, self-paced"
        VIRTUAL = "virtual", "Live online sessions"
        IN_PERSON = "in_person", "In person"
        BLENDED = "blended", "Blended"

    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="offerings")
    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="offerings")
    mode = models.CharField(max_length=10, choices=Mode.choices)
    description = models.TextField(blank=True)
    booking_url = models.URLField(blank=True)
    next_start = models.DateField(null=True, blank=True)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["module", "provider"]
        constraints = [models.UniqueConstraint(fields=["provider", "module"], name="one_offering_per_module")]

    def __str__(self) -> str:
        return f"{self.provider.code} {self.module.code}"
