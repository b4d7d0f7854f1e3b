"""Status history (through the service, a plain save and the bulk sync) and incentive packages: their limits,
who may propose them, and approval by someone else with a reason."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings
from django.utils import timezone

from carelead.accounts.tests.factories import RoleAssignmentFactory, UserFactory
from carelead.audit.models import AuditLog
from carelead.challenged.models import IncentivePackage, StatusChange
from carelead.challenged.services import (
    package_decide,
    package_propose,
    status_change_record,
    status_history_sync,
)
from carelead.organisations.models import Organisation
from carelead.vacancies.tests.factories import VacancyFactory

TODAY = timezone.localdate()


def assignment(world, persona):
    return world.users[persona].assignments.get()


def record(world, org, persona="regional_talent", **values):
    data = {"effective_on": TODAY, "oversight_segment": None, "cqc_rating": "", "note": ""}
    data.update(values)
    return status_change_record(
        organisation=org, by=world.users[persona], assignment=assignment(world, persona), **data
    )


def history(org):
    return list(
        StatusChange.objects.filter(organisation=org)
        .order_by("effective_on", "pk")
        .values_list("effective_on", "oversight_segment", "cqc_rating", "challenged")
    )


# Status history ---------------------------------------------------------------------------------------------


def test_the_latest_change_updates_the_organisation_and_is_audited(world):
    raa = world.orgs["RAA"]
    change = record(world, raa, oversight_segment=5, cqc_rating="good", note="Entered the programme")
    raa.refresh_from_db()
    assert (raa.oversight_segment, raa.cqc_rating, raa.is_challenged) == (5, "good", True)
    assert change.challenged and change.recorded_by == world.users["regional_talent"]
    # One row from the organisation's creation, one from the service; the save it made added none.
    assert history(raa)[-1] == (TODAY, 5, "good", True)
    assert StatusChange.objects.filter(organisation=raa).count() == 2
    assert AuditLog.objects.filter(object_type="challenged.StatusChange", object_id=str(change.pk)).exists()
    assert AuditLog.objects.filter(object_type="organisations.Organisation", object_id="RAA").exists()


def test_a_backdated_change_joins_the_history_but_leaves_current_values(world):
    rbb = world.orgs["RBB"]
    record(world, rbb, effective_on=datetime.date(2025, 6, 1), oversight_segment=4)
    rbb.refresh_from_db()
    assert rbb.oversight_segment == 5  # the row from creation (today) is still the latest
    assert [h[:2] for h in history(rbb)] == [(datetime.date(2025, 6, 1), 4), (TODAY, 5)]


def test_status_is_validated_with_errors_by_field(world):
    raa = world.orgs["RAA"]
    cases = [
        ({"effective_on": TODAY + datetime.timedelta(days=1), "oversight_segment": 3}, "effective_on"),
        ({"oversight_segment": 6}, "oversight_segment"),
        ({"effective_on": datetime.date(2024, 6, 1), "oversight_segment": 5}, "oversight_segment"),
        ({"cqc_rating": "brilliant"}, "cqc_rating"),
        ({}, "oversight_segment"),
        ({"oversight_segment": 2, "cqc_rating": "good"}, "effective_on"),  # nothing changes
    ]
    for values, field in cases:
        with pytest.raises(ValidationError) as exc:
            record(world, raa, **values)
        assert field in exc.value.message_dict, values
    assert StatusChange.objects.filter(organisation=raa).count() == 1


def test_only_the_region_or_national_admin_records_status(world):
    with pytest.raises(PermissionDenied):
        record(world, world.orgs["RCC"], oversight_segment=3)  # another region
    with pytest.raises(PermissionDenied):
        record(world, world.orgs["RAA"], persona="org_hr", oversight_segment=3)
    record(world, world.orgs["RCC"], persona="national_admin", oversight_segment=3, cqc_rating="good")
    assert not world.orgs["RCC"].__class__.objects.get(code="RCC").is_challenged


def test_a_plain_save_of_the_organisation_leaves_a_history_row(world):
    rbb = Organisation.objects.get(code="RBB")
    assert history(rbb) == [(TODAY, 5, "", True)]  # from its creation
    rbb.oversight_segment, rbb.cqc_rating = 3, "requires_improvement"
    rbb.save()
    assert history(rbb)[-1] == (TODAY, 3, "requires_improvement", False)
    # Saving other fields, or the same values, adds nothing.
    rbb.name = "Holdout Small Trust (renamed)"
    rbb.save()
    rbb.save(update_fields=["name"])
    assert len(history(rbb)) == 2
    # A queryset update sends no signal: the sync catches it.
    Organisation.objects.filter(pk=rbb.pk).update(cqc_rating="inadequate")
    assert len(history(rbb)) == 2
    assert status_history_sync() == 1
    assert history(rbb)[-1] == (TODAY, 3, "inadequate", True)
    assert status_history_sync() == 0


def test_a_new_organisation_with_no_status_has_no_history(world):
    org = Organisation.objects.create(
        code="RZZ", name="New Trust", type="trust", sector="nhs", parent=world.orgs["QZZ"]
    )
    assert history(org) == []
    assert status_history_sync() == 0


# Incentive packages -----------------------------------------------------------------------------------------

GOOD_TERMS = {
    "pay_uplift_percent": Decimal("15"),
    "pay_uplift_cap": 45000,
    "bonus_percent": Decimal("10"),
    "mentor": True,
    "coach": False,
    "improvement_support": True,
    "relocation": 8000,
    "return_guarantee": True,
    "notes": "For the first two years",
}


@pytest.fixture
def vacancy(world):
    return VacancyFactory(organisation=world.orgs["RBB"], level="executive", created_by=world.users["org_hr"])


def propose(world, vacancy, persona="regional_talent", **changes):
    return package_propose(
        vacancy=vacancy,
        values={**GOOD_TERMS, **changes},
        by=world.users[persona],
        assignment=assignment(world, persona),
    )


def test_a_package_at_the_limits_is_accepted_and_audited(world, vacancy):
    package = propose(world, vacancy)
    assert package.status == "proposed" and package.pay_uplift_cap == 45000
    assert AuditLog.objects.filter(object_type="challenged.IncentivePackage", object_id=str(package.pk)).exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"pay_uplift_percent": Decimal("15.1")}, "pay_uplift_percent"),
        ({"pay_uplift_cap": 45001}, "pay_uplift_cap"),
        ({"pay_uplift_cap": 0}, "pay_uplift_cap"),  # an uplift needs its cap
        ({"pay_uplift_percent": Decimal("0")}, "pay_uplift_cap"),  # a cap needs an uplift
        ({"bonus_percent": Decimal("10.5")}, "bonus_percent"),
        ({"relocation": -1}, "relocation"),
    ],
)
def test_terms_beyond_the_limits_are_refused_naming_the_field(world, vacancy, changes, field):
    with pytest.raises(ValidationError) as exc:
        propose(world, vacancy, **changes)
    assert field in exc.value.message_dict
    assert not IncentivePackage.objects.exists()


@override_settings(CARELEAD_INCENTIVE_MAX_UPLIFT_PERCENT="20", CARELEAD_INCENTIVE_MAX_BONUS_PERCENT=5)
def test_the_limits_are_settings(world, vacancy):
    with pytest.raises(ValidationError) as exc:
        propose(world, vacancy)
    assert "at most 5%" in exc.value.message_dict["bonus_percent"][0]
    assert propose(world, vacancy, pay_uplift_percent=Decimal("20"), bonus_percent=Decimal("5")).pk


def test_packages_only_on_leadership_vacancies_of_challenged_organisations(world):
    at_raa = VacancyFactory(organisation=world.orgs["RAA"], level="senior", created_by=world.users["org_hr"])
    with pytest.raises(ValidationError, match="not a challenged organisation"):
        propose(world, at_raa, persona="org_hr")
    staff_level = VacancyFactory(organisation=world.orgs["RBB"], level="staff", created_by=world.users["org_hr"])
    with pytest.raises(ValidationError, match="not a leadership role"):
        propose(world, staff_level)
    filled = VacancyFactory(
        organisation=world.orgs["RBB"], level="senior", status="filled", created_by=world.users["org_hr"]
    )
    with pytest.raises(ValidationError, match="filled"):
        propose(world, filled)


def test_org_hr_proposes_for_their_own_organisation_only(world, vacancy):
    with pytest.raises(PermissionDenied):
        propose(world, vacancy, persona="org_hr")  # RBB is not the HR lead's RAA
    raa = world.orgs["RAA"]
    raa.cqc_rating = "inadequate"
    raa.save()
    own = VacancyFactory(organisation=raa, level="middle", created_by=world.users["org_hr"])
    assert propose(world, own, persona="org_hr").proposed_by == world.users["org_hr"]
    far = VacancyFactory(organisation=world.orgs["RCC"], level="senior", created_by=world.users["org_hr"])
    with pytest.raises(PermissionDenied):
        propose(world, far)  # another region


def _second_regional_lead(world):
    user = UserFactory(email="regional2@example.org", full_name="Second Regional Lead")
    RoleAssignmentFactory(user=user, role="regional_talent", organisation=world.orgs["Y99"])
    return user


def test_approval_is_by_someone_other_than_the_proposer_with_a_reason(world, vacancy):
    package = propose(world, vacancy)
    own = assignment(world, "regional_talent")
    with pytest.raises(ValidationError, match="other than the person who proposed"):
        package_decide(package=package, approve=True, reason="Fine", by=world.users["regional_talent"], assignment=own)
    other = _second_regional_lead(world)
    other_assignment = other.assignments.get()
    with pytest.raises(ValidationError) as exc:
        package_decide(package=package, approve=True, reason="  ", by=other, assignment=other_assignment)
    assert "reason" in exc.value.message_dict
    package = package_decide(
        package=package,
        approve=True,
        reason="Within policy; the trust needs stability",
        by=other,
        assignment=other_assignment,
    )
    assert (package.status, package.decided_by, package.decided_on) == ("approved", other, TODAY)
    assert AuditLog.objects.filter(
        object_type="challenged.IncentivePackage", object_repr__startswith="Approved"
    ).exists()
    with pytest.raises(ValidationError, match="already approved"):
        package_decide(package=package, approve=False, reason="No", by=other, assignment=other_assignment)
    with pytest.raises(ValidationError, match="already approved"):
        propose(world, vacancy, persona="regional_talent")


def test_a_declined_package_can_be_revised_and_proposed_again(world, vacancy):
    package = propose(world, vacancy)
    other = _second_regional_lead(world)
    package_decide(
        package=package, approve=False, reason="Bonus too high", by=other, assignment=other.assignments.get()
    )
    revised = propose(world, vacancy, bonus_percent=Decimal("5"))
    assert revised.pk == package.pk and revised.status == "proposed" and revised.decided_by is None
    assert revised.bonus_percent == Decimal("5")


def test_only_the_regions_talent_team_decides(world):
    far = VacancyFactory(organisation=world.orgs["RCC"], level="senior", created_by=world.users["org_hr"])
    package = IncentivePackage.objects.create(vacancy=far, proposed_by=world.users["national_admin"])
    with pytest.raises(PermissionDenied):
        package_decide(
            package=package,
            approve=True,
            reason="ok",
            by=world.users["regional_talent"],
            assignment=assignment(world, "regional_talent"),
        )
    with pytest.raises(PermissionDenied):
        package_decide(
            package=package,
            approve=True,
            reason="ok",
            by=world.users["national_admin"],
            assignment=assignment(world, "national_admin"),
        )


def test_the_sync_command_records_bulk_changes(world):
    from io import StringIO

    from django.core.management import call_command

    Organisation.objects.filter(code="RAA").update(oversight_segment=5)
    out = StringIO()
    call_command("status_history_sync", stdout=out)
    assert "1 status history rows recorded" in out.getvalue()
    assert history(world.orgs["RAA"])[-1] == (TODAY, 5, "good", True)
