"""Succession pages read in a fixed number of queries, however many plans, candidates and organisations there are."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from carelead.organisations.tests.factories import OrganisationFactory
from carelead.people.tests.factories import PersonFactory
from carelead.succession.tests.factories import CandidateFactory, PlanFactory, pool_member


def _count(client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return len(captured)


def _grow(world, n: int) -> None:
    readiness = ["ready_now", "1_2_years", "3_plus_years"]
    for i in range(n):
        organisation = OrganisationFactory(parent=world.orgs["QZZ"], name=f"Grown Trust {world.orgs['QZZ'].pk}-{i}")
        for code in ("RAA", "RBB"):
            plan = PlanFactory(organisation=world.orgs[code], created_by=world.users["org_hr"])
            for r in range(3):
                person = PersonFactory(organisation=world.orgs[code])
                CandidateFactory(plan=plan, person=person, readiness=readiness[r], emergency=r == 0)
        PlanFactory(organisation=organisation, created_by=world.users["org_hr"])
        PersonFactory(organisation=world.orgs["RAA"], level="senior", job_title=f"Head of Service {i}")
        pool_member(
            person=PersonFactory(organisation=organisation), region=world.orgs["Y99"], by=world.users["regional_talent"]
        )


def test_queries_do_not_grow_with_the_data(client_for, world):
    _grow(world, 2)
    plan = PlanFactory(organisation=world.orgs["RAA"], created_by=world.users["org_hr"], role_title="Watched role")
    candidates = [CandidateFactory(plan=plan, person=p) for p in world.people["others"]]
    pool = PersonFactory(organisation=world.orgs["RBB"])
    pool_member(person=pool, region=world.orgs["Y99"], by=world.users["regional_talent"])
    CandidateFactory(plan=plan, person=pool, source="pool")
    first = candidates[0]
    pages = [
        ("org_hr", "/succession/"),
        ("org_hr", "/succession/?q=trust&level=executive&risk=no_ready_now"),
        ("regional_talent", "/succession/?risk=single_candidate"),
        ("national_admin", "/succession/"),
        ("org_hr", f"/succession/{plan.pk}/"),
        ("regional_talent", f"/succession/{plan.pk}/"),
        ("org_hr", f"/succession/{plan.pk}/change/"),
        ("org_hr", f"/succession/{plan.pk}/candidates/add/"),
        ("regional_talent", f"/succession/{plan.pk}/candidates/add/?q=a"),
        ("org_hr", f"/succession/{plan.pk}/candidates/add/?staff_id=RAA-00002&source=internal"),
        ("org_hr", f"/succession/{plan.pk}/candidates/{first.pk}/"),
        ("org_hr", f"/succession/{plan.pk}/candidates/{first.pk}/remove/"),
        ("org_hr", "/succession/senior-roles/"),
        ("org_hr", "/succession/new/"),
        ("regional_talent", "/succession/regional/"),
        ("regional_talent", "/succession/regional/?sort=coverage"),
        ("regional_talent", "/succession/regional/download/"),
        ("national_admin", "/succession/regional/"),
        ("national_admin", "/succession/regional/?region=Y99&sort=challenged"),
        ("national_admin", "/succession/regional/download/?region=Y99"),
    ]
    small = {path + persona: _count(client_for(persona), path) for persona, path in pages}
    _grow(world, 30)
    for _ in range(5):
        CandidateFactory(plan=plan, person=PersonFactory(organisation=world.orgs["RAA"]))
    large = {path + persona: _count(client_for(persona), path) for persona, path in pages}
    assert large == small
    assert max(small.values()) <= 15, small
