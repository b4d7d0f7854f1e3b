"""Following a concern with the receipt code and secret: the two-way conversation, detriment, the short-lived
cookie that is not the session, and wrong codes that are limited and reveal nothing."""

from unittest import mock

import pytest
from django.contrib.sessions.models import Session
from django.core import signing

from carelead.audit.models import AuditLog
from carelead.speakup import credentials, views
from carelead.speakup.models import Case, Message
from carelead.speakup.services import case_reply
from carelead.speakup.tests.factories import raised

URL = "/speak-up/follow/"
CASE_URL = "/speak-up/follow/case/"
ADDRESS = "203.0.113.88"


@pytest.fixture
def receipt(world):
    return raised(organisation=world.orgs["RAA"])


def sign_in(client, receipt, *, secret=None, address=ADDRESS, code=None):
    return client.post(
        URL,
        {"receipt": code or receipt.receipt_display.lower(), "secret": secret or receipt.secret_display},
        REMOTE_ADDR=address,
    )


def test_the_right_codes_open_the_case_in_a_cookie_that_is_not_the_session(client, world, receipt):
    response = sign_in(client, receipt)
    assert response.status_code == 302 and response["Location"] == CASE_URL
    cookie = response.cookies[views.FOLLOW_COOKIE]
    assert cookie["path"] == URL and cookie["httponly"] and cookie["samesite"] == "Strict"
    assert int(cookie["max-age"]) == views.FOLLOW_IDLE_SECONDS
    assert "sessionid" not in response.cookies
    assert Session.objects.count() == 0
    page = client.get(CASE_URL)
    assert page.status_code == 200
    text = page.content.decode()
    assert "one nurse" in text and "Holdout Large Trust" in text


