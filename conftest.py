"""Fixtures shared by the whole suite: a small national hierarchy and one signed-in user per persona."""

import datetime
from dataclasses import dataclass, field

import pytest

from carelead.accounts.tests.factories import PASSWORD, RoleAssignmentFactory, UserFactory, client_signed_in
from carelead.core.choices import Level, OrganisationType, PayBand, Sector
from carelead.organisations.models import Organisation
from carelead.organisations.services import organisation_tree_rebuild
from carelead.people.tests.factories import MonitoringFactory, PersonFactory
from tests import log_scan
from tests.log_scan import _logs_scanned_for_personal_data  # noqa: F401 - a session fixture for every process
from tests.scratch_databases import migrated, scratch  # noqa: F401 - throwaway databases for subprocess tests

PERSONAS = [
    "staff",
    "line_manager",
    "org_hr",
    "org_admin",
    "regional_talent",
    "ned_team",
    "provider",
    "regulator",
    "guardian",
    "national_admin",
]


@dataclass
class World:
    orgs: dict[str, Organisation] = field(default_factory=dict)
    people: dict = field(default_factory=dict)
    users: dict = field(default_factory=dict)
    password: str = PASSWORD


def _org(code, name, type, parent=None, sector=Sector.NHS, **extra):
    return Organisation.objects.create(code=code, name=name, type=type, parent=parent, sector=sector, **extra)


def build_world() -> World:
    """Two regions, two ICBs, three trusts, a care provider and a training provider, with people and users."""
    w = World()
    nat = _org("X24", "NHS England", OrganisationType.NATIONAL)
    y99 = _org("Y99", "Holdout Region", OrganisationType.REGION, nat)
    y98 = _org("Y98", "Other Region", OrganisationType.REGION, nat)
    qzz = _org("QZZ", "Holdout ICB", OrganisationType.ICB, y99)
    qyy = _org("QYY", "Other ICB", OrganisationType.ICB, y98)
    raa = _org("RAA", "Holdout Large Trust", OrganisationType.TRUST, qzz, oversight_segment=2, cqc_rating="good")
    rbb = _org("RBB", "Holdout Small Trust", OrganisationType.TRUST, qzz, oversight_segment=5)
    rcc = _org("RCC", "Far Away Trust", OrganisationType.TRUST, qyy, cqc_rating="inadequate")
    cp1 = _org("CP001", "Meadow View Care Home", OrganisationType.CARE_PROVIDER, qzz, sector=Sector.SOCIAL_CARE)
    prv = _org("PRV01", "CareLead Leadership College", OrganisationType.OTHER, nat)
    organisation_tree_rebuild()
    for org in (nat, y99, y98, qzz, qyy, raa, rbb, rcc, cp1, prv):
        org.refresh_from_db()
        w.orgs[org.code] = org

    start = datetime.date(2019, 4, 1)
    exec_ = PersonFactory(
        staff_id="RAA-00001",
        organisation=raa,
        first_name="Eve",
        last_name="Executive",
        pay_band=PayBand.VSM,
        level=Level.EXECUTIVE,
        start_date=start,
        job_title="Chief Nurse",
    )
    manager = PersonFactory(
        staff_id="RAA-00002",
        organisation=raa,
        first_name="Maya",
        last_name="Manager",
        pay_band=PayBand.B7,
        level=Level.FIRST_LINE,
        line_manager=exec_,
        start_date=start,
    )
    member = PersonFactory(
        staff_id="RAA-00003",
        organisation=raa,
        first_name="Sam",
        last_name="Staffmember",
        line_manager=manager,
        start_date=start,
    )
    others = [
        PersonFactory(staff_id=f"RAA-0010{i}", organisation=raa, line_manager=manager, start_date=start)
        for i in range(3)
    ]
    rbb_person = PersonFactory(staff_id="RBB-00001", organisation=rbb, first_name="Rob", last_name="Otherteam")
    rcc_person = PersonFactory(staff_id="RCC-00001", organisation=rcc, first_name="Cara", last_name="Faraway")
    for person, code in ((exec_, "A"), (manager, "H"), (member, "N"), (rbb_person, "C"), (rcc_person, "R")):
        MonitoringFactory(person=person, ethnic_category=code, sexual_orientation="Bisexual", religion="Sikhism")
    w.people = {
        "exec": exec_,
        "manager": manager,
        "member": member,
        "others": others,
        "rbb": rbb_person,
        "rcc": rcc_person,
    }

    scopes = {
        "staff": raa,
        "line_manager": raa,
        "org_hr": raa,
        "org_admin": raa,
        "regional_talent": y99,
        "ned_team": None,
        "provider": prv,
        "regulator": None,
        "guardian": raa,
        "national_admin": None,
    }
    persons = {"staff": member, "line_manager": manager}
    for persona in PERSONAS:
        user = UserFactory(
            email=f"{persona}@example.org", full_name=persona.replace("_", " ").title(), person=persons.get(persona)
        )
        RoleAssignmentFactory(user=user, role=persona, organisation=scopes[persona])
        w.users[persona] = user
    return w


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache, so cached figures never leak from one test's data to another's."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _test_sign_in_is_complete(monkeypatch):
    """The test client's force_login and login stand for a whole sign-in, second factor included: the session is
    marked as having given it (see client_signed_in). Tests of the sign-in steps post to the sign-in pages."""
    from django.test import Client

    original = Client._login

    def _login(self, user, backend=None):
        original(self, user, backend)
        client_signed_in(self, user)

    monkeypatch.setattr(Client, "_login", _login)


@pytest.fixture
def world(db) -> World:
    return build_world()


@pytest.fixture
def client_for(client, world):
    """A test client signed in as the named persona (with the second factor given, for roles that need it)."""

    def sign_in(persona: str):
        client.force_login(world.users[persona])
        return client

    return sign_in


def pytest_configure(config):
    log_scan.configure(config)


def pytest_sessionfinish(session, exitstatus):
    log_scan.session_finish(session)
