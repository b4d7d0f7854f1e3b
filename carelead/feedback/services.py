"""Writes to 360 feedback: every one validated, atomic and audited, and none of them tying an answer to a rater.

Other apps create requests here (``feedback_request_create(subject=appraisal, ...)``) and read them through
``feedback_report`` and ``feedback_requests_for``, which live in ``selectors`` and are re-exported below.
"""

from datetime import date, timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mass_mail
from django.db import transaction
from django.db.models import Case, F, Value, When
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from carelead.audit.models import AuditLog
from carelead.audit.services import Actor, audit_record, diff
from carelead.feedback.models import (
    CHOSEN_GROUPS,
    NAMED_GROUPS,
    SCORE_FIELDS,
    SCORE_MAX,
    SCORE_MIN,
    FeedbackAnswer,
    FeedbackRequest,
    Group,
    Rater,
)
from carelead.feedback.rules import group_count_problem, rules_for, rules_problems
from carelead.feedback.selectors import feedback_report, feedback_requests_for
from carelead.feedback.tokens import token_new

__all__ = [
    "AnswerRefused",
    "feedback_answer_submit",
    "feedback_approve",
    "feedback_close",
    "feedback_list_problems",
    "feedback_rater_add",
    "feedback_rater_remove",
    "feedback_reminders",
    "feedback_report",
    "feedback_request_create",
    "feedback_requests_close_due",
    "feedback_requests_for",
    "feedback_return",
    "feedback_submit",
]

REMINDER_DAYS = 3
COMMENT_MAX_LENGTH = 4000
_FROM_SUBJECT = object()
SYSTEM = Actor(system="feedback")


class AnswerRefused(Exception):
    """A rater's answer cannot be taken; ``reason`` is one of answered, closed or late."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def _actor(by) -> Actor:
    return Actor(user=by) if by is not None else SYSTEM


def _audit(*, by, action: str, request: FeedbackRequest, what: str, changes: dict, object_type: str = "") -> None:
    # Descriptions name the person the feedback is about, never a rater.
    audit_record(
        actor=_actor(by),
        action=action,
        object_type=object_type or "feedback.FeedbackRequest",
        object_id=request.pk,
        object_repr=f"{what}: 360 feedback “{request.title}”",
        changes=changes,
        subject_person_id=request.person_id,
        organisation_id=request.organisation_id,
    )


def _email_of(person) -> str:
    """A person's email address: their staff record's, else their CareLead sign-in's, else none."""
    if person is None:
        return ""
    if person.email:
        return person.email.strip().lower()
    user = getattr(person, "user", None)
    return user.email.strip().lower() if user is not None and user.email else ""


def _locked(request: FeedbackRequest) -> FeedbackRequest:
    return (
        FeedbackRequest.objects.select_for_update(of=("self",))
        .select_related("person", "manager", "organisation")
        .get(pk=request.pk)
    )


def _on_commit_send(messages: list) -> None:
    if messages:
        transaction.on_commit(lambda: send_mass_mail(messages, fail_silently=False), robust=True)


def _link(token: str) -> str:
    # The secret travels in the query string, which the access log leaves out (carelead serve).
    return f"{settings.CARELEAD_PUBLIC_URL}{reverse('feedback:answer')}?{urlencode({'t': token})}"


def _message(template: str, subject: str, to: str, context: dict) -> tuple:
    body = render_to_string(f"feedback/email/{template}.txt", context)
    return (subject, body, settings.DEFAULT_FROM_EMAIL, [to])


@transaction.atomic
def feedback_request_create(
    *,
    subject,
    deadline: date,
    by,
    person=_FROM_SUBJECT,
    manager=_FROM_SUBJECT,
    organisation=_FROM_SUBJECT,
    title=_FROM_SUBJECT,
    rules: dict | None = None,
) -> FeedbackRequest:
    """Start a request for 360 feedback about a person; the subject's feedback_* attributes fill what is not given.

    The person is added as the self rater and the manager, when they have an email address, as the manager
    rater; the rater limits in force now are copied onto the request.
    """

    def protocol(value, name):
        if value is not _FROM_SUBJECT:
            return value
        if subject is None:
            raise TypeError(f"feedback_request_create needs {name} when there is no subject")
        return getattr(subject, f"feedback_{name}")

    person = protocol(person, "person")
    manager = protocol(manager, "manager")
    organisation = protocol(organisation, "organisation") or person.organisation
    title = (protocol(title, "title") or "").strip()
    rules = rules if rules is not None else rules_for(organisation)
    errors = {}
    if deadline <= timezone.localdate():
        errors["deadline"] = "The deadline must be in the future."
    if manager is not None and manager.pk == person.pk:
        errors["manager"] = "The person the feedback is about cannot approve their own raters."
    if rules_problems(rules):
        errors["rules"] = rules_problems(rules)
    if errors:
        raise ValidationError(errors)

    request = FeedbackRequest(
        subject_type=ContentType.objects.get_for_model(subject) if subject is not None else None,
        subject_id=str(subject.pk) if subject is not None else "",
        person=person,
        manager=manager,
        organisation=organisation,
        title=title,
        deadline=deadline,
        rules={group: list(rules[group]) for group in CHOSEN_GROUPS},
        created_by=by,
    )
    request.full_clean()
    request.save()
    Rater.objects.create(request=request, group=Group.SELF, name=person.full_name, person=person)
    manager_email = _email_of(manager)
    if manager is not None and manager_email and request.limits(Group.MANAGER)[1] > 0:
        Rater.objects.create(
            request=request, group=Group.MANAGER, name=manager.full_name, email=manager_email, person=manager
        )
    _audit(
        by=by,
        action=AuditLog.Action.CREATE,
        request=request,
        what="Requested",
        changes=diff(
            {},
            {
                "title": title,
                "person": person.pk,
                "manager": manager.pk if manager is not None else None,
                "deadline": deadline,
                "rules": request.rules,
                "subject": f"{request.subject_type.app_label}.{request.subject_type.model}:{request.subject_id}"
                if request.subject_type
                else None,
            },
        ),
    )
    return request


