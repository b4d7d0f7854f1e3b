"""Promotions go through the gate on every path; exceptions need someone else's approval and expire."""

import datetime

from django.utils import timezone

from carelead.audit.models import AuditLog
from carelead.people.models import Person
from carelead.standards.models import GateException
from carelead.standards.tests.test_gate import complete, curriculum  # noqa: F401 - fixture


def promote(client, staff_id="RAA-00003", level="first_line"):
    return client.post(
        f"/standards/people/{staff_id}/level/",
        {
            "level": level,
            "pay_band": "7",
            "job_title": "Ward Manager",
            "effective_on": timezone.localdate().isoformat(),
        },
    )


def test_a_promotion_is_refused_with_what_is_missing_then_allowed(client_for, world, curriculum):  # noqa: F811
    hr = client_for("org_hr")
    refused = promote(hr)
    assert refused.status_code == 200
    assert b"T-REQ-IND" in refused.content and b"Request an exception" in refused.content
    assert Person.objects.get(staff_id="RAA-00003").level == "staff"
    complete(world.people["member"], "T-IND")
    assert promote(hr).status_code == 302
    person = Person.objects.get(staff_id="RAA-00003")
    assert (person.level, person.pay_band) == ("first_line", "7")
    assert person.history.filter(kind="changed", level="first_line").exists()


def test_exception_needs_another_decider_and_then_lets_the_promotion_through(client_for, world, curriculum):  # noqa: F811
    hr = client_for("org_hr")
    ends = (timezone.localdate() + datetime.timedelta(days=90)).isoformat()
    hr.post(
        "/standards/people/RAA-00003/exception/",
        {"level": "first_line", "reason": "Interim ward cover", "expires_on": ends},
    )
    exception = GateException.objects.get()
    assert exception.status == "requested"
    talent = client_for("regional_talent")
    talent.post(f"/standards/exceptions/{exception.pk}/decide/", {"decision": "approve"})
    exception.refresh_from_db()
    assert exception.status == "approved" and exception.decided_by == world.users["regional_talent"]
    assert promote(client_for("org_hr")).status_code == 302
    assert AuditLog.objects.filter(object_type="standards.GateException").count() == 2


def test_nobody_decides_their_own_request(world, curriculum):  # noqa: F811
    import pytest
    from django.core.exceptions import ValidationError

    from carelead.standards.services import exception_decide

    exception = GateException.objects.create(
        person=world.people["member"],
        level="first_line",
        reason="x",
        requested_by=world.users["national_admin"],
        expires_on=timezone.localdate() + datetime.timedelta(days=5),
    )
    with pytest.raises(ValidationError):
        exception_decide(exception=exception, approve=True, by=world.users["national_admin"])


def test_a_decider_outside_the_region_cannot_reach_the_request(client_for, world, curriculum):  # noqa: F811
    from carelead.accounts.models import RoleAssignment

    exception = GateException.objects.create(
        person=world.people["rcc"],
        level="first_line",
        reason="x",
        requested_by=world.users["org_hr"],
        expires_on=timezone.localdate() + datetime.timedelta(days=5),
    )
    assert RoleAssignment.objects.get(user=world.users["regional_talent"]).organisation.code == "Y99"
    response = client_for("regional_talent").post(
        f"/standards/exceptions/{exception.pk}/decide/", {"decision": "approve"}
    )
    assert response.status_code == 404


def test_the_regulator_sees_published_counts_and_no_individuals(client_for, world, curriculum):  # noqa: F811
    for i in range(3):
        GateException.objects.create(
            person=world.people["member"],
            level="first_line",
            reason=f"r{i}",
            requested_by=world.users["org_hr"],
            expires_on=timezone.localdate() + datetime.timedelta(days=5),
        )
    page = client_for("regulator").get("/standards/exceptions/").content.decode()
    assert "Holdout Large Trust" in page and 'app-number">*<' in page
    assert "Sam Staffmember" not in page and "r1" not in page
    hr_page = client_for("org_hr").get("/standards/exceptions/").content.decode()
    assert "Sam Staffmember" in hr_page and 'app-number">3<' in hr_page
