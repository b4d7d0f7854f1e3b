"""The 360 services: requests, rater lists, approval, answers, the ≥3 rule, reminders and the audit trail."""

import datetime
import io
import re

import pytest
from django.core import mail
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from django.utils.crypto import salted_hmac
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from carelead.audit.models import AuditLog
from carelead.feedback.checks import feedback_rules_check
from carelead.feedback.models import FeedbackAnswer, FeedbackRequest, Group, Principle, Rater
from carelead.feedback.rules import DEFAULT_RULES, feedback_rules_default
from carelead.feedback.selectors import feedback_progress, feedback_report, feedback_requests_for, rater_by_token
from carelead.feedback.services import (
    AnswerRefused,
    feedback_answer_submit,
    feedback_approve,
    feedback_close,
    feedback_rater_add,
    feedback_rater_remove,
    feedback_reminders,
    feedback_request_create,
    feedback_requests_close_due,
    feedback_return,
    feedback_submit,
)
from carelead.feedback.tests.factories import open_request
from carelead.feedback.tokens import token_digest

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)
ANONYMOUS = ["peer", "direct_report", "other"]
LINK = re.compile(r"/feedback/answer/\?t=([A-Za-z0-9_\-]+)")


def scores(value: int = 3, **overrides) -> dict:
    return {**dict.fromkeys(Principle.values, value), **overrides}


def answer(rater: Rater, value: int = 3, strengths: str = "", development: str = "", **overrides) -> None:
    feedback_answer_submit(rater=rater, scores=scores(value, **overrides), strengths=strengths, development=development)


def close(request) -> FeedbackRequest:
    feedback_close(request=request)
    request.refresh_from_db()
    return request


def new_request(world, **overrides) -> FeedbackRequest:
    values = {
        "subject": None,
        "person": world.people["member"],
        "manager": world.people["manager"],
        "organisation": world.orgs["RAA"],
        "title": "Appraisal 2026",
        "deadline": TODAY + 21 * DAY,
        "by": world.users["staff"],
    }
    return feedback_request_create(**{**values, **overrides})


def add(request, world, group: str, n: int, by=None):
    start = request.raters.count()
    for i in range(n):
        feedback_rater_add(
            request=request,
            by=by or world.users["staff"],
            group=group,
            name=f"{group.title()} Rater {start + i}",
            email=f"{group}{start + i}@example.org",
        )


@pytest.fixture
def ready(world):
    """A draft with the line manager and 4 peers: valid to send for approval."""
    request = new_request(world)
    add(request, world, "peer", 4)
    return request


def approve(world, request, django_capture_on_commit_callbacks):
    feedback_submit(request=request, by=world.users["staff"])
    with django_capture_on_commit_callbacks(execute=True):
        return feedback_approve(request=request, by=world.users["line_manager"])


def links_by_email() -> dict[str, str]:
    return {m.to[0]: LINK.search(m.body).group(1) for m in mail.outbox if LINK.search(m.body)}


# Creating a request


def test_a_request_starts_as_a_draft_with_the_person_and_their_manager_as_raters(world):
    request = new_request(world)
    assert request.status == "draft" and request.subject is None
    assert request.rules == {k: list(v) for k, v in DEFAULT_RULES.items()}
    raters = {r.group: r for r in request.raters.all()}
    assert set(raters) == {"self", "manager"}
    assert raters["self"].person == world.people["member"] and raters["self"].email == ""
    assert raters["manager"].person == world.people["manager"]
    assert raters["manager"].email == world.people["manager"].email.lower()
    entry = AuditLog.objects.get(object_type="feedback.FeedbackRequest", action="create")
    assert entry.subject_person_id == world.people["member"].pk and entry.organisation_id == world.orgs["RAA"].pk


