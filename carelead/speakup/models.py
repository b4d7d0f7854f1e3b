"""Speak-up cases (domain.md section 10): concerns raised with an organisation's Freedom to Speak Up guardians.

A concern is named, confidential (the reporter's name is known to the guardians only) or anonymous (no identity
kept). Whatever the choice, the reporter follows the case with a receipt code and a secret, never an account.

Nothing a reporter does is tied to a user, an address, a device or a time of day. The case and the reporter's
messages carry dates only, and no row holds a user for a reporter's action, so an anonymous concern cannot be
matched to a sign-in, a request log or a building's door records by its timing. The guardians' own actions keep
who and when (notes, escalations, identity looks), and are audited.

The figures of the National Guardian's Office quarterly return come straight from the case: the quarter it was
received (``received_on``), anonymous or not, each category, the professional group, detriment and feedback given.
Those columns are all a case keeps once its content is deleted under the retention policy (``purged_on``).

Files attached to a concern or a message live in the default storage under a private prefix, with a random stored
name; the row keeps the name shown for download, the type found by reading the file and its size, nothing more.
"""

import secrets

from django.conf import settings
from django.db import models

from carelead.speakup import attachments

# Where attachments are stored: a prefix that no URL serves, and a random name that says nothing about the file.
ATTACHMENT_PREFIX = "private/speakup"


class Mode(models.TextChoices):
    NAMED = "named", "Named"
    CONFIDENTIAL = "confidential", "Confidential"
    ANONYMOUS = "anonymous", "Anonymous"


class Status(models.TextChoices):
    NEW = "new", "New"
    TRIAGED = "triaged", "Triaged"
    IN_PROGRESS = "in_progress", "In progress"
    ESCALATED = "escalated", "Escalated"
    CLOSED = "closed", "Closed"


class Category(models.TextChoices):
    """What a concern is about: the National Guardian's Office categories, then discrimination (which the review
    named among the cultures staff fear to speak up about, and which organisations need to see apart from other
    behaviours) and anything else."""

    PATIENT_SAFETY = "patient_safety", "Patient safety or quality of care"
    BULLYING = "bullying", "Bullying or harassment"
    BEHAVIOUR = "behaviour", "Other inappropriate attitudes or behaviours"
    WORKER_SAFETY = "worker_safety", "Worker safety or wellbeing"
    DETRIMENT = "detriment", "Being treated worse for speaking up"
    DISCRIMINATION = "discrimination", "Discrimination"
    OTHER = "other", "Something else"


# The case column holding each category, as the guardians have it now.
CATEGORY_FIELDS = {code: f"is_{code}" for code in Category.values}


class ProfessionalGroup(models.TextChoices):
    """The reporter's professional group, as the National Guardian's Office groups workers."""

    REGISTERED_NURSES = "registered_nurses", "Registered nurses and midwives"
    NURSING_SUPPORT = "nursing_support", "Nursing assistants and healthcare support workers"
    MEDICAL = "medical", "Medical and dental"
    ALLIED_HEALTH = "allied_health", "Allied health professionals"
    SCIENTIFIC = "scientific", "Healthcare scientists and other scientific and technical staff"
    ADMIN = "admin", "Administrative and clerical"
    ESTATES = "estates", "Estates and ancillary"
    CARE_WORKERS = "care_workers", "Care workers"
    MANAGERS = "managers", "Managers"
    STUDENTS = "students", "Students and trainees"
    OTHER = "other", "Other"
    NOT_SAID = "not_said", "Prefer not to say"


class ReporterDetriment(models.TextChoices):
    NOT_ANSWERED = "", "Not answered"
    YES = "yes", "Yes"
    NO = "no", "No"


