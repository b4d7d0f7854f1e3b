"""Board member appraisals (domain.md sections 4 and 7): chairs, non-executive and executive directors.

Each year a board member is appraised against the six board competency domains of the published board
framework, with multi-source feedback and at least one EDI objective. An appraisal moves draft → feedback →
review → signed_off, or is closed when the member leaves the board. Once signed off or closed nothing changes:
the services refuse it and database triggers (migration 0002) refuse it below them.
"""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from carelead.core.choices import AppraisalRating, BoardRole
from carelead.core.models import TimeStampedModel


class BoardAppraisal(TimeStampedModel):
    """One board member's appraisal for the year it is due."""

    class State(models.TextChoices):
        DRAFT = "draft", "Draft"
        FEEDBACK = "feedback", "Gathering feedback"
        REVIEW = "review", "Appraiser's review"
        SIGNED_OFF = "signed_off", "Signed off"
        CLOSED = "closed", "Closed"

    # States in which the appraisal is still open to change, and can fall overdue.
    OPEN = (State.DRAFT, State.FEEDBACK, State.REVIEW)
    FINISHED = (State.SIGNED_OFF, State.CLOSED)

    member = models.ForeignKey("boards.BoardMember", on_delete=models.PROTECT, related_name="appraisals")
    # Copied from the member when the appraisal starts, so scope filters and completion counts need no join.
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="board_appraisals"
    )
    role = models.CharField(max_length=16, choices=BoardRole.choices)
    year = models.PositiveSmallIntegerField(help_text="The year the appraisal is due, such as 2026")
    due_on = models.DateField()
    framework = models.ForeignKey(
        "standards.Framework",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The version of the board framework whose domains are rated",
    )
    appraiser_name = models.CharField(max_length=200, blank=True)
    appraiser_member = models.ForeignKey(
        "boards.BoardMember", null=True, blank=True, on_delete=models.PROTECT, related_name="appraisals_given"
    )
    state = models.CharField(max_length=12, choices=State.choices, default=State.DRAFT)
    # Multi-source feedback, collated by the appraiser: how many contributed in each group (never who), and
    # the themes that came out of it.
    feedback_board = models.PositiveSmallIntegerField("Board colleagues", default=0)
    feedback_executives = models.PositiveSmallIntegerField("Executive team", default=0)
    feedback_partners = models.PositiveSmallIntegerField("Partners and stakeholders", default=0)
    feedback_staff = models.PositiveSmallIntegerField("Staff representatives", default=0)
    feedback_themes = models.TextField(blank=True)
    overall_rating = models.CharField(max_length=20, blank=True, choices=AppraisalRating.choices)
    member_comments = models.TextField(blank=True)
    appraiser_comments = models.TextField(blank=True)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    signed_off_at = models.DateTimeField(null=True, blank=True)
    signed_off_for = models.CharField(
        max_length=200, blank=True, help_text="The chair on whose behalf the board secretary recorded the sign-off"
    )
    closed_reason = models.TextField(blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["organisation", "year", "due_on", "member__name"]
        indexes = [
            models.Index(fields=["organisation", "year", "state"]),
            models.Index(fields=["year", "role", "due_on"]),
        ]
        constraints = [
            models.UniqueConstraint(fields=["member", "year"], name="boardappraisals_one_per_member_year"),
            models.CheckConstraint(
                condition=Q(state__in=["draft", "feedback", "review", "signed_off", "closed"]),
                name="boardappraisals_state_valid",
            ),
            models.CheckConstraint(
                condition=~Q(state="signed_off")
                | (Q(signed_off_by__isnull=False) & Q(signed_off_at__isnull=False) & ~Q(overall_rating="")),
                name="boardappraisals_signed_off_complete",
            ),
            models.CheckConstraint(
                condition=~Q(state="closed") | ~Q(closed_reason=""), name="boardappraisals_closed_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} appraisal of {self.member.name}"

    @property
    def editable(self) -> bool:
        return self.state in self.OPEN

    def is_overdue_on(self, day: date) -> bool:
        """Past its due date on ``day`` and neither signed off nor closed."""
        return self.state in self.OPEN and self.due_on < day

    @property
    def is_overdue(self) -> bool:
        return self.is_overdue_on(timezone.localdate())

    @property
    def feedback_total(self) -> int:
        return self.feedback_board + self.feedback_executives + self.feedback_partners + self.feedback_staff

    @property
    def is_chair(self) -> bool:
        return self.role == BoardRole.CHAIR


# When each role's appraisal is due in its year (month, day): chairs by 30 June and NEDs by 30 September
# (domain.md section 4). Executive directors follow their organisation's appraisal cycle; CareLead's default is
# the end of the financial year, 31 March. Associates are appraised like non-executives. The setting
# CARELEAD_BOARD_APPRAISAL_DUE overrides any of these.
DEFAULT_DUE = {
    BoardRole.CHAIR: (6, 30),
    BoardRole.NON_EXECUTIVE: (9, 30),
    BoardRole.EXECUTIVE: (3, 31),
    BoardRole.ASSOCIATE: (9, 30),
}


def due_on_for(*, role: str, year: int) -> date:
    """The date a board member's appraisal is due in ``year``, from their board role."""
    configured = {**DEFAULT_DUE, **getattr(settings, "CARELEAD_BOARD_APPRAISAL_DUE", {})}
    month, day = configured[role]
    return date(year, month, day)


def overdue_q(*, today: date | None = None, prefix: str = "") -> Q:
    """Appraisals (reached through ``prefix``) past their due date and neither signed off nor closed."""
    today = today or timezone.localdate()
    return Q(**{f"{prefix}due_on__lt": today, f"{prefix}state__in": BoardAppraisal.OPEN})


class DomainRating(models.Model):
    """The appraiser's rating of the member against one board competency domain, with the evidence."""

    appraisal = models.ForeignKey(BoardAppraisal, on_delete=models.CASCADE, related_name="domain_ratings")
    domain = models.ForeignKey("standards.Domain", on_delete=models.PROTECT, related_name="+")
    rating = models.CharField(max_length=20, blank=True, choices=AppraisalRating.choices)
    evidence = models.TextField(blank=True)

    class Meta:
        ordering = ["domain__order", "domain__code"]
        constraints = [
            models.UniqueConstraint(fields=["appraisal", "domain"], name="boardappraisals_one_rating_per_domain")
        ]

    def __str__(self) -> str:
        return f"{self.domain.code} for appraisal {self.appraisal_id}"


class BoardObjective(models.Model):
    """An objective the member was set for the year, rated at the year end; EDI objectives are flagged."""

    appraisal = models.ForeignKey(BoardAppraisal, on_delete=models.CASCADE, related_name="objectives")
    title = models.CharField(max_length=200)
    measure = models.TextField(help_text="How achievement is measured")
    is_edi = models.BooleanField("Equality, diversity and inclusion objective", default=False)
    rating = models.CharField(max_length=20, blank=True, choices=AppraisalRating.choices)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.title