def test_the_subject_supplies_what_is_not_given(world):
    # Any model instance offering the feedback_* attributes will do; the appraisal is the first.
    subject = world.orgs["RAA"]
    subject.feedback_person = world.people["member"]
    subject.feedback_manager = world.people["manager"]
    subject.feedback_organisation = world.orgs["RAA"]
    subject.feedback_title = "Appraisal 2026-27"
    request = feedback_request_create(subject=subject, deadline=TODAY + 10 * DAY, by=world.users["org_hr"])
    assert (request.person, request.manager, request.title) == (
        world.people["member"],
        world.people["manager"],
        "Appraisal 2026-27",
    )
    assert request.subject == subject
    assert list(feedback_requests_for(subject)) == [request]
    assert list(feedback_requests_for(world.orgs["RBB"])) == []


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        (lambda w: {"deadline": TODAY}, "deadline"),
        (lambda w: {"manager": w.people["member"]}, "manager"),
        (lambda w: {"rules": {**{k: list(v) for k, v in DEFAULT_RULES.items()}, "peer": [2, 8]}}, "rules"),
    ],
)
def test_a_request_needs_a_future_deadline_another_approver_and_sound_limits(world, overrides, field):
    with pytest.raises(ValidationError) as caught:
        new_request(world, **overrides(world))
    assert field in caught.value.error_dict


def test_the_limits_come_from_the_setting_and_are_checked(world):
    with override_settings(CARELEAD_FEEDBACK_RULES={"peer": (4, 6)}):
        assert feedback_rules_default()["peer"] == [4, 6]
        assert new_request(world).rules["peer"] == [4, 6]
    for bad in ({"peer": (1, 8)}, {"peer": (5, 4)}, {"colleagues": (3, 5)}, {"other": (0, 2)}):
        with override_settings(CARELEAD_FEEDBACK_RULES=bad):
            with pytest.raises(ImproperlyConfigured):
                feedback_rules_default()
            assert [e.id for e in feedback_rules_check(None)] == ["feedback.E001"]
    assert feedback_rules_check(None) == []


# Choosing raters


def test_raters_are_added_within_the_group_maximum_and_only_once(world):
    request = new_request(world)
    add(request, world, "other", 5)
    with pytest.raises(ValidationError, match="at most 5 others"):
        add(request, world, "other", 1)
    with pytest.raises(ValidationError, match="already on the list"):
        feedback_rater_add(request=request, by=None, group="peer", name="Again", email="OTHER2@example.org")
    with pytest.raises(ValidationError, match="the person the feedback is about"):
        feedback_rater_add(
            request=request, by=None, group="peer", name="Me", email=world.people["member"].email.upper()
        )
    with pytest.raises(ValidationError, match="at most 1 line manager"):
        add(request, world, "manager", 1)


def test_the_audit_trail_of_the_list_names_no_rater(world):
    request = new_request(world)
    add(request, world, "peer", 3)
    feedback_rater_remove(rater=request.raters.get(email="peer2@example.org"), by=world.users["staff"])
    text = " ".join(f"{e.object_repr} {e.changes}" for e in AuditLog.objects.all())
    assert "Peer Rater" not in text and "@example.org" not in text
    assert AuditLog.objects.filter(object_type="feedback.Rater").count() == 4


@pytest.mark.parametrize(
    ("groups", "message"),
    [
        ({"peer": 2}, "Ask at least 3 peers"),
        ({"peer": 4, "direct_report": 1}, "Ask at least 3 direct reports, or none"),
        ({"peer": 4, "other": 2}, "Ask at least 3 others, or none"),
        ({"direct_report": 4}, "Ask at least 3 peers"),
    ],
)
def test_a_list_that_could_never_be_shown_cannot_be_sent(world, groups, message):
    request = new_request(world)
    for group, n in groups.items():
        add(request, world, group, n)
    with pytest.raises(ValidationError, match=message):
        feedback_submit(request=request, by=world.users["staff"])
    request.refresh_from_db()
    assert request.status == "draft"


def test_without_a_line_manager_nobody_can_approve_so_the_list_cannot_be_sent(world):
    request = new_request(world, manager=None)
    add(request, world, "peer", 3)
    with pytest.raises(ValidationError, match="No line manager"):
        feedback_submit(request=request, by=world.users["staff"])


