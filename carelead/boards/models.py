"""Board members of trusts, ICBs and other organisations."""

from calendar import monthrange
from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from carelead.core.choices import BoardRole, Disability, Sex
from carelead.core.models import AppendOnlyModel, TimeStampedModel


class BoardMember(TimeStampedModel):
    """A seat held on an organisation's board, for one term of office."""

    member_id = models.CharField(max_length=32, unique=True)
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="board_members"
    )
    name = models.CharField(max_length=200)
    role = models.CharField(max_length=16, choices=BoardRole.choices)
    voting = models.BooleanField()
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    person = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="board_seats"
    )

    class Meta:
        ordering = ["organisation", "role", "name"]

    def __str__(self) -> str:
        return f"{self.name}, {self.get_role_display()} ({self.member_id})"


class BoardMemberMonitoring(models.Model):
    """Special-category data of a board member, held apart like staff equality monitoring."""

    member = models.OneToOneField(BoardMember, on_delete=models.CASCADE, primary_key=True, related_name="monitoring")
    sex = models.CharField(max_length=1, choices=Sex.choices, default=Sex.UNKNOWN)
    ethnic_category = models.CharField(max_length=2, blank=True)
    disability = models.CharField(max_length=1, choices=Disability.choices, default=Disability.UNKNOWN)

    def __str__(self) -> str:
        return f"Monitoring for board member {self.member_id}"


# Terms of office and the tenure rule (domain.md section 7): a term is typically three years; beyond six years
# in total needs a recorded rigorous review; nobody serves beyond nine years in total.
REVIEW_AFTER_YEARS = 6
MAX_YEARS = 9


def term_years() -> int:
    """The typical length of a term of office, in years (setting CARELEAD_BOARD_TERM_YEARS, default 3)."""
    return int(getattr(settings, "CARELEAD_BOARD_TERM_YEARS", 3))


def alert_months() -> int:
    """How many months before a term ends its alert is sent (setting CARELEAD_BOARD_ALERT_MONTHS, default 6)."""
    return int(getattr(settings, "CARELEAD_BOARD_ALERT_MONTHS", 6))


def add_years(day: date, years: int) -> date:
    """The same day ``years`` later; 29 February becomes 28 February in a year that has none."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later, or the last day of that month when it is shorter."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, monthrange(year, month)[1]))


def years_end(start: date, years: int) -> date:
    """The last day of a span of ``years`` starting on ``start`` (a term from 1 April 2023 of 3 years ends on
    31 March 2026)."""
    return add_years(start, years) - timedelta(days=1)


class Term(TimeStampedModel):
    """One term of office of a board member; the member's current term is the one with the highest number.

    A member with no terms recorded is treated as serving one term of the typical length from the seat's
    start date (see ``selectors.seat_terms``).
    """

    member = models.ForeignKey(BoardMember, on_delete=models.PROTECT, related_name="terms")
    number = models.PositiveSmallIntegerField()
    starts_on = models.DateField()
    ends_on = models.DateField(help_text="The planned end of the term")
    notes = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["member", "number"]
        constraints = [
            models.UniqueConstraint(fields=["member", "number"], name="boards_term_number_unique"),
            models.CheckConstraint(condition=Q(number__gte=1), name="boards_term_number_positive"),
            models.CheckConstraint(condition=Q(ends_on__gt=F("starts_on")), name="boards_term_ends_after_start"),
        ]

    def __str__(self) -> str:
        return f"Term {self.number} of {self.member.name}"


class TenureReview(AppendOnlyModel):
    """The rigorous review needed before a member serves beyond six years in total; recorded once, never
    changed (a later review is a new row)."""

    append_only_noun = "Tenure reviews"

    class Outcome(models.TextChoices):
        EXTEND = "extend", "Extend: a further term may be agreed"
        DO_NOT_EXTEND = "do_not_extend", "Do not extend"

    member = models.ForeignKey(BoardMember, on_delete=models.PROTECT, related_name="tenure_reviews")
    reviewed_on = models.DateField()
    outcome = models.CharField(max_length=16, choices=Outcome.choices)
    reason = models.TextField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["member", "-reviewed_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome__in=["extend", "do_not_extend"]), name="boards_tenure_review_outcome_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"Tenure review of {self.member.name} on {self.reviewed_on}"


class TermAlert(models.Model):
    """That the alert before a term ends was sent for one seat and term, so it is sent once only."""

    member = models.ForeignKey(BoardMember, on_delete=models.CASCADE, related_name="term_alerts")
    term_number = models.PositiveSmallIntegerField()
    term_ends_on = models.DateField()
    recipients = models.PositiveSmallIntegerField(default=0)
    sent_at = models.DateTimeField()

    class Meta:
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "term_number", "term_ends_on"], name="boards_term_alert_once_per_term"
            ),
        ]

    def __str__(self) -> str:
        return f"Alert for term {self.term_number} of member {self.member_id}"


class Committee(TimeStampedModel):
    """A committee of an organisation's board, such as audit and risk or quality."""

    class Kind(models.TextChoices):
        AUDIT = "audit", "Audit and risk"
        QUALITY = "quality", "Quality and safety"
        FINANCE = "finance", "Finance and performance"
        PEOPLE = "people", "People and workforce"
        REMUNERATION = "remuneration", "Remuneration and nominations"
        CHARITABLE = "charitable", "Charitable funds"
        OTHER = "other", "Other"

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="board_committees"
    )
    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    purpose = models.TextField(blank=True)
    closed_on = models.DateField(null=True, blank=True, help_text="The day the board stood the committee down")

    class Meta:
        ordering = ["organisation", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="boards_committee_name_unique"),
            models.CheckConstraint(
                condition=Q(kind__in=["audit", "quality", "finance", "people", "remuneration", "charitable", "other"]),
                name="boards_committee_kind_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class CommitteeMembership(TimeStampedModel):
    """A board member's place on a committee, from a date until (optionally) a date; one may chair it."""

    committee = models.ForeignKey(Committee, on_delete=models.PROTECT, related_name="memberships")
    member = models.ForeignKey(BoardMember, on_delete=models.PROTECT, related_name="committee_memberships")
    chairs = models.BooleanField(default=False)
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["committee", "-chairs", "member__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "member"],
                condition=Q(ends_on__isnull=True),
                name="boards_committee_member_open_once",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="boards_committee_member_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} on {self.committee_id}"