@transaction.atomic
def feedback_rater_add(*, request: FeedbackRequest, by, group: str, name: str, email: str, person=None) -> Rater:
    """Add someone to a draft request's rater list, within the group's maximum."""
    request = _locked(request)
    if not request.editable:
        raise ValidationError("The list of raters can no longer change.")
    name, email = name.strip(), email.strip().lower()
    errors = {}
    if group not in CHOSEN_GROUPS:
        errors["group"] = "Choose how this person works with them."
    if not name:
        errors["name"] = "Enter the rater's name."
    if not email:
        errors["email"] = "Enter the rater's email address."
    elif email == _email_of(request.person):
        errors["email"] = "This is the email address of the person the feedback is about."
    elif request.raters.filter(email=email).exists():
        errors["email"] = "This person is already on the list."
    if "group" not in errors:
        count = request.raters.filter(group=group).count()
        high = request.limits(group)[1]
        if count + 1 > high:
            label = Group(group).label.lower()
            errors["group"] = f"You can ask at most {high} {label}." if high else f"You cannot ask {label} here."
    if errors:
        raise ValidationError(errors)
    rater = Rater(request=request, group=group, name=name, email=email, person=person)
    rater.full_clean()
    rater.save()
    _audit(
        by=by,
        action=AuditLog.Action.CREATE,
        request=request,
        what="Rater added",
        object_type="feedback.Rater",
        # The group only: who was asked is not for the audit log's readers.
        changes={"group": [None, group]},
    )
    return rater


@transaction.atomic
def feedback_rater_remove(*, rater: Rater, by) -> None:
    """Take someone off a draft request's rater list (the person themselves stays)."""
    request = _locked(rater.request)
    if not request.editable:
        raise ValidationError("The list of raters can no longer change.")
    if rater.group == Group.SELF:
        raise ValidationError("The person the feedback is about always answers about themselves.")
    group = rater.group
    Rater.objects.filter(pk=rater.pk, request=request).delete()
    _audit(
        by=by,
        action=AuditLog.Action.DELETE,
        request=request,
        what="Rater removed",
        object_type="feedback.Rater",
        changes={"group": [group, None]},
    )


def feedback_list_problems(request: FeedbackRequest) -> dict[str, str]:
    """Why a request's rater list cannot go for approval, group by group; empty when it can."""
    counts = dict.fromkeys(CHOSEN_GROUPS, 0)
    for group in request.raters.exclude(group=Group.SELF).values_list("group", flat=True):
        counts[group] += 1
    problems = {}
    if request.manager_id is None:
        problems["manager"] = "No line manager is recorded to approve the list. Ask your HR team to record one."
    for group in CHOSEN_GROUPS:
        problem = group_count_problem(group, counts[group], request.limits(group))
        if problem and group not in problems:
            problems[group] = problem
    return problems


@transaction.atomic
def feedback_submit(*, request: FeedbackRequest, by) -> FeedbackRequest:
    """Send a draft rater list to the line manager for approval; nobody is invited until they approve it."""
    request = _locked(request)
    if request.status != FeedbackRequest.Status.DRAFT:
        raise ValidationError("This list has already been sent for approval.")
    problems = feedback_list_problems(request)
    if problems:
        raise ValidationError(problems)
    request.status = FeedbackRequest.Status.AWAITING_APPROVAL
    request.returned_reason = ""
    request.save(update_fields=["status", "returned_reason", "updated_at"])
    _audit(
        by=by,
        action=AuditLog.Action.UPDATE,
        request=request,
        what="Sent for approval",
        changes={"status": [FeedbackRequest.Status.DRAFT, request.status]},
    )
    manager_email = _email_of(request.manager)
    if manager_email:
        _on_commit_send(
            [
                _message(
                    "approval_needed",
                    f"Approve the 360 feedback raters for {request.person.full_name}",
                    manager_email,
                    {"request": request, "url": f"{settings.CARELEAD_PUBLIC_URL}{reverse('feedback:team')}"},
                )
            ]
        )
    return request


