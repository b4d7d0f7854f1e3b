"""The 360 pages: the person's journey, the manager's approval, the public questionnaire, HR's response rates,
and that no page shows anyone an answer that the ≥3 rule hides, or an individual answer at all."""

import datetime
import re

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from carelead.accounts.tests.factories import RoleAssignmentFactory, UserFactory
from carelead.feedback.models import FeedbackAnswer, FeedbackRequest, Principle, Rater
from carelead.feedback.services import feedback_answer_submit, feedback_close
from carelead.feedback.tests.factories import FeedbackRequestFactory, RaterFactory, invite, open_request
from carelead.people.tests.factories import PersonFactory
from conftest import PERSONAS

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)
LINK = re.compile(r"/feedback/answer/\?t=([A-Za-z0-9_\-]+)")
# Written by a peer in a group where only two answered: no page may ever show it.
HIDDEN = "ZEBRA-CROSSING-7731"
# Written by a direct report in a group of three: only the person themselves reads it, once the request closes.
SHOWN = "KINGFISHER-42"


def answer_data(value: int = 4, **overrides) -> dict:
    return {**dict.fromkeys(Principle.values, str(value)), "strengths": "", "development": "", **overrides}


def answer(rater, value: int = 4, **comments) -> None:
    feedback_answer_submit(rater=rater, scores=dict.fromkeys(Principle.values, value), **comments)


def page(client, path: str, status: int = 200) -> str:
    response = client.get(path)
    assert response.status_code == status, (path, response.status_code)
    return response.content.decode()


def test_the_person_asks_the_manager_approves_and_raters_answer_without_signing_in(
    client_for, world, client, django_capture_on_commit_callbacks
):
    staff = client_for("staff")
    text = page(staff, "/feedback/")
    assert "You have not asked for 360 feedback yet" in text and "/feedback/new/" in text

    response = staff.post("/feedback/new/", {"title": "Appraisal 2026", "deadline": (TODAY + 14 * DAY).isoformat()})
    request = FeedbackRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/feedback/{request.pk}/raters/"
    assert request.person == world.people["member"] and request.manager == world.people["manager"]

    raters_url = f"/feedback/{request.pk}/raters/"
    text = page(staff, raters_url)
    assert "Maya Manager" in text and "Ask at least 3 peers" in text and "Send for approval" not in text
    response = staff.post(raters_url, {"group": "peer", "name": "", "email": "not an email"})
    text = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in text
    assert "Enter their full name" in text and 'href="#id_name"' in text and "<title>Error:" in text
    for i in range(4):
        staff.post(raters_url, {"group": "peer", "name": f"Pat Peer {i}", "email": f"pat{i}@example.org"})
    removed = Rater.objects.get(email="pat3@example.org")
    assert staff.post(f"/feedback/{request.pk}/raters/{removed.pk}/remove/").status_code == 302
    assert not Rater.objects.filter(pk=removed.pk).exists()
    assert "Send for approval" in page(staff, raters_url)
    staff.post(f"/feedback/{request.pk}/submit/")
    request.refresh_from_db()
    assert request.status == "awaiting_approval"
    assert "Waiting for Maya Manager to approve" in page(staff, f"/feedback/{request.pk}/")

    manager = client_for("line_manager")
    text = page(manager, "/feedback/team/")
    assert "Sam Staffmember" in text and f"/feedback/{request.pk}/approve/" in text
    text = page(manager, f"/feedback/{request.pk}/approve/")
    assert "pat0@example.org" in text and "Approve and send the invitations" in text
    with django_capture_on_commit_callbacks(execute=True):
        response = manager.post(
            f"/feedback/{request.pk}/approve/",
            {"decision": "approve", "deadline": (TODAY + 14 * DAY).isoformat()},
        )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == "open"
    links = {m.to[0]: LINK.search(m.body).group(1) for m in mail.outbox if LINK.search(m.body)}
    assert set(links) == {"pat0@example.org", "pat1@example.org", "pat2@example.org", world.people["manager"].email}

    client.logout()
    url = reverse("feedback:answer") + "?t=" + links["pat0@example.org"]
    text = page(client, url)
    assert "Feedback for Sam Staffmember" in text and "Your answers are anonymous" in text
    response = client.post(url, answer_data(accountable=""))
    text = response.content.decode()
    assert response.status_code == 200 and "Choose a score for “Be accountable”" in text
    assert 'href="#id_accountable"' in text and 'id="id_accountable"' in text
    assert not FeedbackAnswer.objects.exists()
    text = client.post(url, answer_data(strengths="Always calm")).content.decode()
    assert "Thank you for your feedback" in text
    assert FeedbackAnswer.objects.get().strengths == "Always calm"
    assert "You have already given your feedback" in page(client, url)
    assert "You have already given your feedback" in client.post(url, answer_data()).content.decode()
    assert FeedbackAnswer.objects.count() == 1

    manager_link = reverse("feedback:answer") + "?t=" + links[world.people["manager"].email]
    assert "shown to them with your name" in page(client, manager_link)

    staff = client_for("staff")
    text = page(staff, f"/feedback/{request.pk}/")
    assert "Give your own view" in text and "Your combined feedback" not in text
    staff.post(f"/feedback/{request.pk}/my-view/", answer_data(3, strengths="I listen"))
    assert FeedbackAnswer.objects.filter(group="self", rater_name="Sam Staffmember").exists()
    for rater in Rater.objects.filter(request=request, group="peer", responded=False):
        answer(rater, 2, strengths="Keeps us going")
    text = page(staff, f"/feedback/{request.pk}/")
    assert "Give your own view" not in text and "Your combined feedback" not in text
    staff.post(f"/feedback/{request.pk}/close/")
    text = page(staff, f"/feedback/{request.pk}/")
    assert "Your combined feedback" in text and "Always calm" in text and "Keeps us going" in text
    assert "I listen" in text and "2.7" in text  # the peers' mean of 4, 2 and 2