def test_nothing_goes_out_before_the_manager_approves(world, ready, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        feedback_submit(request=ready, by=world.users["staff"])
    ready.refresh_from_db()
    assert ready.status == "awaiting_approval"
    assert [m.to for m in mail.outbox] == [[world.people["manager"].email.lower()]]
    assert not Rater.objects.filter(request=ready).exclude(token_hash="").exists()
    with pytest.raises(ValidationError):
        add(ready, world, "peer", 1)
    with pytest.raises(PermissionDenied):
        feedback_approve(request=ready, by=world.users["staff"])
    with pytest.raises(PermissionDenied):
        feedback_approve(request=ready, by=world.users["org_hr"])


def test_the_manager_sends_a_list_back_with_a_reason(world, ready, django_capture_on_commit_callbacks):
    feedback_submit(request=ready, by=world.users["staff"])
    with pytest.raises(ValidationError, match="Say what should change"):
        feedback_return(request=ready, by=world.users["line_manager"], reason="  ")
    with django_capture_on_commit_callbacks(execute=True):
        feedback_return(request=ready, by=world.users["line_manager"], reason="Ask someone from pharmacy too.")
    ready.refresh_from_db()
    assert ready.status == "draft" and ready.returned_reason == "Ask someone from pharmacy too."
    assert "Ask someone from pharmacy too." in mail.outbox[-1].body
    add(ready, world, "other", 3)
    feedback_submit(request=ready, by=world.users["staff"])
    ready.refresh_from_db()
    assert ready.status == "awaiting_approval" and ready.returned_reason == ""


def test_approval_opens_the_request_and_emails_each_rater_a_link_stored_only_hashed(
    world, ready, django_capture_on_commit_callbacks
):
    request = approve(world, ready, django_capture_on_commit_callbacks)
    assert request.status == "open" and request.opened_at and request.approved_by == world.users["line_manager"]
    links = links_by_email()
    raters = {r.email: r for r in request.raters.exclude(group="self")}
    assert set(links) == set(raters) and len(links) == 5
    for email, token in links.items():
        assert raters[email].token_hash == token_digest(token) != token
        assert rater_by_token(token) == raters[email]
        assert "anonymous" in next(m.body for m in mail.outbox if m.to == [email]) or raters[email].group == "manager"
    assert rater_by_token("not-a-token") is None and rater_by_token("") is None and rater_by_token("x" * 500) is None
    invitations = AuditLog.objects.get(object_type="feedback.Invitation")
    assert invitations.changes == {"manager": [0, 1], "peer": [0, 4], "direct_report": [0, 0], "other": [0, 0]}
    what = [e.object_repr.split(":")[0] for e in AuditLog.objects.filter(object_type="feedback.FeedbackRequest")]
    assert {"Requested", "Sent for approval", "Raters approved", "Opened"} <= set(what)
    with pytest.raises(ValidationError):
        add(request, world, "peer", 1)


def test_the_manager_may_move_the_deadline_when_approving_but_not_into_the_past(
    world, ready, django_capture_on_commit_callbacks
):
    feedback_submit(request=ready, by=world.users["staff"])
    with pytest.raises(ValidationError):
        feedback_approve(request=ready, by=world.users["line_manager"], deadline=TODAY)
    request = feedback_approve(request=ready, by=world.users["line_manager"], deadline=TODAY + 40 * DAY)
    assert request.deadline == TODAY + 40 * DAY


# Answering


def test_a_rater_answers_once_and_the_answer_does_not_point_back(world):
    request, _ = open_request(person=world.people["member"], groups={"peer": 3})
    rater = request.raters.filter(group="peer").first()
    answer(rater, 4, strengths="Calm in a crisis")
    rater.refresh_from_db()
    assert rater.responded
    stored = FeedbackAnswer.objects.get()
    assert stored.group == "peer" and stored.rater_name == "" and stored.strengths == "Calm in a crisis"
    assert rater.name not in str(FeedbackAnswer.objects.values().get())
    with pytest.raises(AnswerRefused) as refused:
        answer(rater, 1)
    assert refused.value.reason == "answered"
    assert FeedbackAnswer.objects.count() == 1


def test_named_groups_carry_the_raters_name(world):
    request, _ = open_request(person=world.people["member"], manager=world.people["manager"], groups={"manager": 1})
    answer(request.raters.get(group="manager"), 5, strengths="Reliable")
    answer(request.raters.get(group="self"), 3)
    assert set(FeedbackAnswer.objects.values_list("group", "rater_name")) == {
        ("manager", request.raters.get(group="manager").name),
        ("self", world.people["member"].full_name),
    }


def test_a_late_answer_is_refused(world):
    request, _ = open_request(person=world.people["member"], groups={"peer": 3})
    rater = request.raters.filter(group="peer").first()
    FeedbackRequest.objects.filter(pk=request.pk).update(deadline=TODAY - DAY)
    with pytest.raises(AnswerRefused) as refused:
        answer(rater, 3)
    assert refused.value.reason == "late"
    assert not FeedbackAnswer.objects.exists()
    rater.refresh_from_db()
    assert not rater.responded


def test_an_answer_on_the_deadline_day_is_taken_and_after_closing_is_refused(world):
    request, _ = open_request(person=world.people["member"], groups={"peer": 3}, deadline=TODAY + DAY)
    FeedbackRequest.objects.filter(pk=request.pk).update(deadline=TODAY)
    first, second = request.raters.filter(group="peer")[:2]
    answer(first, 3)
    close(request)
    with pytest.raises(AnswerRefused) as refused:
        answer(second, 3)
    assert refused.value.reason == "closed"


def test_scores_must_all_be_given_from_one_to_five(world):
    request, _ = open_request(person=world.people["member"], groups={"peer": 3})
    rater = request.raters.filter(group="peer").first()
    with pytest.raises(ValidationError):
        answer(rater, 3, curious=0)
    with pytest.raises(ValidationError):
        feedback_answer_submit(rater=rater, scores={"accountable": 3})
    assert not FeedbackAnswer.objects.exists()


def test_no_audit_entry_ties_an_answer_to_anyone(world):
    request, _ = open_request(person=world.people["member"], groups={"peer": 3})
    before = AuditLog.objects.count()
    for rater in request.raters.filter(group="peer"):
        answer(rater, 4, strengths=f"Kind words from {rater.name}")
    assert AuditLog.objects.count() == before
    close(request)
    ids = {str(pk) for pk in FeedbackAnswer.objects.values_list("pk", flat=True)}
    for entry in AuditLog.objects.all():
        text = f"{entry.object_id} {entry.object_repr} {entry.changes}"
        assert not any(i in text for i in ids)
        assert not any(r.name in text or r.email in text for r in request.raters.exclude(group="self"))


# The report and the ≥3 rule


def _answered_request(world, counts: dict[str, int], *, closed: bool = True):
    """A request in which ``counts[group]`` raters answered (peers and the like: of at least 3 asked)."""
    invited = {g: (n if g == "manager" else max(n, 3)) for g, n in counts.items() if g != "self"}
    request, _ = open_request(person=world.people["member"], manager=world.people["manager"], groups=invited)
    for group, n in counts.items():
        for i, rater in enumerate(request.raters.filter(group=group).order_by("pk")[:n]):
            answer(rater, 2 + i % 3, strengths=f"{group} strength {i}", development=f"{group} development {i}")
    if closed:
        close(request)
    request.refresh_from_db()
    return request


@pytest.mark.parametrize("group", ANONYMOUS)
def test_a_group_of_two_is_left_out_entirely(world, group):
    request = _answered_request(world, {group: 2})
    report = feedback_report(request)
    assert report["released"] and report["groups"] == [] and report["groups_shown"] == 0
    assert f"{group} strength" not in str(report)
    assert next(row for row in feedback_progress(request=request) if row["group"] == group)["responded"] is None


@pytest.mark.parametrize("group", ANONYMOUS)
def test_a_group_of_three_is_shown_combined(world, group):
    request = _answered_request(world, {group: 3})
    report = feedback_report(request)
    [shown] = report["groups"]
    assert shown["group"] == group and shown["responses"] == 3
    assert shown["means"] == dict.fromkeys(Principle.values, 3.0)  # the mean of 2, 3 and 4
    assert sorted(shown["strengths"]) == [f"{group} strength {i}" for i in range(3)]
    assert "name" not in shown


def test_the_report_is_held_back_until_no_more_answers_can_come(world):
    request = _answered_request(world, {"peer": 3}, closed=False)
    assert feedback_report(request) == {**feedback_report(request), "released": False, "groups": [], "named": []}
    FeedbackRequest.objects.filter(pk=request.pk).update(deadline=TODAY - DAY)
    request.refresh_from_db()
    assert feedback_report(request)["released"] and len(feedback_report(request)["groups"]) == 1


def test_a_third_answer_brings_a_hidden_group_into_view(world):
    request, _ = open_request(person=world.people["member"], groups={"peer": 4})
    raters = list(request.raters.filter(group="peer"))
    for rater in raters[:2]:
        answer(rater, 2, strengths="Quietly brilliant")
    assert [r["responded"] for r in feedback_progress(request=request) if r["group"] == "peer"] == [None]
    answer(raters[2], 5)
    assert [r["responded"] for r in feedback_progress(request=request) if r["group"] == "peer"] == [3]
    close(request)
    [peers] = feedback_report(request)["groups"]
    assert peers["responses"] == 3 and peers["means"]["curious"] == 3.0
    assert peers["strengths"] == ["Quietly brilliant", "Quietly brilliant"]


def test_named_answers_are_shown_with_their_names(world):
    request = _answered_request(world, {"manager": 1, "self": 1, "peer": 1})
    report = feedback_report(request)
    assert [(n["group"], n["name"]) for n in report["named"]] == [
        ("self", world.people["member"].full_name),
        ("manager", request.raters.get(group="manager").name),
    ]
    assert report["groups"] == []


def test_comments_are_shuffled_by_a_keyed_hash_and_each_list_on_its_own(world):
    request = _answered_request(world, {"peer": 6})
    [peers] = feedback_report(request)["groups"]
    rows = list(FeedbackAnswer.objects.filter(group="peer").values("pk", "strengths", "development"))

    def keyed(field):
        def key(row):
            return salted_hmac("carelead.feedback.comments", f"{request.pk}:{field}:{row['pk']}").hexdigest()

        return [row[field] for row in sorted(rows, key=key)]

    # Each list in its own keyed order (so one rater's two comments do not share a position), the same every time.
    assert peers["strengths"] == keyed("strengths")
    assert peers["development"] == keyed("development")
    assert feedback_report(request)["groups"][0] == peers


def test_the_manager_reads_scores_without_the_comments_of_anonymous_groups(world):
    request = _answered_request(world, {"peer": 3, "manager": 1})
    report = feedback_report(request, with_comments=False)
    assert report["groups"][0]["strengths"] == [] and report["groups"][0]["development"] == []
    assert "peer strength" not in str(report)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    counts=st.fixed_dictionaries({g: st.integers(min_value=0, max_value=5) for g in ANONYMOUS}),
    values=st.lists(st.integers(min_value=1, max_value=5), min_size=15, max_size=15),
)
def test_the_report_shows_exactly_the_groups_of_three_or_more_with_their_true_means(world, counts, values):
    request, _ = open_request(person=world.people["member"], groups=dict.fromkeys(ANONYMOUS, 5))
    given_scores: dict[str, list[int]] = {}
    position = 0
    for group, n in counts.items():
        for rater in request.raters.filter(group=group).order_by("pk")[:n]:
            answer(rater, values[position], strengths=f"secret {group} {position}")
            given_scores.setdefault(group, []).append(values[position])
            position += 1
    close(request)
    report = feedback_report(request)
    assert {g["group"] for g in report["groups"]} == {g for g, n in counts.items() if n >= 3}
    for shown in report["groups"]:
        expected = round(sum(given_scores[shown["group"]]) / len(given_scores[shown["group"]]), 1)
        assert shown["means"] == dict.fromkeys(Principle.values, expected)
        assert shown["responses"] == counts[shown["group"]]
    hidden = [g for g, n in counts.items() if 0 < n < 3]
    assert not any(f"secret {g} " in str(report) for g in hidden)
    progress = {row["group"]: row["responded"] for row in feedback_progress(request=request)}
    assert all(progress[g] is None for g in hidden)


