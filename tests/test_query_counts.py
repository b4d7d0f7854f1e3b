"""List pages and API lists make the same number of queries whatever the amount of data (no N+1)."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from carelead.accounts.tests.factories import RoleAssignmentFactory, UserFactory
from carelead.audit.models import AuditLog
from carelead.audit.services import Actor, audit_record
from carelead.core.choices import OrganisationType
from carelead.imports.models import ImportJob
from carelead.organisations.models import Organisation
from carelead.organisations.services import organisation_tree_rebuild
from carelead.people.tests.factories import PersonFactory

PAGES = [
    ("national_admin", "/organisations/"),
    ("national_admin", "/organisations/QZZ/"),
    ("org_hr", "/people/"),
    ("org_hr", "/people/?q=Test"),
    ("line_manager", "/people/team/"),
    ("national_admin", "/accounts/users/"),
    ("org_admin", "/accounts/users/"),
    ("national_admin", "/audit/"),
    ("org_admin", "/audit/"),
    ("org_hr", "/imports/"),
    ("org_hr", "/api/v1/people/"),
    ("regulator", "/api/v1/organisations/"),
    ("org_hr", "/standards/induction/"),
    ("regulator", "/equality/?scope=icb:QZZ"),
    ("org_hr", "/equality/"),
    ("staff", "/appraisals/"),
    ("line_manager", "/talent/"),
    ("org_hr", "/appraisals/cycles/"),
    ("regulator", "/appraisals/completion/"),
    ("org_hr", "/equality/measures/WRES2/"),
    ("regulator", "/equality/measures/FAIR-PROMOTION/?scope=region:Y99"),
    ("regional_talent", "/equality/fairness/"),
    ("national_admin", "/equality/compare/?scope=national&measure=WRES3"),
    ("regulator", "/equality/evidence/?scope=org:RAA"),
    ("ned_team", "/equality/measures/"),
    ("line_manager", "/standards/team/"),
    ("org_hr", "/standards/compliance/"),
    ("national_admin", "/standards/induction/?by=region"),
    ("regulator", "/standards/induction/?by=icb"),
    ("org_hr", "/standards/exceptions/"),
    ("org_hr", "/standards/curriculum/"),
    ("national_admin", "/standards/"),
    ("org_hr", "/equality/actions/"),
    ("regional_talent", "/equality/actions/"),
    ("regulator", "/equality/actions/?org=RAA"),
    ("regional_talent", "/equality/actions/summary/?include_empty=on"),
    ("national_admin", "/equality/actions/summary/"),
    ("org_hr", "/boards/appraisals/?org=RAA"),
    ("ned_team", "/boards/appraisals/?org=RAA"),
    ("regional_talent", "/boards/appraisals/completion/"),
    ("national_admin", "/boards/appraisals/completion/?sort=name"),
    ("regulator", "/boards/appraisals/completion/"),
    ("staff", "/feedback/"),
    ("line_manager", "/feedback/team/"),
    ("org_hr", "/feedback/response-rates/"),
    ("national_admin", "/feedback/response-rates/"),
]


def grow(world, n: int) -> None:
    """Add n more of everything a list page shows."""
    raa, qzz = world.orgs["RAA"], world.orgs["QZZ"]
    start = Organisation.objects.count()
    for i in range(n):
        Organisation.objects.create(
            code=f"G{start + i:04d}",
            name=f"Grown Trust {start + i}",
            type=OrganisationType.TRUST,
            sector="nhs",
            parent=qzz,
        )
    organisation_tree_rebuild()
    for _ in range(n):
        person = PersonFactory(organisation=raa, line_manager=world.people["manager"], last_name="Test")
        user = UserFactory(person=person)
        RoleAssignmentFactory(user=user, role="staff", organisation=raa)
        audit_record(
            actor=Actor(user=user),
            action=AuditLog.Action.SIGN_IN,
            object_type="accounts.User",
            organisation_id=raa.pk,
            subject_person_id=person.pk,
        )
        ImportJob.objects.create(
            kind="staff",
            original_name=f"f{person.pk}.csv",
            file="x.csv",
            created_by=world.users["org_hr"],
            organisation=raa,
            status="done",
        )


def count(client, path: str) -> int:
    # Measure the uncached path every time: cached figures would make the two sizes incomparable.
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return len(captured)


@pytest.mark.parametrize(("persona", "path"), PAGES)
def test_queries_do_not_grow_with_data(client_for, world, persona, path):
    client = client_for(persona)
    grow(world, 3)
    small = count(client, path)
    grow(world, 20)
    large = count(client, path)
    assert large == small, f"{path}: {small} queries with little data, {large} with more"
    # With nothing cached, the equality pages compute both standards for every scope (about 25 queries) and the
    # fairness monitors (one GROUP BY per decision type and characteristic): a fixed cost, cached afterwards. An
    # organisation's action plan shows its measures furthest from parity, so it shares that cost.
    analytics = path.startswith("/equality/") and "/summary/" not in path
    assert small <= (60 if analytics else 15), f"{path} makes {small} queries"