@transaction.atomic
def feedback_return(*, request: FeedbackRequest, by, reason: str) -> FeedbackRequest:
    """The line manager sends a rater list back to be changed, saying why."""
    request = _locked(request)
    _check_approver(request, by)
    reason = reason.strip()
    if request.status != FeedbackRequest.Status.AWAITING_APPROVAL:
        raise ValidationError("This list is not waiting for approval.")
    if not reason:
        raise ValidationError({"reason": "Say what should change."})
    request.status = FeedbackRequest.Status.DRAFT
    request.returned_reason = reason
    request.save(update_fields=["status", "returned_reason", "updated_at"])
    _audit(
        by=by,
        action=AuditLog.Action.UPDATE,
        request=request,
        what="Sent back",
        changes={"status": [FeedbackRequest.Status.AWAITING_APPROVAL, request.status], "reason": [None, reason]},
    )
    person_email = _email_of(request.person)
    if person_email:
        _on_commit_send(
            [
                _message(
                    "returned",
                    "Your 360 feedback raters have been sent back",
                    person_email,
                    {"request": request, "url": f"{settings.CARELEAD_PUBLIC_URL}{reverse('feedback:mine')}"},
                )
            ]
        )
    return request


def _check_approver(request: FeedbackRequest, by) -> None:
    if by is None or request.manager_id is None or getattr(by, "person_id", None) != request.manager_id:
        raise PermissionDenied("Only the line manager named on the request approves its raters.")


@transaction.atomic
def feedback_approve(*, request: FeedbackRequest, by, deadline: date | None = None) -> FeedbackRequest:
    """The line manager approves the rater list: the request opens, its settings lock and the invitations go out.

    The manager may move the deadline as they approve; it cannot change once the request is open.
    """
    request = _locked(request)
    _check_approver(request, by)
    if request.status != FeedbackRequest.Status.AWAITING_APPROVAL:
        raise ValidationError("This list is not waiting for approval.")
    deadline = deadline or request.deadline
    if deadline <= timezone.localdate():
        raise ValidationError({"deadline": "The deadline must be in the future, so that raters have time to answer."})
    problems = feedback_list_problems(request)
    if problems:
        raise ValidationError(problems)
    before_deadline = request.deadline
    request.approved_by = by
    request.deadline = deadline
    _audit(
        by=by,
        action=AuditLog.Action.UPDATE,
        request=request,
        what="Raters approved",
        changes=diff({"approved_by": None, "deadline": before_deadline}, {"approved_by": by.pk, "deadline": deadline}),
    )
    request.status = FeedbackRequest.Status.OPEN
    request.opened_at = timezone.now()
    request.save(update_fields=["approved_by", "deadline", "status", "opened_at", "updated_at"])
    _audit(
        by=by,
        action=AuditLog.Action.UPDATE,
        request=request,
        what="Opened",
        changes={
            "status": [FeedbackRequest.Status.AWAITING_APPROVAL, request.status],
            "opened_at": [None, request.opened_at.isoformat()],
            # What locks now, for the record.
            "rules": [None, request.rules],
            "deadline": [None, request.deadline.isoformat()],
        },
    )
    _invite(request=request, by=by)
    return request


def _invite(*, request: FeedbackRequest, by) -> None:
    raters = list(request.raters.exclude(group=Group.SELF).order_by("pk"))
    now = timezone.now()
    messages, counts = [], {}
    for rater in raters:
        token, rater.token_hash = token_new()
        rater.invited_at = now
        counts[rater.group] = counts.get(rater.group, 0) + 1
        messages.append(
            _message(
                "invitation",
                f"{request.person.full_name} has asked for your feedback",
                rater.email,
                {"request": request, "rater": rater, "url": _link(token), "named": rater.group in NAMED_GROUPS},
            )
        )
    Rater.objects.bulk_update(raters, ["token_hash", "invited_at"])
    _audit(
        by=by,
        action=AuditLog.Action.BULK_CREATE,
        request=request,
        what="Invitations sent",
        object_type="feedback.Invitation",
        changes={group: [0, counts.get(group, 0)] for group in CHOSEN_GROUPS},
    )
    _on_commit_send(messages)