def test_the_questionnaire_refuses_late_and_closed_answers_clearly(world, client):
    request, tokens = open_request(person=world.people["member"], groups={"peer": 3})
    url = reverse("feedback:answer") + "?t=" + tokens["peer"][0]
    FeedbackRequest.objects.filter(pk=request.pk).update(deadline=TODAY - DAY)
    deadline = TODAY - DAY
    text = page(client, url)
    assert "The deadline for this feedback has passed" in text
    assert f"{deadline.day} {deadline:%B %Y}" in text and "<form" not in text.split("<main")[1]
    text = client.post(url, answer_data()).content.decode()
    assert "The deadline for this feedback has passed" in text and not FeedbackAnswer.objects.exists()

    FeedbackRequest.objects.filter(pk=request.pk).update(deadline=TODAY + DAY)
    request.refresh_from_db()
    feedback_close(request=request)
    assert "This request for feedback has closed" in client.post(url, answer_data()).content.decode()
    assert not FeedbackAnswer.objects.exists()


def test_a_bad_link_is_a_clear_not_found_page(db, client):
    for path in ("/feedback/answer/", "/feedback/answer/?t=nonsense", "/feedback/answer/?t=" + "a" * 300):
        response = client.get(path)
        assert response.status_code == 404 and "This link does not work" in response.content.decode()


def test_the_questionnaire_is_accessible_and_works_without_javascript(world, client):
    _, tokens = open_request(person=world.people["member"], groups={"peer": 3})
    response = client.get(reverse("feedback:answer") + "?t=" + tokens["peer"][0])
    text = response.content.decode()
    assert response["Cache-Control"].startswith("max-age=0") and "no-store" in response["Cache-Control"]
    assert '<html lang="en"' in text and '<meta name="robots" content="noindex, nofollow">' in text
    assert '<meta name="viewport"' in text
    form = text[text.index('<form method="post"') : text.index("</form>")]
    assert 'action="' not in form  # posts back to the same address, link secret included
    assert form.count("<fieldset") == 6 and form.count('type="radio"') == 30
    for code, title in Principle.choices:
        assert f'id="id_{code}"' in form and title in form
    for field in ("strengths", "development"):
        assert re.search(rf'<label[^>]*\bfor="id_{field}"', form), field
    assert 'type="submit"' in form and "csrfmiddlewaretoken" in form


def test_a_signed_out_rater_with_a_link_from_an_email_is_not_asked_to_sign_in(world, client):
    _, tokens = open_request(person=world.people["member"], groups={"peer": 3})
    url = reverse("feedback:answer") + "?t=" + tokens["peer"][1]
    assert client.get(url).status_code == 200
    assert client.post(url, answer_data()).status_code == 200
    assert FeedbackAnswer.objects.count() == 1


