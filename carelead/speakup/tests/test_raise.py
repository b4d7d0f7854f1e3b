"""Raising a concern: choosing the organisation, the three ways to be known, validation, the honeypot, the rate
limit, and nothing stored about the reporter beyond what they chose to give."""

import re

import pytest
from django.contrib.sessions.models import Session
from django.db import models

from carelead.accounts.middleware import SEEN_AT_KEY, SIGNED_IN_AT_KEY
from carelead.audit.models import AuditLog
from carelead.speakup import credentials
from carelead.speakup.models import Case, Escalation, IdentityAccess, Message, Note

URL = "/speak-up/raise/"
ADDRESS = "203.0.113.77"
AGENT = "Mozilla/5.0 (SpeakUpTest Browser 42)"
SPEAKUP_MODELS = (Case, Message, Note, Escalation, IdentityAccess)


def good(**changes) -> dict:
    data = {
        "organisation": "RAA",
        "mode": "anonymous",
        "description": "Agency staff on ward 7 are told not to report falls.",
        "categories": ["patient_safety", "behaviour"],
        "professional_group": "care_workers",
        "name": "",
        "email": "",
        "phone": "",
        "submission": "",
        "website": "",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def post(client, data, address=ADDRESS):
    return client.post(URL, data, REMOTE_ADDR=address, HTTP_USER_AGENT=AGENT)


def codes(response) -> tuple[str, str]:
    text = response.content.decode()
    receipt = re.search(r'id="receipt-code">([A-Z0-9-]+)<', text).group(1)
    secret = re.search(r'id="receipt-secret">([A-Z0-9-]+)<', text).group(1)
    return receipt, secret


def every_stored_value() -> list[tuple[str, str, object]]:
    """(model, column, value) for every column of every speak-up row."""
    values = []
    for model in SPEAKUP_MODELS:
        for row in model.objects.all():
            for field in row._meta.concrete_fields:
                values.append((model.__name__, field, getattr(row, field.attname)))
    return values


def test_the_start_page_explains_the_choices_without_an_account(client, world):
    page = client.get("/speak-up/")
    assert page.status_code == 200
    text = page.content.decode()
    for words in ("Named", "Confidential", "Anonymous", "receipt code", "secret", "not even the guardian"):
        assert words in text
    assert "no-cache" in page["Cache-Control"] or "max-age=0" in page["Cache-Control"]


def test_organisations_are_found_by_name_or_code_but_not_regions_or_the_national_body(client, world):
    text = client.get(URL, {"q": "holdout"}).content.decode()
    assert "Holdout Large Trust" in text and "Holdout Small Trust" in text and "Holdout ICB" in text
    assert "Holdout Region" not in text
    assert "Meadow View Care Home" in client.get(URL, {"q": "cp001"}).content.decode()
    assert "NHS England" not in client.get(URL, {"q": "X24"}).content.decode()
    # A region's code in the form sends the reporter back to the search.
    assert "Which organisation is your concern about?" in client.get(URL, {"org": "Y99"}).content.decode()
    form = client.get(URL, {"org": "raa"}).content.decode()
    assert "Raise a concern with Holdout Large Trust" in form
    for words in ("Only the guardians of the organisation see your name", "We keep no name, account, IP address"):
        assert words in form


def test_an_anonymous_concern_stores_nothing_about_the_reporter(client, world):
    audits = AuditLog.objects.count()
    response = post(client, good(name="Typed By Mistake", email="mistake@example.org"))
    assert response.status_code == 200
    receipt, secret = codes(response)
    assert len(credentials.normalise(receipt)) == 16 and len(credentials.normalise(secret)) == 12
    assert set(credentials.normalise(receipt)) <= set(credentials.ALPHABET)
    text = response.content.decode()
    assert "The name or contact details you typed were thrown away" in text
    case = Case.objects.get()
    assert case.mode == "anonymous" and case.organisation == world.orgs["RAA"]
    assert case.categories == ["patient_safety", "behaviour"]
    assert case.reported_categories == ["patient_safety", "behaviour"]
    assert case.professional_group == "care_workers"
    assert (case.reporter_name, case.reporter_email, case.reporter_phone) == ("", "", "")
    # The secret is kept only as a slow hash, the receipt only as a digest.
    assert credentials.normalise(secret) not in case.secret_hash and "$" in case.secret_hash
    assert case.receipt_digest == credentials.receipt_digest(receipt)
    assert credentials.normalise(receipt) not in str(every_stored_value())
    # Every column of every speak-up row: no user, no address, no device, no time of day.
    for model, field, value in every_stored_value():
        assert not isinstance(field, models.DateTimeField) or value is None, (model, field.name)
        if isinstance(field, models.ForeignKey) and field.related_model._meta.label == "accounts.User":
            assert value is None, (model, field.name)
        assert ADDRESS not in str(value) and "SpeakUpTest" not in str(value), (model, field.name)
        assert "Typed By Mistake" not in str(value) and "mistake@" not in str(value)
    assert not any(isinstance(f, models.DateTimeField) for f in Case._meta.concrete_fields)
    assert not any(isinstance(f, models.DateTimeField) for f in Message._meta.concrete_fields)
    # Nothing in the audit log, and no session was made for the visitor.
    assert AuditLog.objects.count() == audits
    assert Session.objects.count() == 0


def test_a_signed_in_worker_raising_anonymously_is_not_linked(client_for, world):
    client = client_for("staff")
    session = Session.objects.get()
    before = session.session_data
    audits = AuditLog.objects.count()
    response = post(client, good())
    assert response.status_code == 200
    case = Case.objects.get()
    user = world.users["staff"]
    stored = " ".join(str(value) for _, _, value in every_stored_value())
    for trace in (user.email, user.full_name, str(user.pk) + "@", "Sam", "Staffmember"):
        assert trace not in stored
    # The user's session is untouched and holds nothing of the case.
    session.refresh_from_db()
    assert session.session_data == before
    signed_in = {"_auth_user_id", "_auth_user_backend", "_auth_user_hash", SIGNED_IN_AT_KEY, SEEN_AT_KEY}
    assert set(session.get_decoded()) <= signed_in
    assert case.reporter_name == ""
    assert AuditLog.objects.count() == audits


@pytest.mark.parametrize("mode", ["named", "confidential"])
def test_named_and_confidential_concerns_keep_what_the_reporter_gave(client, world, mode):
    response = post(client, good(mode=mode, name="Jo Bloggs", email="Jo@Example.org", phone="01632 960 001"))
    assert response.status_code == 200
    case = Case.objects.get()
    assert (case.mode, case.reporter_name, case.reporter_email, case.reporter_phone) == (
        mode,
        "Jo Bloggs",
        "jo@example.org",
        "01632 960 001",
    )
    assert "thrown away" not in response.content.decode()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"mode": ""}, "Choose how you want to raise your concern"),
        ({"description": "  "}, "Describe your concern"),
        ({"categories": []}, "Select at least one thing your concern is about"),
        ({"categories": ["gossip"]}, "Select from the list"),
        ({"professional_group": "astronaut"}, "Select your professional group from the list"),
        ({"mode": "confidential", "name": ""}, "Enter your name, or choose to raise your concern anonymously"),
        ({"mode": "named", "name": "Jo", "email": "not-an-email"}, "Enter an email address in the correct format"),
        ({"mode": "named", "name": "Jo", "phone": "call me"}, "Enter a telephone number"),
    ],
)
def test_validation_messages(client, world, changes, message):
    response = post(client, good(**changes))
    assert response.status_code == 200
    text = response.content.decode()
    assert "There is a problem" in text and message in text
    assert not Case.objects.exists()


