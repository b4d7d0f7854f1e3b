"""Regional talent pools: opening pools, nominating, deciding, expiry, renewal and withdrawal, who sees what, the
member search, the composition by group (published only), the fairness monitor and bounded queries."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from carelead.accounts.tests.factories import RoleAssignmentFactory, UserFactory
from carelead.audit.models import AuditLog
from carelead.learning.models import TrainingRecord
from carelead.people.models import EqualityMonitoring
from carelead.people.tests.factories import PersonFactory
from carelead.standards.gate import record_counts
from carelead.talent import pools as services
from carelead.talent import pools_selectors as selectors
from carelead.talent.models import PoolMembership, TalentConversation, TalentPool
from carelead.talent.tests.permission_rows import member_in_pool, pool

TODAY = timezone.localdate()


def acting(world, persona):
    user = world.users[persona]
    return {"by": user, "assignment": user.assignments.get()}


def nominate(world, persona="line_manager", person=None, level="first_line", reason="Ready to lead a team"):
    return services.membership_nominate(
        person=person or world.people["member"], level=level, reason=reason, **acting(world, persona)
    )


def decide(world, membership, approve=True, reason="Strong evidence", persona="regional_talent"):
    return services.membership_decide(membership=membership, approve=approve, reason=reason, **acting(world, persona))


@pytest.fixture
def y99_pool(world):
    return services.pool_create(
        name="Holdout first-line leaders",
        level="first_line",
        description="For people getting ready to manage a team",
        membership_months=12,
        **acting(world, "regional_talent"),
    )


@pytest.fixture
def other_region_talent(world):
    user = UserFactory(email="talent98@example.org")
    RoleAssignmentFactory(user=user, role="regional_talent", organisation=world.orgs["Y98"])
    return user


# Months -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (datetime.date(2026, 1, 31), 1, datetime.date(2026, 2, 28)),
        (datetime.date(2026, 5, 15), 24, datetime.date(2028, 5, 15)),
        (datetime.date(2027, 12, 31), 2, datetime.date(2028, 2, 29)),
        (datetime.date(2026, 11, 30), 14, datetime.date(2028, 1, 30)),
    ],
)
def test_months_after(day, months, expected):
    assert services.months_after(day, months) == expected


# Opening a pool ---------------------------------------------------------------------------------------------


def test_the_regional_team_opens_one_pool_per_level_for_its_region(world, y99_pool):
    assert y99_pool.region == world.orgs["Y99"] and y99_pool.membership_months == 12
    assert AuditLog.objects.filter(object_type="talent.TalentPool", object_id=str(y99_pool.pk)).count() == 1
    with pytest.raises(ValidationError) as error:
        services.pool_create(name="Again", level="first_line", **acting(world, "regional_talent"))
    assert error.value.message_dict == {
        "level": ["Holdout Region already has a talent pool for first-line manager roles."]
    }
    with pytest.raises(ValidationError) as error:
        services.pool_create(name="Long", level="senior", membership_months=61, **acting(world, "regional_talent"))
    assert "membership_months" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.pool_create(name="  ", level="senior", **acting(world, "regional_talent"))
    assert "name" in error.value.message_dict
    for persona in ("org_hr", "national_admin", "line_manager"):
        with pytest.raises(PermissionDenied):
            services.pool_create(name="Mine", level="middle", **acting(world, persona))
    assert TalentPool.objects.count() == 1


# Nominating -------------------------------------------------------------------------------------------------


def test_a_manager_nominates_someone_they_manage_to_their_regions_pool(world, y99_pool):
    membership = nominate(world)
    assert membership.pool == y99_pool and membership.status == "nominated"
    assert membership.nominated_by == world.users["line_manager"] and membership.nominated_on == TODAY
    entry = AuditLog.objects.get(object_type="talent.PoolMembership", object_id=str(membership.pk))
    assert entry.changes["step"] == "nominate" and entry.subject_person_id == world.people["member"].pk


def test_nomination_refusals_say_what_is_wrong(world, y99_pool):
    people = world.people
    with pytest.raises(PermissionDenied):
        nominate(world, person=people["rbb"])  # not in the manager's team
    with pytest.raises(PermissionDenied):
        nominate(world, persona="org_hr", person=people["rcc"])  # another organisation
    with pytest.raises(PermissionDenied):
        nominate(world, persona="regional_talent")  # the regional team decides, it does not nominate
    with pytest.raises(ValidationError, match="no talent pool for senior manager roles yet"):
        nominate(world, level="senior")
    with pytest.raises(ValidationError, match="already works at first-line manager level"):
        nominate(world, persona="org_hr", person=people["manager"], level="staff")
    with pytest.raises(ValidationError) as error:
        nominate(world, reason="   ")
    assert error.value.message_dict == {"reason": ["Give the reason for the nomination."]}
    people["others"][0].end_date = TODAY - datetime.timedelta(days=1)
    people["others"][0].save()
    with pytest.raises(ValidationError, match="has left"):
        nominate(world, person=people["others"][0])
    assert not PoolMembership.objects.exists()


def test_one_live_nomination_or_membership_per_pool_and_person(world, y99_pool):
    first = nominate(world)
    with pytest.raises(ValidationError, match="waiting for a decision"):
        nominate(world, persona="org_hr")
    decide(world, first)
    with pytest.raises(ValidationError, match="already a member of Holdout first-line leaders until"):
        nominate(world)
    PoolMembership.objects.filter(pk=first.pk).update(expires_on=TODAY - datetime.timedelta(days=1))
    with pytest.raises(ValidationError, match=r"expired on .* can renew it, or withdraw it"):
        nominate(world)
    services.membership_withdraw(membership=first, reason="Moved on", **acting(world, "regional_talent"))
    again = nominate(world)
    assert again.status == "nominated" and PoolMembership.objects.count() == 2


def test_the_database_rule_is_turned_into_a_clear_error(world, y99_pool, monkeypatch):
    nominate(world)
    with pytest.raises(IntegrityError), transaction.atomic():
        PoolMembership.objects.create(
            pool=y99_pool,
            person=world.people["member"],
            nominated_by=world.users["org_hr"],
            nominated_on=TODAY,
            nomination_reason="Twice",
        )
    # Two nominations at the same moment: the check before saving sees nothing, the database refuses the second.
    monkeypatch.setattr(services, "LIVE_MEMBERSHIP", ())
    with pytest.raises(ValidationError, match="already has a nomination or membership in Holdout first-line"):
        nominate(world, persona="org_hr")
    assert PoolMembership.objects.count() == 1


# Deciding, expiry, renewal and withdrawal -------------------------------------------------------------------


def test_approval_sets_the_expiry_from_the_pools_months(world, y99_pool):
    membership = decide(world, nominate(world))
    assert membership.status == "approved" and membership.decided_on == TODAY
    assert membership.expires_on == services.months_after(TODAY, 12)
    assert membership.decided_by == world.users["regional_talent"] and membership.decision_reason == "Strong evidence"
    assert selectors.membership_state(membership)[0] == "approved"
    with pytest.raises(ValidationError, match="already been decided: it is approved"):
        decide(world, membership, approve=False)


def test_a_decline_keeps_its_reason(world, y99_pool):
    membership = decide(world, nominate(world), approve=False, reason="Needs a year in post first")
    assert (membership.status, membership.expires_on, membership.decision_reason) == (
        "declined",
        None,
        "Needs a year in post first",
    )
    assert nominate(world).status == "nominated"  # a declined nomination is not live


def test_decision_refusals(world, y99_pool, other_region_talent):
    membership = nominate(world)
    with pytest.raises(ValidationError) as error:
        decide(world, membership, reason="")
    assert error.value.message_dict == {"reason": ["Give the reason for the decision."]}
    with pytest.raises(PermissionDenied, match="Holdout Region's talent team"):
        services.membership_decide(
            membership=membership,
            approve=True,
            reason="x",
            by=other_region_talent,
            assignment=other_region_talent.assignments.get(),
        )
    for persona in ("national_admin", "org_hr", "line_manager"):
        with pytest.raises(PermissionDenied):
            decide(world, membership, persona=persona)
    membership.refresh_from_db()
    assert membership.status == "nominated"


def test_expiry_and_renewal(world, y99_pool):
    membership = decide(world, nominate(world))
    PoolMembership.objects.filter(pk=membership.pk).update(expires_on=TODAY - datetime.timedelta(days=3))
    membership.refresh_from_db()
    assert selectors.membership_state(membership)[0] == "expired"
    assert list(
        selectors.members_queryset(pools=TalentPool.objects.all(), filters={"status": "expired"}, on=TODAY)
    ) == [membership]
    renew = {"membership": membership, "reason": "Still developing well", **acting(world, "regional_talent")}
    with pytest.raises(ValidationError) as error:
        services.membership_renew(expires_on=TODAY, **renew)
    assert error.value.message_dict == {"expires_on": ["The new expiry date must be in the future."]}
    with pytest.raises(ValidationError, match="at most 12 months"):
        services.membership_renew(expires_on=services.months_after(TODAY, 12) + datetime.timedelta(days=1), **renew)
    with pytest.raises(ValidationError, match="reason for the renewal"):
        services.membership_renew(
            membership=membership,
            expires_on=TODAY + datetime.timedelta(days=30),
            reason="",
            **acting(world, "regional_talent"),
        )
    renewed = services.membership_renew(expires_on=TODAY + datetime.timedelta(days=200), **renew)
    assert (renewed.expires_on, renewed.renewals) == (TODAY + datetime.timedelta(days=200), 1)
    assert selectors.membership_state(renewed)[0] == "approved"
    with pytest.raises(ValidationError, match="after the current one"):
        services.membership_renew(expires_on=TODAY + datetime.timedelta(days=100), **renew)
    history = selectors.membership_history([renewed])[renewed.pk]
    assert [h["step"] for h in history] == ["Nominated", "Approved", "Renewed"]
    assert history[-1]["reason"] == "Still developing well"
    assert history[-1]["expires_on"] == TODAY + datetime.timedelta(days=200)


def test_only_approved_memberships_are_renewed_or_withdrawn(world, y99_pool):
    membership = nominate(world)
    team = acting(world, "regional_talent")
    with pytest.raises(ValidationError, match="Only an approved membership can be renewed; this one is nominated"):
        services.membership_renew(
            membership=membership, expires_on=TODAY + datetime.timedelta(days=9), reason="x", **team
        )
    with pytest.raises(ValidationError, match="Only an approved membership can be withdrawn"):
        services.membership_withdraw(membership=membership, reason="x", **team)
    decide(world, membership)
    with pytest.raises(ValidationError, match="reason for withdrawing"):
        services.membership_withdraw(membership=membership, reason=" ", **team)
    withdrawn = services.membership_withdraw(membership=membership, reason="Left the NHS", **team)
    assert withdrawn.status == "withdrawn"
    assert selectors.membership_history([withdrawn])[withdrawn.pk][-1]["reason"] == "Left the NHS"


def test_nobody_decides_on_themselves(world, y99_pool):
    someone = world.people["others"][0]
    talent = world.users["regional_talent"]
    talent.person = someone
    talent.save()
    with pytest.raises(PermissionDenied, match="your own"):
        decide(world, nominate(world, person=someone))


# The fairness monitor ---------------------------------------------------------------------------------------


def test_the_pool_monitor_is_registered_and_counts_decided_nominations(world):
    from carelead.equality.engine import Period
    from carelead.equality.monitors import MONITORS, compute_monitors

    assert "FAIR-POOL" in MONITORS
    exec_pool = pool(world, level="executive")
    pool(world, level="first_line")
    people = world.people
    approved = decide(world, nominate(world, persona="org_hr", person=people["exec"], level="executive"))
    decide(world, nominate(world, persona="org_hr", person=people["member"]))
    decide(world, nominate(world, persona="org_hr", person=people["manager"]), approve=False)
    nominate(world, persona="org_hr", person=people["others"][0])  # waiting: left out
    assert approved.pool == exec_pool
    start = TODAY.year if TODAY.month >= 4 else TODAY.year - 1
    rows = compute_monitors(
        period=Period.parse(f"{start}-{(start + 1) % 100:02d}"), published=False, codes=["FAIR-POOL"]
    )
    raa = next(r for r in rows if r["scope"] == "org:RAA" and r["characteristic"] == "ethnicity")
    assert (raa["reference_count"], raa["reference_group"]) == (1, 1)  # the executive: white, approved
    assert (raa["compared_count"], raa["compared_group"]) == (1, 2)  # member approved, manager declined


# Standards met, readiness and the member search -------------------------------------------------------------


def record(person, course, provider="PRV01", day=datetime.date(2025, 1, 10), **extra):
    return TrainingRecord.objects.create(
        record_id=f"{person.staff_id}-{course}-{provider}-{day}",
        person=person,
        course_code=course,
        mandatory=False,
        date=day,
        provider_code=provider,
        **extra,
    )


def test_standards_met_count_as_the_gate_counts_completions(world):
    member = world.people["member"]
    records = [
        record(member, "IND-101"),  # M1.1 M3.2 M6.2
        record(member, "FLM-201"),  # M2.1 M2.2 M2.3
        record(member, "MID-311", provider="PRV01"),  # PRV01 is not accredited for it
        record(member, "SNR-411", completed=False),
        record(member, "STF-110", expires_on=TODAY - datetime.timedelta(days=1)),
    ]
    evidenced = selectors.standards_evidenced([member.pk])[member.pk]
    assert evidenced == {"M1.1", "M3.2", "M6.2", "M2.1", "M2.2", "M2.3"}
    from carelead.standards.models import Module

    modules = dict(Module.objects.values_list("code", "standard_codes"))
    by_gate = set().union(*(set(modules[r.course_code]) for r in records if record_counts(r)))
    assert evidenced == by_gate
    assert len(selectors.management_standard_codes()) == 18


def test_the_member_search_filters(world, y99_pool):
    people = world.people
    member, manager, other = people["member"], people["manager"], people["others"][0]
    record(member, "IND-101")
    record(member, "FLM-201")
    TalentConversation.objects.create(
        person=member,
        held_on=TODAY,
        impact="high",
        growth="high",
        growth_direction="stretch",
        readiness="ready_now",
        mobility_regions=["Y98"],
        mobility_sectors=["social_care"],
        recorded_by=world.users["line_manager"],
    )
    decide(world, nominate(world))
    nominate(world, persona="org_hr", person=manager)
    care_worker = PersonFactory(staff_id="CP-1", organisation=world.orgs["CP001"], first_name="Cat", last_name="Carer")
    nominate_hr = UserFactory()
    RoleAssignmentFactory(user=nominate_hr, role="org_hr", organisation=world.orgs["CP001"])
    services.membership_nominate(
        person=care_worker,
        level="first_line",
        reason="Runs the night shift",
        by=nominate_hr,
        assignment=nominate_hr.assignments.get(),
    )
    pools = TalentPool.objects.all()

    def names(**filters):
        results = selectors.member_search(pools=pools, filters=filters, page_number=1)
        return [row.membership.person.staff_id for row in results.rows]

    assert names() == ["CP-1", "RAA-00002", "RAA-00003"]
    assert names(readiness="ready_now") == ["RAA-00003"]
    assert names(standards_min=6) == ["RAA-00003"] and names(standards_min=7) == []
    assert names(sector="social_care") == ["CP-1"]
    assert names(mobility_region="Y98") == ["RAA-00003"] and names(mobility_sector="social_care") == ["RAA-00003"]
    assert names(mobility_region="Y99") == []
    assert names(location="QZZ") == ["CP-1", "RAA-00002", "RAA-00003"] and names(location="cp001") == ["CP-1"]
    assert names(status="nominated") == ["CP-1", "RAA-00002"] and names(status="approved") == ["RAA-00003"]
    assert names(status="expiring") == [] and names(q="Carer") == ["CP-1"] and names(q="RAA-00002") == ["RAA-00002"]
    assert names(level="senior") == []
    rows = selectors.member_search(pools=pools, filters={"q": "Sam"}, page_number=1).rows
    assert rows[0].profile.standards_met == 6 and rows[0].profile.readiness == "ready_now"
    assert other.pk not in [r.membership.person_id for r in rows]


def test_readiness_falls_back_to_the_appraisal(world):
    from carelead.appraisals.models import Appraisal
    from carelead.appraisals.tests.test_workflow import open_cycle

    cycle = open_cycle(world)
    member = world.people["member"]
    Appraisal.objects.filter(cycle=cycle, person=member).update(
        state="signed_off", overall_rating="good", signed_off_on=TODAY, readiness="now"
    )
    profile = selectors.profiles_for([member.pk])[member.pk]
    assert (profile.readiness, profile.readiness_source) == ("ready_now", "appraisal")


# Composition: published figures only ------------------------------------------------------------------------


def test_composition_is_published_with_small_numbers_hidden(world, y99_pool):
    raa = world.orgs["RAA"]
    for i in range(22):
        person = PersonFactory(organisation=raa, level="first_line", staff_id=f"FL-{i:03d}")
        EqualityMonitoring.objects.create(person=person, ethnic_category="A", sex="F", disability="N")
    for i in range(3):
        person = PersonFactory(organisation=raa, level="first_line", staff_id=f"FLB-{i:03d}")
        EqualityMonitoring.objects.create(person=person, ethnic_category="M", sex="M", disability="Y")
    decide(world, nominate(world))
    composition = selectors.pool_composition(pool=y99_pool)
    ethnicity = next(t for t in composition["tables"] if t["code"] == "ethnicity")
    rows = {r["label"]: r for r in ethnicity["rows"]}
    # The workforce: 22 white (+ the manager is Asian: H) → 22 shown as 20, 4 BME hidden, unknown 0 hidden with it.
    assert rows["White"]["workforce"].text == "20" and rows["BME"]["workforce"].text == "*"
    assert rows["White"]["workforce_percent"] == "80%" and rows["BME"]["workforce_percent"] == ""
    assert rows["Not known or not stated"]["workforce"].text == "*"  # secondary suppression
    # The pool: one member (BME), hidden; the only other cells are hidden with it.
    assert rows["BME"]["pool"].text == "*" and ethnicity["pool_total"].text == "*"


# Pages ------------------------------------------------------------------------------------------------------


def test_the_regional_team_runs_its_pools_through_the_pages(client_for, world, other_region_talent):
    client = client_for("regional_talent")
    page = client.post(
        "/talent/pools/new/",
        {"name": "Holdout first-line leaders", "level": "first_line", "description": "", "membership_months": "18"},
        follow=True,
    ).content.decode()
    the_pool = TalentPool.objects.get()
    assert "is open for nominations" in page and the_pool.membership_months == 18
    again = client.post("/talent/pools/new/", {"name": "Again", "level": "first_line", "membership_months": "18"})
    assert "already has a talent pool for first-line manager roles" in again.content.decode()
    other = pool(world, region="Y98")
    assert client.get(f"/talent/pools/{other.pk}/").status_code == 404
    membership = nominate(world)
    queue = client.get("/talent/pools/queue/").content.decode()
    assert "Sam Staffmember" in queue and "Ready to lead a team" in queue
    url = f"/talent/pools/memberships/{membership.pk}/"
    bad = client.post(url, {"step": "decide", "decide-decision": "approve", "decide-reason": ""}).content.decode()
    assert "Give the reason for the decision" in bad
    page = client.post(
        url, {"step": "decide", "decide-decision": "approve", "decide-reason": "Clear impact"}, follow=True
    ).content.decode()
    assert "Nomination approved" in page and "Renew the membership" in page
    too_soon = client.post(url, {"step": "renew", "renew-expires_on": TODAY.isoformat(), "renew-reason": "x"})
    assert "The new expiry date must be in the future" in too_soon.content.decode()
    PoolMembership.objects.filter(pk=membership.pk).update(expires_on=TODAY + datetime.timedelta(days=30))
    new_expiry = TODAY + datetime.timedelta(days=500)
    page = client.post(
        url, {"step": "renew", "renew-expires_on": new_expiry.isoformat(), "renew-reason": "Next stage"}, follow=True
    ).content.decode()
    assert "Membership renewed" in page and "renewed 1 time" in page
    page = client.post(url, {"step": "withdraw", "withdraw-reason": "Took a post"}, follow=True).content.decode()
    assert "Membership withdrawn" in page and "Took a post" in page
    assert client.post(url, {"step": "decide", "decide-decision": "approve", "decide-reason": "x"}).status_code == 403
    # Another region's team cannot reach it.
    client.force_login(other_region_talent)
    assert client.get(url).status_code == 404
    assert client.get(f"/talent/pools/{the_pool.pk}/ninebox/").status_code == 404


def test_the_pool_page_shows_composition_and_members(client_for, world, y99_pool):
    decide(world, nominate(world))
    page = client_for("regional_talent").get(f"/talent/pools/{y99_pool.pk}/").content.decode()
    assert "Holdout first-line leaders" in page and "Who is in the pool" in page and "Sam Staffmember" in page
    assert "published figures" in page and "Workforce at this level" in page
    # No one's own equality answers appear: only group figures.
    assert "African" not in page and "Bisexual" not in page and "Sikh" not in page
    listing = client_for("regional_talent").get("/talent/pools/?readiness=ready_now").content.decode()
    assert "No nominations or members match these filters" in listing


def test_national_admins_read_every_pool_and_decide_nothing(client_for, world, y99_pool):
    other = pool(world, region="Y98")
    membership = nominate(world)
    client = client_for("national_admin")
    listing = client.get("/talent/pools/").content.decode()
    assert "Holdout first-line leaders" in listing and other.name in listing
    page = client.get(f"/talent/pools/memberships/{membership.pk}/").content.decode()
    assert "Record the decision" not in page and "Ready to lead a team" in page
    post = {"step": "decide", "decide-decision": "approve", "decide-reason": "x"}
    assert client.post(f"/talent/pools/memberships/{membership.pk}/", post).status_code == 403
    assert client.get("/talent/pools/new/").status_code == 403


def test_a_manager_nominates_through_the_page_and_sees_their_nominations(client_for, world, y99_pool):
    client = client_for("line_manager")
    form = client.get("/talent/pools/nominate/?staff_id=RAA-00003").content.decode()
    assert "Sam Staffmember" in form
    refused = client.post(
        "/talent/pools/nominate/", {"staff_id": "RBB-00001", "level": "first_line", "reason": "Great"}
    ).content.decode()
    assert "No one you can nominate has that staff ID" in refused
    response = client.post(
        "/talent/pools/nominate/", {"staff_id": "RAA-00003", "level": "first_line", "reason": "Great"}, follow=True
    )
    assert "is nominated to Holdout first-line leaders" in response.content.decode()
    again = client.post(
        "/talent/pools/nominate/", {"staff_id": "RAA-00003", "level": "first_line", "reason": "Great"}
    ).content.decode()
    assert "nhsuk-error-summary" in again and "waiting for a decision" in again
    no_pool = client.post(
        "/talent/pools/nominate/", {"staff_id": "RAA-00100", "level": "senior", "reason": "Great"}
    ).content.decode()
    assert "has no talent pool for senior manager roles yet" in no_pool
    listing = client.get("/talent/pools/nominations/").content.decode()
    assert "Sam Staffmember" in listing and "Waiting for a decision" in listing


def test_hr_sees_its_organisations_nominations_and_nobody_elses(client_for, world, y99_pool):
    membership = nominate(world)
    client = client_for("org_hr")
    listing = client.get("/talent/pools/nominations/").content.decode()
    assert "Sam Staffmember" in listing
    assert client.get(f"/talent/pools/memberships/{membership.pk}/").status_code == 200
    other_manager = UserFactory()
    RoleAssignmentFactory(user=other_manager, role="line_manager", organisation=world.orgs["RAA"])
    client.force_login(other_manager)
    assert client.get(f"/talent/pools/memberships/{membership.pk}/").status_code == 404


def test_the_nominee_sees_every_reason_about_themselves(client_for, world, y99_pool):
    membership = decide(world, nominate(world), reason="Impressive service redesign")
    PoolMembership.objects.filter(pk=membership.pk).update(expires_on=TODAY + datetime.timedelta(days=20))
    services.membership_renew(
        membership=membership,
        expires_on=TODAY + datetime.timedelta(days=300),
        reason="Keep going: the secondment is confirmed",
        **acting(world, "regional_talent"),
    )
    client = client_for("staff")
    page = client.get("/talent/pools/mine/").content.decode()
    assert "Ready to lead a team" in page and "Impressive service redesign" in page and "Approved" in page
    assert "Keep going: the secondment is confirmed" in page and "Renewed" in page
    assert client.get(f"/talent/pools/memberships/{membership.pk}/").status_code == 200
    someone_else = nominate(world, persona="org_hr", person=world.people["manager"])
    assert client.get(f"/talent/pools/memberships/{someone_else.pk}/").status_code == 404
    detail = client.get(f"/talent/pools/memberships/{membership.pk}/").content.decode()
    assert "Record the decision" not in detail and "Renew the membership" not in detail


# Bounded queries --------------------------------------------------------------------------------------------


def grow(world, n: int) -> None:
    """n more people in the manager's team, each nominated, with a conversation and training records."""
    raa, manager = world.orgs["RAA"], world.people["manager"]
    pool(world, level="first_line")
    for i in range(n):
        person = PersonFactory(organisation=raa, line_manager=manager, last_name=f"Grown{i}")
        EqualityMonitoring.objects.create(person=person, ethnic_category="A")
        record(person, "IND-101")
        TalentConversation.objects.create(
            person=person,
            held_on=TODAY,
            impact="high",
            growth="high",
            growth_direction="stretch",
            readiness="ready_now",
            mobility_regions=["Y99"],
            recorded_by=world.users["line_manager"],
        )
        membership = nominate(world, person=person)
        if i % 2:
            decide(world, membership)


