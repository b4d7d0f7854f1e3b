"""The public registration of interest: validation, the honeypot, the rate limit, no account enumeration and
nothing stored beyond what the candidate gave."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from carelead.audit.models import AuditLog
from carelead.nedpool.models import Candidate, CandidateMonitoring, CandidateSkill

URL = "/ned/register/"
ADDRESS = "203.0.113.9"
AGENT = "Mozilla/5.0 (Test Browser 99)"


def good(**changes) -> dict:
    data = {
        "name": "Priya Patel",
        "email": "Priya.Patel@example.org",
        "phone": "01632 960 001",
        "regions": ["Y99"],
        "sectors": ["nhs", "social_care"],
        "roles": ["non_executive", "chair"],
        "skills": ["finance", "lived_experience"],
        "statement": "I have run a community charity for ten years.",
        "board_experience": "Trustee of a housing association.",
        "consent": "on",
        "sex": "F",
        "ethnic_category": "H",
        "disability": "N",
        "website": "",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def post(client, data, address=ADDRESS):
    return client.post(URL, data, REMOTE_ADDR=address, HTTP_USER_AGENT=AGENT)


def test_the_form_needs_no_account_and_is_not_cached(client, world):
    page = client.get(URL)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Register your interest in a board role" in text and "Holdout Region" in text
    assert "Lived experience of the communities served" in text and "Prefer not to say" in text
    assert "no-cache" in page["Cache-Control"] or "max-age=0" in page["Cache-Control"]


def test_a_good_registration_is_stored_with_monitoring_kept_apart(client, world):
    response = post(client, good())
    assert response.status_code == 302 and response["Location"] == "/ned/register/done/"
    candidate = Candidate.objects.get()
    assert candidate.name == "Priya Patel" and candidate.email == "priya.patel@example.org"
    assert candidate.phone == "01632 960 001"
    assert list(candidate.regions.values_list("code", flat=True)) == ["Y99"]
    assert candidate.sector_nhs and candidate.sector_social_care
    assert candidate.roles == ["non_executive", "chair"]
    assert candidate.status == "registered" and candidate.readiness == ""
    assert sorted(CandidateSkill.objects.filter(validated=False).values_list("skill", flat=True)) == [
        "finance",
        "lived_experience",
    ]
    monitoring = CandidateMonitoring.objects.get(candidate=candidate)
    assert (monitoring.sex, monitoring.ethnic_category, monitoring.disability) == ("F", "H", "N")
    entry = AuditLog.objects.get(object_type="nedpool.Candidate")
    assert entry.action == "create" and entry.actor_label == "system:ned-registration"
    page = client.get(response["Location"]).content.decode()
    assert "Thank you for registering your interest" in page


def test_nothing_is_stored_beyond_the_submission(client, world):
    post(client, good())
    candidate = Candidate.objects.get()
    stored = []
    for row in (candidate, candidate.monitoring, *candidate.skills.all(), *AuditLog.objects.all()):
        stored.extend(str(getattr(row, f.attname)) for f in row._meta.concrete_fields)
    text = " ".join(stored)
    assert ADDRESS not in text and "Test Browser" not in text
    # The rate limit keeps a salted hash of the address in the cache, never the address itself.
    keys = " ".join(str(k) for k in cache._cache)
    assert "nedpool:registrations:" in keys and ADDRESS not in keys


def test_monitoring_left_unanswered_stores_no_monitoring_row(client, world):
    post(client, good(sex="", ethnic_category="", disability=""))
    assert Candidate.objects.count() == 1 and CandidateMonitoring.objects.count() == 0


def test_prefer_not_to_say_is_kept_as_the_staff_record_codes(client, world):
    post(client, good(sex="U", ethnic_category="Z", disability="U"))
    monitoring = CandidateMonitoring.objects.get()
    assert (monitoring.sex, monitoring.ethnic_category, monitoring.disability) == ("U", "Z", "U")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"name": ""}, "Enter your full name"),
        ({"name": "   "}, "Enter your full name"),
        ({"email": ""}, "Enter your email address"),
        ({"email": "not-an-email"}, "Enter an email address in the correct format, like name@example.com"),
        ({"phone": "call me maybe"}, "Enter a telephone number, like 01632 960 001 or +44 7700 900 982"),
        ({"regions": None}, "Select at least one region"),
        ({"regions": ["QZZ"]}, "Select regions from the list"),
        ({"sectors": None}, "Select NHS, adult social care or both"),
        ({"roles": None}, "Select at least one kind of role"),
        ({"skills": None}, "Select at least one area of skills and experience"),
        ({"skills": ["juggling"]}, "Select skills from the list"),
        ({"statement": ""}, "Tell us why you are interested in a board role"),
        ({"statement": "x" * 2001}, "Why are you interested in a board role? must be 2,000 characters or fewer"),
        ({"consent": None}, "Confirm that you agree to how your details are used and kept"),
        ({"ethnic_category": "Q"}, "Select an answer from the list"),
        ({"sex": "Z"}, "Select an answer from the list"),
    ],
)
def test_each_bad_answer_gets_its_own_message(client, world, changes, message):
    response = post(client, good(**changes))
    assert response.status_code == 200
    text = response.content.decode()
    assert "There is a problem" in text and message in text
    assert "<title>Error: " in text
    assert Candidate.objects.count() == 0


def test_the_honeypot_is_answered_like_a_registration_and_keeps_nothing(client, world):
    response = post(client, good(website="http://spam.example"))
    assert response.status_code == 302 and response["Location"] == "/ned/register/done/"
    assert Candidate.objects.count() == 0 and AuditLog.objects.filter(object_type="nedpool.Candidate").count() == 0


def test_the_honeypot_is_hidden_from_people(client, world):
    text = client.get(URL).content.decode()
    assert 'aria-hidden="true"' in text and 'name="website"' in text and 'tabindex="-1"' in text
    assert "style=" not in text


def test_registrations_are_limited_per_address(client, world):
    for i in range(5):
        assert post(client, good(email=f"person{i}@example.org")).status_code == 302
    refused = post(client, good(email="person9@example.org"))
    assert refused.status_code == 429 and "Too many attempts to register" in refused.content.decode()
    assert Candidate.objects.count() == 5
    # Another address is not held back.
    assert post(client, good(email="other@example.org"), address="198.51.100.7").status_code == 302


def test_attempts_with_errors_are_limited_too(client, world, settings):
    settings.CARELEAD_NED_REGISTRATION_LIMITS = {"REGISTRATIONS": 5, "ATTEMPTS": 3}
    for _ in range(3):
        assert post(client, good(name="")).status_code == 200
    assert post(client, good()).status_code == 429
    assert Candidate.objects.count() == 0


def test_a_repeated_email_gets_the_same_answer_and_changes_nothing(client, world):
    first = post(client, good())
    again = post(client, good(name="Someone Else", email="PRIYA.patel@example.org", regions=["Y98"], sex="M"))
    assert (first.status_code, first["Location"]) == (again.status_code, again["Location"])
    assert client.get(first["Location"]).content == client.get(again["Location"]).content
    candidate = Candidate.objects.get()
    assert candidate.name == "Priya Patel" and list(candidate.regions.values_list("code", flat=True)) == ["Y99"]
    assert candidate.monitoring.sex == "F"
    assert candidate.repeat_registrations == 1 and candidate.last_repeat_at is not None
    entries = AuditLog.objects.filter(object_type="nedpool.Candidate").order_by("id")
    assert [e.action for e in entries] == ["create", "update"]
    assert entries[1].changes == {"repeat_registrations": [0, 1]}


def test_the_form_page_queries_do_not_grow(client, world):
    with CaptureQueriesContext(connection) as small:
        client.get(URL)
    with CaptureQueriesContext(connection) as done_small:
        client.get("/ned/register/done/")
    from carelead.core.choices import OrganisationType
    from carelead.organisations.models import Organisation

    for i in range(10):
        Organisation.objects.create(
            code=f"Y{i}X", name=f"Region {i}", type=OrganisationType.REGION, sector="nhs", path=f"/r{i}/"
        )
    with CaptureQueriesContext(connection) as large:
        client.get(URL)
    post(client, good())
    with CaptureQueriesContext(connection) as done_large:
        client.get("/ned/register/done/")
    assert len(large) == len(small) <= 3
    assert len(done_large) == len(done_small) == 0
