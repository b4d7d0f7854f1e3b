"""National administrators manage accreditation and drafts; changes take effect in the gate at once."""

import io
import json

from carelead.learning.models import TrainingRecord
from carelead.standards.gate import eligibility_for_level
from carelead.standards.loading import framework_document
from carelead.standards.models import Accreditation, Framework


def test_suspending_an_accreditation_stops_its_completions_counting(client_for, world):
    TrainingRecord.objects.create(
        record_id="S1",
        person=world.people["member"],
        course_code="IND-101",
        mandatory=False,
        date="2026-01-10",
        provider_code="PRV01",
    )
    assert eligibility_for_level(person=world.people["member"], level="first_line").eligible
    accreditation = Accreditation.objects.get(provider__code="PRV01", module__code="IND-101")
    client_for("national_admin").post(f"/standards/accreditations/{accreditation.pk}/status/", {"status": "suspended"})
    assert not eligibility_for_level(person=world.people["member"], level="first_line").eligible


def test_add_a_provider_and_an_accreditation(client_for, world):
    admin = client_for("national_admin")
    admin.post(
        "/standards/providers/",
        {"form": "provider", "p-code": "prv09", "p-name": "New Academy", "p-organisation_code": "PRV01"},
    )
    admin.post(
        "/standards/providers/",
        {
            "form": "accreditation",
            "a-provider": "PRV09",
            "a-module": "IND-101",
            "a-valid_from": "2026-01-01",
            "a-valid_to": "",
            "a-reference": "ACC-9",
        },
    )
    assert Accreditation.objects.filter(provider__code="PRV09", module__code="IND-101", reference="ACC-9").exists()
    bad = admin.post(
        "/standards/providers/",
        {
            "form": "accreditation",
            "a-provider": "PRV09",
            "a-module": "IND-101",
            "a-valid_from": "2026-01-01",
            "a-valid_to": "2025-01-01",
            "a-reference": "ACC-10",
        },
    )
    assert b"must end after it starts" in bad.content


def test_a_draft_is_replaced_from_a_file_then_published_and_frozen(client_for, world):
    admin = client_for("national_admin")
    published = Framework.objects.get(code="CLMS", status="published")
    admin.post(f"/standards/CLMS/{published.version}/new-version/")
    draft = Framework.objects.get(code="CLMS", status="draft")
    document = framework_document(draft)
    document["domains"][0]["standards"][0]["title"] = "A clearer title"
    upload = io.BytesIO(json.dumps(document).encode())
    upload.name = "draft.json"
    admin.post(f"/standards/CLMS/{draft.version}/replace/", {"file": upload})
    draft = Framework.objects.get(code="CLMS", status="draft")
    assert draft.domains.order_by("order").first().standards.order_by("order").first().title == "A clearer title"
    compare = admin.get(f"/standards/CLMS/compare/?from={published.version}&to={draft.version}").content.decode()
    assert "A clearer title" in compare
    admin.post(f"/standards/CLMS/{draft.version}/publish/")
    assert Framework.objects.get(code="CLMS", version=draft.version).status == "published"
    assert Framework.objects.get(code="CLMS", version=published.version).status == "retired"
    refused = admin.post(f"/standards/CLMS/{draft.version}/replace/", {"file": upload})
    assert refused.status_code == 404