class Case(models.Model):
    """One concern. Every date here is a date, never a time; there is deliberately no created or updated time."""

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+")
    mode = models.CharField(max_length=12, choices=Mode.choices)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.NEW, db_index=True)
    received_on = models.DateField(db_index=True)
    description = models.TextField()
    professional_group = models.CharField(max_length=20, choices=ProfessionalGroup.choices, blank=True)
    # The categories the reporter chose, kept as they gave them; the columns below are the guardians' reading.
    reported_categories = models.JSONField(default=list, blank=True)
    is_patient_safety = models.BooleanField(default=False)
    is_bullying = models.BooleanField(default=False)
    is_behaviour = models.BooleanField(default=False)
    is_worker_safety = models.BooleanField(default=False)
    is_detriment = models.BooleanField(default=False)
    is_discrimination = models.BooleanField(default=False)
    is_other = models.BooleanField(default=False)

    # Who the reporter is, in their own words: blank for anonymous concerns.
    reporter_name = models.CharField(max_length=200, blank=True)
    reporter_email = models.EmailField(max_length=254, blank=True)
    reporter_phone = models.CharField(max_length=30, blank=True)

    # The way back in: a digest of the receipt code for the look-up, and a slow hash of the secret.
    receipt_digest = models.CharField(max_length=64, unique=True)
    secret_hash = models.CharField(max_length=256)

    # Whether the reporter says they have been treated worse for speaking up, and the guardians' own record of it.
    reporter_detriment = models.CharField(max_length=3, choices=ReporterDetriment.choices, blank=True)
    reporter_detriment_on = models.DateField(null=True, blank=True)
    detriment = models.BooleanField(default=False)
    # A reporter's message the guardians have not answered yet.
    awaiting_reply = models.BooleanField(default=True)

    triaged_on = models.DateField(null=True, blank=True)
    feedback_given = models.BooleanField(default=False)
    feedback_given_on = models.DateField(null=True, blank=True)
    identity_revealed_on = models.DateField(null=True, blank=True)
    closed_on = models.DateField(null=True, blank=True)
    outcome = models.TextField(blank=True)
    # The day the content was deleted under the retention policy; only the return's columns remain.
    purged_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-received_on", "-pk"]
        indexes = [models.Index(fields=["organisation", "status", "-received_on"])]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(mode="anonymous")
                | models.Q(reporter_name="", reporter_email="", reporter_phone=""),
                name="speakup_anonymous_has_no_identity",
            ),
        ]

    def __str__(self) -> str:
        return f"Speak-up case {self.pk}"

    @property
    def reference(self) -> str:
        return f"SU-{self.pk:06d}"

    @property
    def categories(self) -> list[str]:
        """The category codes as the guardians have them now."""
        return [code for code, field in CATEGORY_FIELDS.items() if getattr(self, field)]

    @property
    def category_labels(self) -> list[str]:
        return [Category(code).label for code in self.categories]

    @property
    def reported_category_labels(self) -> list[str]:
        known = dict(Category.choices)
        return [known.get(code, code) for code in self.reported_categories]

    @property
    def is_anonymous(self) -> bool:
        return self.mode == Mode.ANONYMOUS

    @property
    def is_confidential(self) -> bool:
        return self.mode == Mode.CONFIDENTIAL

    @property
    def is_purged(self) -> bool:
        return self.purged_on is not None

    @property
    def identity_hidden(self) -> bool:
        """A confidential reporter whose identity has not been revealed: the name shows only on request."""
        return self.mode == Mode.CONFIDENTIAL and self.identity_revealed_on is None


class Message(models.Model):
    """One message in the conversation between the reporter and the guardians, dated and never timed."""

    class Sender(models.TextChoices):
        REPORTER = "reporter", "Reporter"
        GUARDIAN = "guardian", "Guardian"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="messages")
    sender = models.CharField(max_length=10, choices=Sender.choices)
    body = models.TextField()
    sent_on = models.DateField()
    # The guardian who wrote a reply; always empty for the reporter's messages.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(sender="reporter") | models.Q(author__isnull=True),
                name="speakup_reporter_message_has_no_author",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_sender_display()} message on case {self.case_id}"


class Note(models.Model):
    """A guardian's internal note: never shown to the reporter."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    body = models.TextField()
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    written_at = models.DateTimeField()

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"Note on case {self.case_id}"


class Escalation(models.Model):
    """The guardians took the concern to someone else: whom, when and what they passed on."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="escalations")
    escalated_to = models.CharField(max_length=200)
    escalated_on = models.DateField()
    details = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["escalated_on", "pk"]

    def __str__(self) -> str:
        return f"Escalation of case {self.case_id} to {self.escalated_to}"


class IdentityAccess(models.Model):
    """A guardian looked at a confidential reporter's name, or revealed it to someone (with whom and why)."""

    class Kind(models.TextChoices):
        SHOWN = "shown", "Showed the name to the guardian"
        REVEALED = "revealed", "Revealed the identity"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="identity_accesses")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    revealed_to = models.CharField(max_length=200, blank=True)
    reason = models.TextField(blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()

    class Meta:
        ordering = ["pk"]
        verbose_name_plural = "identity accesses"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on case {self.case_id}"


def attachment_path(instance: "Attachment", filename: str) -> str:
    """A random stored name under the private prefix, keeping only the type's usual ending."""
    suffix = ATTACHMENT_SUFFIXES.get(instance.content_type, "")
    return f"{ATTACHMENT_PREFIX}/{secrets.token_hex(16)}{suffix}"


# The ending a stored file gets for each type it may have.
ATTACHMENT_SUFFIXES = {t.content_type: t.suffixes[0] for t in attachments.TYPES}


class Attachment(models.Model):
    """A file sent with a concern (no message) or with a message. No uploader, no time, no original metadata: the
    row holds the name it is downloaded as, its type as read from its content, and its size."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="attachments")
    message = models.ForeignKey(Message, null=True, blank=True, on_delete=models.CASCADE, related_name="attachments")
    name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    file = models.FileField(upload_to=attachment_path, max_length=200)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"Attachment {self.pk} on case {self.case_id}"

    @property
    def type_label(self) -> str:
        found = attachments.BY_CONTENT_TYPE.get(self.content_type)
        return found.label if found else "File"

    @property
    def size_text(self) -> str:
        return attachments.size_text(self.size)