@pytest.fixture
def sensitive(world):
    """Sam's request: 4 peers asked of whom 2 answered (hidden) and 3 direct reports who all answered (shown)."""
    request, tokens = open_request(
        person=world.people["member"], manager=world.people["manager"], groups={"peer": 4, "direct_report": 3}
    )
    peers = list(request.raters.filter(group="peer"))
    for rater in peers[:2]:
        answer(rater, 1, strengths=HIDDEN, development=HIDDEN)
    for rater in request.raters.filter(group="direct_report"):
        answer(rater, 5, strengths=SHOWN, development="More delegation")
    return request, tokens


def _pages(request, tokens) -> list[str]:
    pk = request.pk
    return [
        "/feedback/",
        "/feedback/new/",
        "/feedback/team/",
        "/feedback/response-rates/",
        "/feedback/response-rates/?status=open",
        "/feedback/response-rates/?status=closed",
        f"/feedback/{pk}/",
        f"/feedback/{pk}/raters/",
        f"/feedback/{pk}/approve/",
        f"/feedback/{pk}/my-view/",
        reverse("feedback:answer") + "?t=" + tokens["peer"][3],
    ]


@pytest.mark.parametrize("closed", [False, True])
def test_no_page_shows_anyone_a_hidden_group_or_an_anonymous_comment_outside_the_persons_report(
    client_for, world, sensitive, closed
):
    request, tokens = sensitive
    if closed:
        feedback_close(request=request)
    for persona in PERSONAS:
        client = client_for(persona)
        for path in _pages(request, tokens):
            response = client.get(path)
            text = response.content.decode()
            assert response.status_code in (200, 302, 403, 404), (persona, path, response.status_code)
            assert HIDDEN not in text, (persona, path)
            assert "2 answered" not in text and ">2</td>" not in text, (persona, path)
            if not (persona == "staff" and path == f"/feedback/{request.pk}/" and closed):
                assert SHOWN not in text, (persona, path)
    staff_view = page(client_for("staff"), f"/feedback/{request.pk}/")
    if closed:
        assert SHOWN in staff_view and "Direct reports" in staff_view
        assert "Peers<br>" not in staff_view and "Peers:" not in staff_view
    manager_view = page(client_for("line_manager"), f"/feedback/{request.pk}/")
    if closed:
        assert "5.0" in manager_view and "More delegation" not in manager_view


def test_hr_sees_counts_of_groups_of_three_or_more_and_nothing_about_anyone(client_for, world, sensitive):
    request, _ = sensitive
    for persona in ("org_hr", "national_admin"):
        text = page(client_for(persona), "/feedback/response-rates/")
        assert "Sam Staffmember" in text
        assert "Direct reports: 3 asked, 3 answered" in text
        assert "Peers: 4 asked" in text and "Peers: 4 asked," not in text
        for rater in request.raters.exclude(group="self"):
            assert rater.name not in text and rater.email not in text
        assert page(client_for(persona), f"/feedback/{request.pk}/", status=404)


def test_hr_sees_only_their_own_organisations_requests(client_for, world):
    open_request(person=world.people["rcc"], groups={"peer": 3})
    open_request(person=world.people["member"], groups={"peer": 3})
    text = page(client_for("org_hr"), "/feedback/response-rates/")
    assert "Sam Staffmember" in text and "Cara Faraway" not in text
    text = page(client_for("national_admin"), "/feedback/response-rates/")
    assert "Sam Staffmember" in text and "Cara Faraway" in text


def test_only_the_person_and_their_own_line_manager_reach_a_request(client_for, world):
    request = FeedbackRequestFactory(
        person=world.people["member"], manager=world.people["manager"], status=FeedbackRequest.Status.AWAITING_APPROVAL
    )
    other_manager = UserFactory(person=world.people["exec"])
    RoleAssignmentFactory(user=other_manager, role="line_manager", organisation=world.orgs["RAA"])
    colleague = UserFactory(person=world.people["others"][0])
    RoleAssignmentFactory(user=colleague, role="staff", organisation=world.orgs["RAA"])
    for user in (other_manager, colleague):
        client = client_for("staff")
        client.force_login(user)
        for path in (f"/feedback/{request.pk}/", f"/feedback/{request.pk}/raters/", f"/feedback/{request.pk}/my-view/"):
            assert client.get(path).status_code == 404, path
        assert client.post(f"/feedback/{request.pk}/close/").status_code == 404
    client.force_login(other_manager)
    assert client.get(f"/feedback/{request.pk}/approve/").status_code == 404
    assert client.post(f"/feedback/{request.pk}/approve/", {"decision": "approve"}).status_code == 404
    request.refresh_from_db()
    assert request.status == "awaiting_approval"
    # The person cannot approve their own list.
    assert client_for("staff").get(f"/feedback/{request.pk}/approve/").status_code == 403