# Closing and reminders


def test_closing_is_for_the_person_or_their_manager_and_is_audited(world):
    request, _ = open_request(person=world.people["member"], manager=world.people["manager"])
    with pytest.raises(PermissionDenied):
        feedback_close(request=request, by=world.users["org_hr"])
    feedback_close(request=request, by=world.users["line_manager"])
    request.refresh_from_db()
    assert request.status == "closed" and request.closed_at
    assert AuditLog.objects.filter(object_repr__startswith="Closed").count() == 1
    with pytest.raises(ValidationError):
        feedback_close(request=request, by=world.users["staff"])


def test_requests_past_their_deadline_are_closed_by_the_daily_job(world):
    due, _ = open_request(person=world.people["member"])
    later, _ = open_request(person=world.people["member"])
    FeedbackRequest.objects.filter(pk=due.pk).update(deadline=TODAY - DAY)
    assert feedback_requests_close_due() == 1
    assert FeedbackRequest.objects.get(pk=due.pk).status == "closed"
    assert FeedbackRequest.objects.get(pk=later.pk).status == "open"
    assert AuditLog.objects.get(object_repr__startswith="Closed").actor_label == "system:feedback"


def test_reminders_go_once_from_three_days_before_the_deadline_to_those_who_have_not_answered(
    world, django_capture_on_commit_callbacks
):
    _, tokens = open_request(person=world.people["member"], groups={"peer": 3}, deadline=TODAY + 5 * DAY)
    answered = rater_by_token(tokens["peer"][0])
    answer(answered, 3)
    assert feedback_reminders() == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert feedback_reminders(on=TODAY + 2 * DAY, dry_run=True) == 2
        assert feedback_reminders(on=TODAY + 2 * DAY) == 2
        assert feedback_reminders(on=TODAY + 2 * DAY) == 0
        assert feedback_reminders(on=TODAY + 3 * DAY) == 0
    assert len(mail.outbox) == 2 and answered.email not in {m.to[0] for m in mail.outbox}
    for message in mail.outbox:
        new_link = LINK.search(message.body).group(1)
        rater = rater_by_token(new_link)
        assert rater.email == message.to[0] and rater.reminded
        assert new_link not in tokens["peer"]
        # The first link still works too.
        assert rater_by_token(tokens["peer"][[rater_by_token(t) for t in tokens["peer"]].index(rater)]) == rater
    assert "Reminder" in mail.outbox[0].subject