def count(client, path):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return len(captured)


@pytest.mark.parametrize(
    ("persona", "path"),
    [
        ("regional_talent", "/talent/pools/"),
        ("regional_talent", "/talent/pools/?readiness=ready_now&standards_min=1&mobility_region=Y99&status="),
        ("regional_talent", "/talent/pools/?sector=nhs&location=QZZ&q=Grown&level=first_line"),
        ("national_admin", "/talent/pools/?status=approved"),
        ("regional_talent", "/talent/pools/{pool}/"),
        ("regional_talent", "/talent/pools/{pool}/?standards_min=3"),
        ("regional_talent", "/talent/pools/queue/"),
        ("regional_talent", "/talent/pools/memberships/{membership}/"),
        ("line_manager", "/talent/pools/nominations/"),
        ("org_hr", "/talent/pools/nominations/?status=nominated"),
        ("staff", "/talent/pools/mine/"),
        ("line_manager", "/talent/pools/nominate/?staff_id=RAA-00003"),
    ],
)
def test_pool_pages_make_the_same_queries_whatever_the_size(client_for, world, persona, path):
    membership = member_in_pool(world)
    path = path.format(pool=membership.pool_id, membership=membership.pk)
    client = client_for(persona)
    grow(world, 3)
    small = count(client, path)
    grow(world, 30)
    large = count(client, path)
    assert small == large, (path, small, large)
    assert small <= 25, (path, small)