def test_the_manager_sends_a_list_back_and_the_person_sees_why(client_for, world):
    request = FeedbackRequestFactory(
        person=world.people["member"], manager=world.people["manager"], status=FeedbackRequest.Status.AWAITING_APPROVAL
    )
    for _i in range(3):
        RaterFactory(request=request, group="peer")
    manager = client_for("line_manager")
    response = manager.post(f"/feedback/{request.pk}/approve/", {"decision": "return", "reason": ""})
    assert response.status_code == 200 and "Say what should change" in response.content.decode()
    manager.post(f"/feedback/{request.pk}/approve/", {"decision": "return", "reason": "Add a ward sister."})
    request.refresh_from_db()
    assert request.status == "draft"
    text = page(client_for("staff"), f"/feedback/{request.pk}/raters/")
    assert "The list was sent back" in text and "Add a ward sister." in text


def test_the_rater_list_locks_once_sent(client_for, world):
    request = FeedbackRequestFactory(
        person=world.people["member"], manager=world.people["manager"], status=FeedbackRequest.Status.AWAITING_APPROVAL
    )
    rater = RaterFactory(request=request, group="peer")
    staff = client_for("staff")
    assert staff.get(f"/feedback/{request.pk}/raters/").status_code == 302
    staff.post(f"/feedback/{request.pk}/raters/", {"group": "peer", "name": "Late", "email": "late@example.org"})
    staff.post(f"/feedback/{request.pk}/raters/{rater.pk}/remove/")
    assert list(request.raters.exclude(group="self")) == [rater]


def test_users_without_a_staff_record_are_told_they_cannot_ask(client_for, world):
    for persona in ("org_hr", "national_admin", "regulator"):
        assert client_for(persona).get("/feedback/").status_code == 403
        assert client_for(persona).get("/feedback/new/").status_code == 403


# Query counts: lists and the report do not grow with the data.


def _grow(world, n: int) -> None:
    raa = world.orgs["RAA"]
    for _ in range(n):
        request, _ = open_request(
            person=world.people["member"], manager=world.people["manager"], groups={"peer": 3, "other": 3}
        )
        for rater in request.raters.filter(group="peer"):
            answer(rater, 3, strengths="Fine")
        someone = PersonFactory(organisation=raa, line_manager=world.people["manager"])
        FeedbackRequestFactory(
            person=someone, manager=world.people["manager"], status=FeedbackRequest.Status.AWAITING_APPROVAL
        )


def _count(client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return len(captured)


@pytest.mark.parametrize(
    ("persona", "path"),
    [
        ("staff", "/feedback/"),
        ("line_manager", "/feedback/team/"),
        ("org_hr", "/feedback/response-rates/"),
        ("national_admin", "/feedback/response-rates/?status=open"),
    ],
)
def test_list_pages_make_the_same_queries_whatever_the_data(client_for, world, persona, path):
    client = client_for(persona)
    _grow(world, 2)
    small = _count(client, path)
    _grow(world, 8)
    large = _count(client, path)
    assert large == small and small <= 15, (path, small, large)


def test_the_report_makes_the_same_queries_whatever_the_number_of_answers(client_for, world):
    def report_queries(peers: int) -> int:
        request, _ = open_request(
            person=world.people["member"], manager=world.people["manager"], groups={"peer": peers, "other": peers}
        )
        for rater in request.raters.exclude(group="self"):
            answer(rater, 4, strengths="Thorough", development="Delegate")
        answer(request.raters.get(group="self"), 3)
        feedback_close(request=request)
        return _count(client_for("staff"), f"/feedback/{request.pk}/")

    assert report_queries(3) == report_queries(8) <= 15


def test_an_invited_rater_link_stays_private_to_the_invitation(world):
    rater = RaterFactory(request=FeedbackRequestFactory(person=world.people["member"]))
    token = invite(rater)
    rater.refresh_from_db()
    assert token not in str(Rater.objects.filter(pk=rater.pk).values().get())