def test_no_reminder_after_the_deadline_or_for_a_closed_request(world):
    request, _ = open_request(person=world.people["member"], groups={"peer": 3}, deadline=TODAY + DAY)
    assert feedback_reminders(on=TODAY + 2 * DAY) == 0
    close(request)
    assert feedback_reminders(on=TODAY) == 0


def test_the_daily_command_closes_what_is_due_and_reminds(world, django_capture_on_commit_callbacks):
    open_request(person=world.people["member"], groups={"peer": 3}, deadline=TODAY + 2 * DAY)
    due, _ = open_request(person=world.people["member"], groups={"peer": 3})
    FeedbackRequest.objects.filter(pk=due.pk).update(deadline=TODAY - DAY)
    out = io.StringIO()
    call_command("feedback_reminders", "--dry-run", stdout=out)
    assert "closed 0 requests" in out.getvalue() and "would send 3 reminders" in out.getvalue()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("feedback_reminders", stdout=out)
    assert "closed 1 requests past their deadline; sent 3 reminders" in out.getvalue()
    assert len(mail.outbox) == 3


def test_emails_are_plain_text_with_names_as_written(world, django_capture_on_commit_callbacks):
    person = world.people["member"]
    person.last_name = "O'Brien & Sons"
    person.save(update_fields=["last_name"])
    request = new_request(world)
    add(request, world, "peer", 3)
    approve(world, request, django_capture_on_commit_callbacks)
    body = mail.outbox[-1].body
    assert "Sam O'Brien & Sons" in body and "&#39;" not in body and "&amp;" not in body
    assert mail.outbox[-1].subject == "Sam O'Brien & Sons has asked for your feedback"


def test_the_list_cannot_lose_the_person_themselves(world):
    request = new_request(world)
    with pytest.raises(ValidationError):
        feedback_rater_remove(rater=request.raters.get(group=Group.SELF), by=world.users["staff"])
