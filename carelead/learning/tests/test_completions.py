"""Providers report completions by API and xAPI: validated, all or nothing, idempotent, own modules only."""

from rest_framework.authtoken.models import Token

from carelead.learning.models import TrainingRecord
from carelead.standards.gate import eligibility_for_level


def auth(world, persona="provider"):
    token, _ = Token.objects.get_or_create(user=world.users[persona])
    return {"HTTP_AUTHORIZATION": f"Token {token.key}"}


def test_a_completion_is_recorded_idempotently_and_meets_the_requirement(client, world):
    headers = auth(world)
    body = {"record_id": "C-1", "staff_id": "RAA-00003", "module": "IND-101", "date": "2026-01-10"}
    first = client.post("/api/v1/completions/", body, content_type="application/json", **headers)
    assert first.status_code == 200 and first.json() == {"created": 1, "updated": 0, "unchanged": 0}
    again = client.post("/api/v1/completions/", [body], content_type="application/json", **headers)
    assert again.json() == {"created": 0, "updated": 0, "unchanged": 1}
    record = TrainingRecord.objects.get()
    assert (record.record_id, record.provider_code) == ("PRV01:C-1", "PRV01")
    assert eligibility_for_level(person=world.people["member"], level="first_line").eligible


def test_bad_items_are_named_and_nothing_is_written(client, world):
    items = [
        {"record_id": "OK-1", "staff_id": "RAA-00003", "module": "IND-101", "date": "2026-01-10"},
        {"record_id": "BAD-1", "staff_id": "NOBODY", "module": "IND-101", "date": "2026-01-10"},
        {"record_id": "BAD-2", "staff_id": "RAA-00003", "module": "MID-321", "date": "2026-01-10"},
        {"record_id": "OK-1", "staff_id": "RAA-00003", "module": "IND-101", "date": "2026-01-11"},
    ]
    response = client.post("/api/v1/completions/", items, content_type="application/json", **auth(world))
    assert response.status_code == 400
    fields = response.json()["error"]["fields"]
    assert set(fields) == {"1", "2", "3"}
    assert "staff_id" in fields["1"] and "module" in fields["2"] and "record_id" in fields["3"]
    assert not TrainingRecord.objects.exists()


def test_a_date_outside_the_accreditation_is_refused(client, world):
    body = {"record_id": "OLD", "staff_id": "RAA-00003", "module": "IND-101", "date": "2019-01-01"}
    response = client.post("/api/v1/completions/", body, content_type="application/json", **auth(world))
    assert response.status_code == 400 and "date" in response.json()["error"]["fields"]["0"]


def test_other_roles_cannot_post(client, world):
    body = {"record_id": "X", "staff_id": "RAA-00003", "module": "IND-101", "date": "2026-01-10"}
    response = client.post("/api/v1/completions/", body, content_type="application/json", **auth(world, "org_hr"))
    assert response.status_code == 403


def test_xapi_completed_and_passed_statements_are_recorded_others_ignored(client, world):
    def statement(verb, sid):
        return {
            "id": sid,
            "actor": {"account": {"homePage": "https://carelead.example", "name": "RAA-00003"}},
            "verb": {"id": f"http://adlnet.gov/expapi/verbs/{verb}"},
            "object": {"id": "https://carelead.example/modules/IND-101"},
            "timestamp": "2026-02-01T10:00:00Z",
            "result": {"completion": True},
        }

    statements = [
        statement("completed", "6f1c2f1e-4c1e-4bde-9a4f-0a6d5b0e1c11"),
        statement("experienced", "6f1c2f1e-4c1e-4bde-9a4f-0a6d5b0e1c12"),
    ]
    response = client.post("/api/xapi/statements", statements, content_type="application/json", **auth(world))
    assert response.status_code == 200 and len(response.json()) == 2
    assert TrainingRecord.objects.count() == 1
    bad = client.post(
        "/api/xapi/statements", [{"verb": {"id": "x"}, "actor": 3}], content_type="application/json", **auth(world)
    )
    assert bad.status_code == 200
    broken = client.post("/api/xapi/statements", [{"id": "not-a-uuid"}], content_type="application/json", **auth(world))
    assert broken.status_code == 400


def test_the_provider_page_lists_accreditations_and_reported_completions(client_for, world, client):
    body = {"record_id": "C-9", "staff_id": "RAA-00003", "module": "IND-101", "date": "2026-01-10"}
    client.post("/api/v1/completions/", body, content_type="application/json", **auth(world))
    page = client_for("provider").get("/provider/").content.decode()
    assert "National induction to health and social care" in page and "C-9" in page


def test_a_provider_describes_how_it_runs_a_module_and_learners_see_it(client_for, world):
    provider = client_for("provider")
    assert provider.get("/provider/modules/MID-321/").status_code == 404  # PRV01 is not accredited for it
    response = provider.post(
        "/provider/modules/IND-101/",
        {
            "mode": "virtual",
            "description": "Four sessions",
            "booking_url": "https://example.org/book",
            "next_start": "2027-01-12",
            "active": "on",
        },
    )
    assert response.status_code == 302
    page = client_for("staff").get("/standards/curriculum/").content.decode()
    assert "live online sessions, next starts 2027-01-12" in page and "https://example.org/book" in page