def _clean_scores(scores: dict) -> dict[str, int]:
    cleaned, errors = {}, {}
    for code, field in SCORE_FIELDS.items():
        try:
            value = int(scores.get(code))
        except (TypeError, ValueError):
            value = None
        if value is None or not SCORE_MIN <= value <= SCORE_MAX:
            errors[code] = f"Choose a score from {SCORE_MIN} to {SCORE_MAX}."
        else:
            cleaned[field] = value
    if errors:
        raise ValidationError(errors)
    return cleaned


@transaction.atomic
def feedback_answer_submit(*, rater: Rater, scores: dict, strengths: str = "", development: str = "") -> None:
    """Record one rater's answers, once, while the request is open and the deadline has not passed.

    The answer is stored without any reference to the rater; the rater is only marked as having answered.
    Nothing is audited here: an audit entry would give the answer a time (docs/decisions/0009).
    """
    rater = Rater.objects.select_for_update(of=("self",)).select_related("request").get(pk=rater.pk)
    request = rater.request
    if rater.responded:
        raise AnswerRefused("answered")
    if request.status != FeedbackRequest.Status.OPEN:
        raise AnswerRefused("closed")
    if request.is_late:
        raise AnswerRefused("late")
    strengths, development = strengths.strip(), development.strip()
    if len(strengths) > COMMENT_MAX_LENGTH or len(development) > COMMENT_MAX_LENGTH:
        raise ValidationError(f"Comments can be at most {COMMENT_MAX_LENGTH} characters long.")
    answer = FeedbackAnswer(
        request=request,
        group=rater.group,
        rater_name=rater.name if rater.group in NAMED_GROUPS else "",
        strengths=strengths,
        development=development,
        **_clean_scores(scores),
    )
    answer.full_clean()
    answer.save(force_insert=True)
    # One statement rewrites every rater row of the request, so that which row changed last (a row's place on
    # disk after an update) does not point at the rater whose answer was just added.
    Rater.objects.filter(request=request).update(
        responded=Case(When(pk=rater.pk, then=Value(True)), default=F("responded"))
    )


@transaction.atomic
def feedback_close(*, request: FeedbackRequest, by=None) -> FeedbackRequest:
    """Close an open request: no more answers are taken and the combined report is shown."""
    request = _locked(request)
    if request.status != FeedbackRequest.Status.OPEN:
        raise ValidationError("Only an open request can be closed.")
    if by is not None and getattr(by, "person_id", None) not in (request.person_id, request.manager_id):
        raise PermissionDenied("Only the person or their line manager closes a request.")
    request.status = FeedbackRequest.Status.CLOSED
    request.closed_at = timezone.now()
    request.save(update_fields=["status", "closed_at", "updated_at"])
    _audit(
        by=by,
        action=AuditLog.Action.UPDATE,
        request=request,
        what="Closed",
        changes={
            "status": [FeedbackRequest.Status.OPEN, request.status],
            "closed_at": [None, request.closed_at.isoformat()],
        },
    )
    return request


def feedback_requests_close_due(*, on: date | None = None) -> int:
    """Close every open request whose deadline has passed (run daily); returns how many were closed."""
    on = on or timezone.localdate()
    closed = 0
    due = FeedbackRequest.objects.filter(status=FeedbackRequest.Status.OPEN, deadline__lt=on).order_by("pk")
    for request in due.iterator(chunk_size=500):
        feedback_close(request=request)
        closed += 1
    return closed


def feedback_reminders(*, on: date | None = None, dry_run: bool = False) -> int:
    """Email raters who have not answered, once, from three days before the deadline; returns how many.

    A reminder carries a second link of its own (only its digest is kept), and the first link keeps working.
    Running it again the same day, or the next, sends nothing more.
    """
    on = on or timezone.localdate()
    pending = (
        Rater.objects.filter(
            request__status=FeedbackRequest.Status.OPEN,
            request__deadline__gte=on,
            request__deadline__lte=on + timedelta(days=REMINDER_DAYS),
            responded=False,
            reminder_token_hash="",
            invited_at__isnull=False,
        )
        .exclude(group=Group.SELF)
        .select_related("request", "request__person", "request__organisation")
        .order_by("pk")
    )
    if dry_run:
        return pending.count()
    sent = 0
    for rater in pending.iterator(chunk_size=500):
        token, digest = token_new()
        with transaction.atomic():
            # Conditional, so two runs at once cannot both remind the same rater.
            claimed = Rater.objects.filter(pk=rater.pk, reminder_token_hash="", responded=False).update(
                reminder_token_hash=digest
            )
            if not claimed:
                continue
            request = rater.request
            _on_commit_send(
                [
                    _message(
                        "reminder",
                        f"Reminder: {request.person.full_name} has asked for your feedback",
                        rater.email,
                        {"request": request, "rater": rater, "url": _link(token), "named": rater.group in NAMED_GROUPS},
                    )
                ]
            )
        sent += 1
    return sent