def test_the_service_refuses_identity_on_an_anonymous_concern_and_regions(world):
    from django.core.exceptions import ValidationError

    from carelead.speakup.services import case_raise

    with pytest.raises(ValidationError) as refused:
        case_raise(organisation=world.orgs["RAA"], mode="anonymous", description="x", categories=["other"], name="Jo")
    assert "cannot include your name" in str(refused.value)
    with pytest.raises(ValidationError) as refused:
        case_raise(organisation=world.orgs["Y99"], mode="anonymous", description="x", categories=["other"])
    assert "Choose the organisation" in str(refused.value)


def test_sending_the_same_form_twice_raises_one_concern(client, world):
    form = client.get(URL, {"org": "RAA"}).content.decode()
    submission = re.search(r'name="submission" value="([^"]+)"', form).group(1)
    assert post(client, good(submission=submission)).status_code == 200
    again = post(client, good(submission=submission))
    assert again.status_code == 409 and "already been sent" in again.content.decode()
    assert Case.objects.count() == 1


def test_the_honeypot_keeps_nothing_and_looks_the_same(client, world):
    response = post(client, good(website="http://spam.example"))
    assert response.status_code == 200 and "receipt-code" in response.content.decode()
    assert not Case.objects.exists()


def test_raising_is_rate_limited_per_address(client, world, settings):
    settings.CARELEAD_SPEAKUP_LIMITS = {"RAISED": 2, "ATTEMPTS": 30}
    for _ in range(2):
        assert post(client, good()).status_code == 200
    limited = post(client, good())
    assert limited.status_code == 429 and "Too many concerns sent" in limited.content.decode()
    assert post(client, good(), address="198.51.100.1").status_code == 200
    assert Case.objects.count() == 3
