"""360 feedback: a request about one person, the raters asked, and their answers, kept apart from the raters.

An answer carries no link to the rater who gave it: no foreign key, no timestamp, and a random primary key, so
neither a join nor the order of ids or times can tie an answer back to a rater (docs/decisions/0009).
"""

import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from carelead.core.models import AppendOnlyModel, TimeStampedModel


class Group(models.TextChoices):
    """The groups raters are asked in. Self and manager answers are named; the others are only ever combined."""

    SELF = "self", "Self"
    MANAGER = "manager", "Line manager"
    PEER = "peer", "Peers"
    DIRECT_REPORT = "direct_report", "Direct reports"
    OTHER = "other", "Others"


NAMED_GROUPS = (Group.SELF, Group.MANAGER)
ANONYMOUS_GROUPS = (Group.PEER, Group.DIRECT_REPORT, Group.OTHER)
# The groups the person and their manager choose raters for (the person themselves is always the self rater).
CHOSEN_GROUPS = (Group.MANAGER, Group.PEER, Group.DIRECT_REPORT, Group.OTHER)


class Principle(models.TextChoices):
    """The six principles of the Management and Leadership Code; the codes are those of the CLMS framework."""

    ACCOUNTABLE = "accountable", "Be accountable"
    COLLABORATIVE = "collaborative", "Be collaborative"
    COMPASSIONATE = "compassionate", "Be compassionate"
    CURIOUS = "curious", "Be curious"
    INCLUSIVE = "inclusive", "Be inclusive"
    INTEGRITY = "integrity", "Show integrity"


SCORE_FIELDS = {code: f"score_{code}" for code in Principle.values}
SCORE_MIN, SCORE_MAX = 1, 5


