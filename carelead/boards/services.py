"""Writes to boards: terms of office, tenure reviews and ending a seat (each validated, atomic, audited and
checked against the acting role's scope), and the alerts sent before terms end."""

from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mass_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from carelead.accounts.models import RoleAssignment
from carelead.accounts.roles import Role
from carelead.audit.services import Actor, audit_record, diff
from carelead.boards.models import (
    MAX_YEARS,
    REVIEW_AFTER_YEARS,
    BoardMember,
    TenureReview,
    Term,
    TermAlert,
    add_months,
    alert_months,
    years_end,
)
from carelead.boards.selectors import board_may_manage, open_seats_q, seat_of, with_terms
from carelead.core.choices import BoardRole

REVIEW_VALID_MONTHS = 12
MAX_TERM_YEARS = 5


def _fmt(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def _check_scope(*, assignment, member: BoardMember) -> None:
    if assignment is not None and not board_may_manage(assignment=assignment, organisation=member.organisation):
        raise PermissionDenied("You cannot record terms for this board.")


def _locked(member: BoardMember) -> BoardMember:
    """The member's row, locked so that two people recording at once are taken one after the other."""
    return BoardMember.objects.select_for_update(of=("self",)).select_related("organisation").get(pk=member.pk)


def _audit(*, by, action: str, member: BoardMember, object_type: str, object_id, changes: dict) -> None:
    audit_record(
        actor=Actor.of(by),
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_repr=f"{member.organisation.code} board: {member.name}"[:255],
        changes=changes,
        subject_person_id=member.person_id,
        organisation_id=member.organisation_id,
    )


def recent_extend_review(*, member: BoardMember, today: date) -> TenureReview | None:
    """The latest tenure review of the last 12 months, when it agreed the member may serve on."""
    since = add_months(today, -REVIEW_VALID_MONTHS)
    latest = (
        TenureReview.objects.filter(member=member, reviewed_on__gte=since, reviewed_on__lte=today)
        .order_by("-reviewed_on", "-pk")
        .first()
    )
    return latest if latest is not None and latest.outcome == TenureReview.Outcome.EXTEND else None


def term_problems(*, member: BoardMember, starts_on: date, ends_on: date, today: date) -> dict[str, list[str]]:
    """What stops a new term being recorded for ``member``, by form field (empty when nothing does)."""
    problems: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        problems.setdefault(field, []).append(message)

    if member.end_date is not None and member.end_date < today:
        add(
            "__all__",
            f"{member.name} left the board on {_fmt(member.end_date)}: a new seat comes from the board file.",
        )
        return problems
    if ends_on <= starts_on:
        add("ends_on", "The term must end after it starts")
        return problems
    if ends_on > years_end(starts_on, MAX_TERM_YEARS):
        add("ends_on", f"A single term cannot be longer than {MAX_TERM_YEARS} years")
    latest = member.terms.order_by("-number").first()
    if latest is None:
        if starts_on < member.start_date:
            joined = _fmt(member.start_date)
            add("starts_on", f"The term cannot start before {member.name} joined the board on {joined}")
        first_start = member.start_date
    else:
        if starts_on < latest.ends_on:
            add("starts_on", f"The term must start on or after the end of term {latest.number}, {_fmt(latest.ends_on)}")
        first_start = member.terms.order_by("number").values_list("starts_on", flat=True).first()
    if problems:
        return problems
    limit = years_end(first_start, MAX_YEARS)
    if ends_on > limit:
        add(
            "ends_on",
            f"This term would take {member.name}'s total time on the board beyond {MAX_YEARS} years, which is not "
            f"allowed: it can end on {_fmt(limit)} at the latest",
        )
    elif ends_on > years_end(first_start, REVIEW_AFTER_YEARS) and not recent_extend_review(member=member, today=today):
        add(
            "ends_on",
            f"This term would take {member.name}'s total time on the board beyond {REVIEW_AFTER_YEARS} years. Record a "
            f"rigorous tenure review agreeing to extend, made in the last {REVIEW_VALID_MONTHS} months, first",
        )
    return problems


@transaction.atomic
def board_term_record(
    *, member: BoardMember, starts_on: date, ends_on: date, notes: str = "", by, assignment=None, today=None
) -> Term:
    """Record a member's next term of office, refused when it breaks the tenure rule.

    A member with no terms recorded is treated as serving one implied term from the seat's start date. The first
    term recorded for them is term 1 when it starts on the seat's start date; otherwise the implied term is
    recorded first as term 1, ending the day before the new term (term 2) starts.
    """
    today = today or timezone.localdate()
    member = _locked(member)
    _check_scope(assignment=assignment, member=member)
    notes = (notes or "").strip()
    problems = term_problems(member=member, starts_on=starts_on, ends_on=ends_on, today=today)
    if problems:
        raise ValidationError(problems)
    latest = member.terms.order_by("-number").first()
    created = []
    if latest is None and starts_on > member.start_date:
        created.append(
            Term(
                member=member,
                number=1,
                starts_on=member.start_date,
                ends_on=starts_on - timedelta(days=1),
                notes="Recorded from the seat's start date when the next term was recorded.",
                created_by=by,
            )
        )
    number = (latest.number if latest else len(created)) + 1
    created.append(Term(member=member, number=number, starts_on=starts_on, ends_on=ends_on, notes=notes, created_by=by))
    for term in created:
        term.full_clean()
        term.save()
        _audit(
            by=by,
            action="create",
            member=member,
            object_type="boards.Term",
            object_id=term.pk,
            changes=diff({}, {"number": term.number, "starts_on": term.starts_on, "ends_on": term.ends_on}),
        )
    return created[-1]


@transaction.atomic
def board_tenure_review_record(
    *, member: BoardMember, reviewed_on: date, outcome: str, reason: str, by, assignment=None, today=None
) -> TenureReview:
    """Record the rigorous review of whether a member may serve beyond six years in total."""
    today = today or timezone.localdate()
    member = _locked(member)
    _check_scope(assignment=assignment, member=member)
    reason = (reason or "").strip()
    problems: dict[str, list[str]] = {}
    if member.end_date is not None and member.end_date < today:
        problems["__all__"] = [f"{member.name} left the board on {_fmt(member.end_date)}."]
    if reviewed_on > today:
        problems["reviewed_on"] = ["The date of the review must be today or in the past"]
    elif reviewed_on < member.start_date:
        problems["reviewed_on"] = [f"The review cannot be before {member.name} joined the board"]
    if outcome not in TenureReview.Outcome.values:
        problems["outcome"] = ["Choose the outcome of the review"]
    if len(reason) < 20:
        problems["reason"] = ["Describe the review and the reasons for its outcome in at least 20 characters"]
    if problems:
        raise ValidationError(problems)
    review = TenureReview(
        member=member, reviewed_on=reviewed_on, outcome=outcome, reason=reason, by=by, recorded_at=timezone.now()
    )
    review.full_clean()
    review.save()
    _audit(
        by=by,
        action="create",
        member=member,
        object_type="boards.TenureReview",
        object_id=review.pk,
        changes=diff({}, {"reviewed_on": reviewed_on, "outcome": outcome}),
    )
    return review


@transaction.atomic
def board_seat_end(*, member: BoardMember, ended_on: date, by, assignment=None, today=None) -> BoardMember:
    """Record the day a member leaves (or will leave) the board."""
    today = today or timezone.localdate()
    member = _locked(member)
    _check_scope(assignment=assignment, member=member)
    if member.end_date is not None and member.end_date < today:
        raise ValidationError({"__all__": [f"{member.name} left the board on {_fmt(member.end_date)}."]})
    if ended_on < member.start_date:
        raise ValidationError({"ended_on": [f"The seat cannot end before it started on {_fmt(member.start_date)}"]})
    if ended_on > add_months(today, 24):
        raise ValidationError({"ended_on": ["The seat must end within the next two years"]})
    before = {"end_date": member.end_date}
    member.end_date = ended_on
    member.full_clean(exclude=["organisation", "person"])
    member.save(update_fields=["end_date", "updated_at"])
    from carelead.boards.committees import memberships_end_with_seat

    committee_places = memberships_end_with_seat(member=member, ended_on=ended_on)
    _audit(
        by=by,
        action="update",
        member=member,
        object_type="boards.BoardMember",
        object_id=member.pk,
        changes=diff(
            {**before, "open_committee_places": committee_places},
            {"end_date": ended_on, "open_committee_places": 0},
        ),
    )
    return member


# Alerts before terms end -------------------------------------------------------------------------------------


def _ned_team_emails() -> tuple[list[str], dict[int, list[str]]]:
    """Emails of the NED appointments team: national, and by region id."""
    national: list[str] = []
    regional: dict[int, list[str]] = {}
    rows = RoleAssignment.objects.filter(role=Role.NED_TEAM, is_active=True, user__is_active=True).values_list(
        "organisation_id", "user__email"
    )
    for organisation_id, email in rows:
        if organisation_id is None:
            national.append(email)
        else:
            regional.setdefault(organisation_id, []).append(email)
    return national, regional


def _chair_emails(*, organisation_ids: set[int], today: date) -> dict[int, list[str]]:
    """Emails of the chairs in post of these organisations who sign in to CareLead."""
    chairs: dict[int, list[str]] = {}
    rows = (
        BoardMember.objects.filter(
            open_seats_q(on=today),
            organisation_id__in=organisation_ids,
            role=BoardRole.CHAIR,
            start_date__lte=today,
            person__user__is_active=True,
        )
        .exclude(person__user__email="")
        .values_list("organisation_id", "person__user__email")
    )
    for organisation_id, email in rows:
        chairs.setdefault(organisation_id, []).append(email)
    return chairs


def _alert_line(seat) -> str:
    member = seat.member
    org = member.organisation
    return (
        f"- {member.name}, {member.get_role_display()}, {org.name} ({org.code}): term {seat.term_number} ends on "
        f"{_fmt(seat.term_ends_on)}. Another term: {seat.reappointment_text.lower()}.\n"
        f"  {settings.CARELEAD_PUBLIC_URL}/boards/{org.code}/"
    )


def board_term_alerts_send(*, on: date | None = None, dry_run: bool = False) -> dict[str, int]:
    """Tell the NED appointments team (national, and the organisation's region) and the board's chair about
    each seat whose current term ends within the alert period; each seat and term once. Each person gets one
    email listing the seats new to them in this run."""
    today = on or timezone.localdate()
    until = add_months(today, alert_months())
    counts = {"seats": 0, "emails": 0, "already_sent": 0, "nobody_to_tell": 0}
    seats = (
        with_terms(BoardMember.objects.filter(open_seats_q(on=today)))
        .filter(term_ends_on__gte=today, term_ends_on__lte=until)
        .select_related("organisation")
        .order_by("term_ends_on", "organisation__name", "pk")
    )
    seats = [seat_of(m, today=today) for m in seats.iterator(chunk_size=2000)]
    if not seats:
        return counts
    sent = set(
        TermAlert.objects.filter(member_id__in=[s.member.pk for s in seats]).values_list(
            "member_id", "term_number", "term_ends_on"
        )
    )
    national, regional = _ned_team_emails()
    chairs = _chair_emails(organisation_ids={s.member.organisation_id for s in seats}, today=today)
    lines: dict[str, list[str]] = {}
    with transaction.atomic():
        for seat in seats:
            member = seat.member
            if (member.pk, seat.term_number, seat.term_ends_on) in sent:
                counts["already_sent"] += 1
                continue
            people = sorted(
                {*national, *regional.get(member.organisation.region_id, []), *chairs.get(member.organisation_id, [])}
            )
            if not people:
                counts["nobody_to_tell"] += 1
                continue
            if not dry_run:
                try:
                    with transaction.atomic():
                        TermAlert.objects.create(
                            member=member,
                            term_number=seat.term_number,
                            term_ends_on=seat.term_ends_on,
                            recipients=min(len(people), 32767),
                            sent_at=timezone.now(),
                        )
                except IntegrityError:
                    counts["already_sent"] += 1
                    continue
            counts["seats"] += 1
            for email in people:
                lines.setdefault(email, []).append(_alert_line(seat))
        messages = []
        for email, seat_lines in lines.items():
            noun = "term ends" if len(seat_lines) == 1 else "terms end"
            body = (
                f"These board members' {noun} within the next {alert_months()} months:\n\n"
                + "\n".join(seat_lines)
                + f"\n\nSee every term ending soon: {settings.CARELEAD_PUBLIC_URL}/boards/\n"
            )
            messages.append((f"Board terms ending soon: {len(seat_lines)}", body, settings.DEFAULT_FROM_EMAIL, [email]))
        counts["emails"] = len(messages)
        if messages and not dry_run:
            send_mass_mail(messages, fail_silently=False)
    return counts