def test_the_conversation_goes_both_ways(client, world, receipt):
    guardian = world.users["guardian"]
    case_reply(
        assignment=guardian.assignments.get(),
        by=guardian,
        case=receipt.case,
        body="Thank you. Can you say which nights?",
    )
    sign_in(client, receipt)
    assert "Can you say which nights?" in client.get(CASE_URL).content.decode()
    audits = AuditLog.objects.count()
    response = client.post(CASE_URL, {"action": "reply", "reply-body": "Mostly Sundays."})
    assert response.status_code == 302 and response["Location"] == CASE_URL + "?done=reply"
    reply = Message.objects.get(sender="reporter")
    assert reply.body == "Mostly Sundays." and reply.author_id is None
    case = Case.objects.get()
    assert case.awaiting_reply
    response = client.post(
        CASE_URL, {"action": "detriment", "detriment-answer": "yes", "detriment-details": "Moved to days."}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.reporter_detriment == "yes" and case.reporter_detriment_on is not None
    assert Message.objects.filter(sender="reporter").count() == 2
    # The reporter's actions are not audited, so nothing ties them to a user, a request or a time.
    assert AuditLog.objects.count() == audits
    page = client.get(CASE_URL + "?done=detriment").content.decode()
    assert "Moved to days." in page and "Your answer has been passed to the guardian" in page


def test_reporter_validation(client, world, receipt):
    sign_in(client, receipt)
    text = client.post(CASE_URL, {"action": "reply", "reply-body": ""}).content.decode()
    assert "There is a problem" in text and "Write your message" in text
    text = client.post(CASE_URL, {"action": "detriment"}).content.decode()
    assert "Select yes or no" in text


def test_wrong_codes_say_the_same_whether_or_not_the_receipt_exists(client, world, receipt):
    wrong_secret = sign_in(client, receipt, secret="AAAA-AAAA-AAAA")
    no_such_receipt = sign_in(client, receipt, code="ZZZZ-ZZZZ-ZZZZ-ZZZZ")
    assert wrong_secret.status_code == no_such_receipt.status_code == 200
    for response in (wrong_secret, no_such_receipt):
        assert "The receipt code or secret is not right" in response.content.decode()
        assert views.FOLLOW_COOKIE not in response.cookies


def test_a_missing_receipt_costs_one_hash_check_like_a_wrong_secret(world, receipt):
    from carelead.speakup import selectors

    with mock.patch("carelead.speakup.credentials.check_password", return_value=False) as checked:
        assert selectors.case_for_reporter(receipt=receipt.receipt, secret="WRONGWRONG22") is None
        assert selectors.case_for_reporter(receipt="NOSUCHRECEIPT222", secret="WRONGWRONG22") is None
    assert checked.call_count == 2
    decoy = checked.call_args_list[1].args[1]
    assert decoy.split("$")[0] == receipt.case.secret_hash.split("$")[0]


def test_wrong_codes_are_limited_per_address(client, world, receipt, settings):
    settings.CARELEAD_SPEAKUP_LIMITS = {"FOLLOW_ADDRESS": 3, "FOLLOW_RECEIPT": 100}
    for n in range(3):
        assert sign_in(client, receipt, code=f"ABCD-ABCD-ABCD-ABC{n + 2}").status_code == 200
    limited = sign_in(client, receipt)
    assert limited.status_code == 429 and "Too many attempts" in limited.content.decode()
    # Another address is not held back.
    assert sign_in(client, receipt, address="198.51.100.5").status_code == 302


def test_wrong_secrets_are_limited_per_receipt_code_from_any_address(client, world, receipt, settings):
    settings.CARELEAD_SPEAKUP_LIMITS = {"FOLLOW_ADDRESS": 100, "FOLLOW_RECEIPT": 3}
    for n in range(3):
        assert sign_in(client, receipt, secret="WRONG-WRONG-WRONG", address=f"198.51.100.{n + 10}").status_code == 200
    # Even the right secret is refused now, from a fresh address: the code is locked for the hour.
    assert sign_in(client, receipt, address="192.0.2.200").status_code == 429
    # A receipt code that does not exist is limited the same way, so the limit tells nothing either.
    for n in range(3):
        sign_in(client, receipt, code="ZZZZ-ZZZZ-ZZZZ-ZZZZ", address=f"198.51.100.{n + 20}")
    assert sign_in(client, receipt, code="ZZZZ-ZZZZ-ZZZZ-ZZZZ", address="192.0.2.201").status_code == 429


def test_without_a_valid_cookie_the_case_is_not_shown(client, world, receipt):
    assert client.get(CASE_URL)["Location"] == URL
    # A cookie made for the case number alone, without the binding to its secret, is refused.
    signer = signing.get_cookie_signer(salt=views.FOLLOW_COOKIE + views.FOLLOW_SALT)
    started = int(views.time.time())
    client.cookies[views.FOLLOW_COOKIE] = signer.sign(f"{receipt.case.pk}:{'0' * 32}:{started}")
    assert client.get(CASE_URL).status_code == 302
    # The same cookie with the binding to the secret's hash opens it: the binding is what was missing.
    bound = views._binding(Case.objects.get(pk=receipt.case.pk))
    client.cookies[views.FOLLOW_COOKIE] = signer.sign(f"{receipt.case.pk}:{bound}:{started}")
    assert client.get(CASE_URL).status_code == 200


def test_the_cookie_expires_after_the_absolute_limit(client, world, receipt, monkeypatch):
    sign_in(client, receipt)
    assert client.get(CASE_URL).status_code == 200
    real = views.time.time
    monkeypatch.setattr(views.time, "time", lambda: real() + views.FOLLOW_MAX_SECONDS + 5)
    assert client.get(CASE_URL).status_code == 302


def test_leaving_removes_the_cookie(client, world, receipt):
    sign_in(client, receipt)
    response = client.post("/speak-up/follow/leave/")
    assert response.status_code == 302
    assert response.cookies[views.FOLLOW_COOKIE].value == ""
    assert client.get(CASE_URL).status_code == 302


def test_a_signed_in_user_following_a_case_leaves_no_trace_in_their_session(client_for, world, receipt):
    client = client_for("staff")
    session = Session.objects.get()
    before = session.session_data
    sign_in(client, receipt)
    client.post(CASE_URL, {"action": "reply", "reply-body": "Still happening."})
    session.refresh_from_db()
    assert session.session_data == before


def test_codes_are_normalised(world):
    assert credentials.normalise(" abcd-efgh jkmn-pqrs ") == "ABCDEFGHJKMNPQRS"
    assert credentials.grouped("ABCDEFGHJKMNPQRS") == "ABCD-EFGH-JKMN-PQRS"
    assert len({credentials.new_code(16) for _ in range(200)}) == 200