class FeedbackRequest(TimeStampedModel):
    """A request for 360 feedback about one person, with the rater limits fixed when it is created."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Choosing raters"
        AWAITING_APPROVAL = "awaiting_approval", "Waiting for approval"
        OPEN = "open", "Open for feedback"
        CLOSED = "closed", "Closed"

    # What the feedback is for (an appraisal, a board member's appraisal), when another app asks for it.
    subject_type = models.ForeignKey(
        "contenttypes.ContentType", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    subject_id = models.CharField(max_length=64, blank=True)
    subject = GenericForeignKey("subject_type", "subject_id")

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="feedback_requests")
    manager = models.ForeignKey(
        "people.Person",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="feedback_requests_managed",
        help_text="Who approves the list of raters",
    )
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+")
    title = models.CharField(max_length=200)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    deadline = models.DateField(help_text="The last day raters can answer")
    # {group: [minimum, maximum]} for the chosen groups, copied from the settings when the request is created.
    rules = models.JSONField(default=dict)
    returned_reason = models.TextField(blank=True, help_text="Why the manager last sent the list back")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["subject_type", "subject_id"]),
            models.Index(fields=["organisation", "status"]),
            models.Index(fields=["status", "deadline"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["draft", "awaiting_approval", "open", "closed"]), name="feedback_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "awaiting_approval"]) | Q(opened_at__isnull=False),
                name="feedback_open_has_opened_at",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.person_id})"

    def clean(self) -> None:
        from carelead.feedback.rules import rules_problems

        errors = {}
        if not self.title.strip():
            errors["title"] = "Enter a title."
        problems = rules_problems(self.rules)
        if problems:
            errors["rules"] = problems
        if errors:
            raise ValidationError(errors)

    @property
    def editable(self) -> bool:
        """Whether the rater list may still change."""
        return self.status == self.Status.DRAFT

    def is_late_on(self, day) -> bool:
        """Whether ``day`` is after the deadline."""
        return day > self.deadline

    @property
    def is_late(self) -> bool:
        return self.is_late_on(timezone.localdate())

    @property
    def accepting_answers(self) -> bool:
        return self.status == self.Status.OPEN and not self.is_late

    @property
    def is_final(self) -> bool:
        """No answer can arrive any more: closed, or open past its deadline. Only then is the report shown."""
        return self.status == self.Status.CLOSED or (self.status == self.Status.OPEN and self.is_late)

    def limits(self, group: str) -> tuple[int, int]:
        low, high = self.rules.get(group, (0, 0))
        return int(low), int(high)


class Rater(models.Model):
    """Someone asked for feedback. Whether they have answered is kept here, and nothing about what they said."""

    request = models.ForeignKey(FeedbackRequest, on_delete=models.CASCADE, related_name="raters")
    group = models.CharField(max_length=16, choices=Group.choices)
    name = models.CharField(max_length=200)
    email = models.EmailField(blank=True, help_text="Empty for the person themselves, who answers signed in")
    person = models.ForeignKey("people.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # SHA-256 of the secret in the rater's link; the secret itself is only ever in the email.
    token_hash = models.CharField(max_length=64, blank=True)
    # The reminder carries a second link, so the first keeps working for someone half-way through the form.
    reminder_token_hash = models.CharField(max_length=64, blank=True)
    # No time is kept: when someone answered would let their answer be picked out.
    responded = models.BooleanField(default=False)
    invited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["request", "group", "name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["request", "email"], condition=~Q(email=""), name="feedback_rater_once"),
            models.UniqueConstraint(fields=["request"], condition=Q(group="self"), name="feedback_one_self_rater"),
            models.UniqueConstraint(fields=["token_hash"], condition=~Q(token_hash=""), name="feedback_token_unique"),
            models.UniqueConstraint(
                fields=["reminder_token_hash"], condition=~Q(reminder_token_hash=""), name="feedback_reminder_unique"
            ),
            models.CheckConstraint(
                condition=Q(group__in=["self", "manager", "peer", "direct_report", "other"]),
                name="feedback_rater_group_valid",
            ),
            models.CheckConstraint(condition=Q(group="self") | ~Q(email=""), name="feedback_rater_has_email"),
        ]

    def __str__(self) -> str:
        return f"{self.get_group_display()} rater on request {self.request_id}"

    @property
    def reminded(self) -> bool:
        return bool(self.reminder_token_hash)


def _score_field(title: str) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        verbose_name=title, validators=[MinValueValidator(SCORE_MIN), MaxValueValidator(SCORE_MAX)]
    )


class FeedbackAnswer(AppendOnlyModel):
    """One completed questionnaire. Deliberately without a rater, a time or a sequential id (see the module)."""

    append_only_noun = "Feedback answers"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    request = models.ForeignKey(FeedbackRequest, on_delete=models.PROTECT, related_name="answers")
    group = models.CharField(max_length=16, choices=Group.choices)
    # Only for the named groups (self and manager), whose answers the domain shows with their name.
    rater_name = models.CharField(max_length=200, blank=True)
    score_accountable = _score_field("Be accountable")
    score_collaborative = _score_field("Be collaborative")
    score_compassionate = _score_field("Be compassionate")
    score_curious = _score_field("Be curious")
    score_inclusive = _score_field("Be inclusive")
    score_integrity = _score_field("Show integrity")
    strengths = models.TextField(blank=True)
    development = models.TextField(blank=True)

    class Meta:
        # By the random id, never in the order answers arrived.
        ordering = ["id"]
        indexes = [models.Index(fields=["request", "group"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(group__in=["self", "manager", "peer", "direct_report", "other"]),
                name="feedback_answer_group_valid",
            ),
            models.CheckConstraint(
                condition=Q(group__in=["self", "manager"]) | Q(rater_name=""), name="feedback_answer_anonymous"
            ),
            *[
                models.CheckConstraint(
                    condition=Q(**{f"{field}__gte": SCORE_MIN, f"{field}__lte": SCORE_MAX}),
                    name=f"feedback_answer_{field}_range",
                )
                for field in SCORE_FIELDS.values()
            ],
        ]

    def __str__(self) -> str:
        return f"{self.get_group_display()} answer on request {self.request_id}"

    def scores(self) -> dict[str, int]:
        return {code: getattr(self, field) for code, field in SCORE_FIELDS.items()}


class OrganisationRules(models.Model):
    """An organisation's own rater limits per group, set by its HR team; the national setting applies otherwise.

    Whatever is set here, a peer, direct-report or other group is shown only with at least three answers.
    """

    organisation = models.OneToOneField(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="feedback_rules"
    )
    rules = models.JSONField(help_text="{group: [minimum, maximum]} for manager, peer, direct_report and other")
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"360 rater rules for {self.organisation_id}"
