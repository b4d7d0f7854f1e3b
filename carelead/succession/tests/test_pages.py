"""Succession pages for each persona: what each sees, the journeys that change plans, and refusals by id."""

import datetime

from django.utils import timezone

from carelead.audit.models import AuditLog
from carelead.core.choices import Level
from carelead.people.tests.factories import PersonFactory
from carelead.succession.models import SuccessionCandidate, SuccessionPlan
from carelead.succession.tests.factories import CandidateFactory, PlanFactory, pool_member
from carelead.talent.models import TalentConversation

TODAY = timezone.localdate()


def plan_at(world, code, title="Chief Executive", **extra):
    return PlanFactory(organisation=world.orgs[code], role_title=title, created_by=world.users["org_hr"], **extra)


def text(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_each_role_sees_the_plans_of_its_scope(client_for, world):
    plan_at(world, "RAA", "Raa Chief Executive")
    plan_at(world, "RBB", "Rbb Chief Executive")
    plan_at(world, "RCC", "Rcc Chief Executive")
    seen = {}
    for persona in ("org_hr", "regional_talent", "national_admin"):
        page = text(client_for(persona).get("/succession/"))
        seen[persona] = {t for t in ("Raa", "Rbb", "Rcc") if f"{t} Chief Executive" in page}
    assert seen == {"org_hr": {"Raa"}, "regional_talent": {"Raa", "Rbb"}, "national_admin": {"Raa", "Rbb", "Rcc"}}
    page = text(client_for("national_admin").get("/succession/"))
    assert "Create a succession plan" not in page and "Compare succession risk" in page
    page = text(client_for("org_hr").get("/succession/"))
    assert "Create a succession plan" in page and "Compare succession risk" not in page


def test_search_and_filters(client_for, world):
    plan_at(world, "RAA", "Chief Nurse", level=Level.EXECUTIVE)
    covered = plan_at(world, "RAA", "Head of Estates", level=Level.SENIOR)
    CandidateFactory(plan=covered, person=world.people["member"], readiness="ready_now", emergency=True)
    CandidateFactory(plan=covered, person=world.people["manager"], readiness="1_2_years")
    plan_at(world, "RBB", "Chief Nurse", level=Level.EXECUTIVE)
    client = client_for("regional_talent")
    assert text(client.get("/succession/?q=nurse")).count("Chief Nurse</a>") == 2
    assert text(client.get("/succession/?q=small")).count("Chief Nurse</a>") == 1  # organisation name
    page = text(client.get("/succession/?organisation=rbb"))
    assert "Holdout Small Trust" in page and "Head of Estates" not in page
    page = text(client.get("/succession/?level=senior"))
    assert "Head of Estates" in page and "Chief Nurse" not in page
    page = text(client.get("/succession/?risk=no_candidates"))
    assert "Chief Nurse" in page and "Head of Estates" not in page
    page = text(client.get("/succession/?risk=no_ready_now&q=estates"))
    assert "No succession plans you can see match this search." in page
    page = text(client.get("/succession/?level=nonsense"))  # a bad filter shows everything, never an error
    assert "Head of Estates" in page


def test_another_organisations_plan_by_id_is_not_found(client_for, world):
    rbb = plan_at(world, "RBB")
    rcc = plan_at(world, "RCC")
    candidate = CandidateFactory(plan=rcc, person=world.people["rcc"])
    hr, talent = client_for("org_hr"), None
    for path in (f"/succession/{rbb.pk}/", f"/succession/{rbb.pk}/change/", f"/succession/{rbb.pk}/candidates/add/"):
        assert hr.get(path).status_code == 404, path
    talent = client_for("regional_talent")
    assert talent.get(f"/succession/{rbb.pk}/").status_code == 200
    for path in (
        f"/succession/{rcc.pk}/",
        f"/succession/{rcc.pk}/change/",
        f"/succession/{rcc.pk}/candidates/add/",
        f"/succession/{rcc.pk}/candidates/{candidate.pk}/",
        f"/succession/{rcc.pk}/candidates/{candidate.pk}/remove/",
    ):
        assert talent.get(path).status_code == 404, path
    # Writing by id is refused the same way, and nothing changes.
    response = talent.post(
        f"/succession/{rcc.pk}/candidates/add/",
        {"staff_id": "RCC-00001", "source": "internal", "readiness": "ready_now", "rank": "", "notes": ""},
    )
    assert response.status_code == 404
    assert talent.post(f"/succession/{rcc.pk}/candidates/{candidate.pk}/move/", {"direction": "up"}).status_code == 404
    assert talent.post(f"/succession/{rcc.pk}/candidates/{candidate.pk}/emergency/").status_code == 404
    assert talent.post(f"/succession/{rcc.pk}/change/", {"role_title": "Changed"}).status_code == 404
    # A candidate of one plan is not reached through another plan's address.
    raa = plan_at(world, "RAA")
    assert talent.get(f"/succession/{raa.pk}/candidates/{candidate.pk}/").status_code == 404
    assert SuccessionCandidate.objects.get(pk=candidate.pk).emergency is False
    assert not AuditLog.objects.filter(object_type__startswith="succession.").exists()


def test_a_candidate_from_another_region_cannot_be_added(client_for, world):
    plan = plan_at(world, "RAA")
    talent = world.users["regional_talent"]
    pool_member(person=world.people["rcc"], region=world.orgs["Y98"], by=talent)
    client = client_for("regional_talent")
    page = text(client.get(f"/succession/{plan.pk}/candidates/add/"))
    assert "RCC-00001" not in page
    for source in ("pool", "internal"):
        assert (
            client.get(f"/succession/{plan.pk}/candidates/add/?staff_id=RCC-00001&source={source}").status_code == 404
        )
        response = client.post(
            f"/succession/{plan.pk}/candidates/add/",
            {"staff_id": "RCC-00001", "source": source, "readiness": "ready_now", "rank": "", "notes": ""},
        )
        assert response.status_code == 404
    assert not SuccessionCandidate.objects.exists()


def test_national_administrators_read_but_do_not_change(client_for, world):
    plan = plan_at(world, "RCC")
    client = client_for("national_admin")
    assert client.get(f"/succession/{plan.pk}/").status_code == 200
    assert "Change the plan" not in text(client.get(f"/succession/{plan.pk}/"))
    assert client.post(f"/succession/{plan.pk}/change/", {"role_title": "X"}).status_code == 403
    assert client.post("/succession/new/", {"organisation": "RCC"}).status_code == 403


def test_a_candidate_does_not_see_the_plan_even_in_an_hr_role(client_for, world):
    plan = plan_at(world, "RAA", "Director of Nursing")
    CandidateFactory(plan=plan, person=world.people["others"][0])
    hr = world.users["org_hr"]
    hr.person = world.people["others"][0]
    hr.save(update_fields=["person"])
    client = client_for("org_hr")
    assert "Director of Nursing" not in text(client.get("/succession/"))
    assert client.get(f"/succession/{plan.pk}/").status_code == 404
    # Staff and line managers never reach plans, candidates or not.
    CandidateFactory(plan=plan, person=world.people["member"])
    assert client_for("staff").get(f"/succession/{plan.pk}/").status_code == 403


def test_hr_creates_a_plan_from_the_form(client_for, world):
    client = client_for("org_hr")
    page = text(client.get("/succession/new/"))
    assert 'value="RAA"' in page and "checked" in page  # own organisation, critical by default
    data = {
        "organisation": "RAA",
        "role_title": "Medical Director",
        "level": "executive",
        "incumbent": "raa-00001",
        "critical": "on",
        "review_due": (TODAY + datetime.timedelta(days=90)).isoformat(),
        "notes": "",
    }
    response = client.post("/succession/new/", data, follow=True)
    plan = SuccessionPlan.objects.get()
    assert response.request["PATH_INFO"] == f"/succession/{plan.pk}/"
    assert plan.incumbent == world.people["exec"] and plan.critical and plan.level == "executive"
    page = text(response)
    assert "Eve Executive (RAA-00001)" in page and "No candidates" in page and "nhsuk-tag--red" in page
    # Errors are named next to the fields.
    page = text(client.post("/succession/new/", {**data, "incumbent": "RBB-00001", "review_due": ""}))
    assert "nhsuk-error-summary" in page and "No one at Holdout Large Trust has staff ID RBB-00001" in page
    assert "Enter the review date" in page
    page = text(client.post("/succession/new/", {**data, "incumbent": ""}))
    assert "already has a succession plan for “Medical Director”" in page
    page = text(client.post("/succession/new/", {**data, "organisation": "RBB", "role_title": "Other"}))
    assert "No organisation you cover has that code" in page
    assert SuccessionPlan.objects.count() == 1


def test_changing_a_plan(client_for, world):
    plan = plan_at(world, "RAA", review_due=TODAY)
    client = client_for("regional_talent")
    page = text(client.get(f"/succession/{plan.pk}/change/"))
    assert "Chief Executive" in page
    response = client.post(
        f"/succession/{plan.pk}/change/",
        {"role_title": "Chief Executive Officer", "level": "executive", "incumbent": "", "review_due": "2030-01-31"},
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.role_title == "Chief Executive Officer" and plan.critical is False
    assert plan.review_due == datetime.date(2030, 1, 31)


def test_plans_for_every_executive_and_senior_role_from_the_page(client_for, world):
    PersonFactory(staff_id="RAA-00301", organisation=world.orgs["RAA"], level=Level.SENIOR, job_title="Head of Estates")
    client = client_for("org_hr")
    page = text(client.get("/succession/senior-roles/"))
    assert "2 roles need a plan" in page and "Head of Estates" in page and "Create 2 plans" in page
    response = client.post("/succession/senior-roles/", {"organisation": "RAA"}, follow=True)
    assert "2 succession plans created for Holdout Large Trust." in text(response)
    assert set(SuccessionPlan.objects.values_list("role_title", flat=True)) == {"Chief Nurse", "Head of Estates"}
    response = client.post("/succession/senior-roles/", {"organisation": "RAA"}, follow=True)
    assert "No plans created" in text(response) and SuccessionPlan.objects.count() == 2
    # The regional team chooses the organisation; one out of reach is not offered.
    talent = client_for("regional_talent")
    assert "Choose the organisation" in text(talent.get("/succession/senior-roles/"))
    assert "No organisation you cover has that code" in text(talent.get("/succession/senior-roles/?organisation=RCC"))
    talent.post("/succession/senior-roles/", {"organisation": "RCC"})
    assert not SuccessionPlan.objects.filter(organisation=world.orgs["RCC"]).exists()


def test_adding_candidates_from_the_organisation_and_the_pool(client_for, world):
    plan = plan_at(world, "RAA", incumbent=world.people["exec"])
    TalentConversation.objects.create(
        person=world.people["manager"],
        held_on=TODAY - datetime.timedelta(days=10),
        impact="high",
        growth="high",
        growth_direction="stretch",
        readiness="ready_now",
        recorded_by=world.users["line_manager"],
    )
    pool_member(person=world.people["rbb"], region=world.orgs["Y99"], by=world.users["regional_talent"])
    hr = client_for("org_hr")
    page = text(hr.get(f"/succession/{plan.pk}/candidates/add/?q=manager"))
    assert "Maya Manager" in page and "Rob Otherteam" not in page
    assert "added by the regional talent team" in page
    assert hr.get(f"/succession/{plan.pk}/candidates/add/?staff_id=RBB-00001&source=pool").status_code == 403
    assert hr.get(f"/succession/{plan.pk}/candidates/add/?staff_id=RAA-00001&source=internal").status_code == 404
    page = text(hr.get(f"/succession/{plan.pk}/candidates/add/?staff_id=RAA-00002&source=internal"))
    assert "From their talent conversation on" in page and 'value="ready_now" checked' in page
    response = hr.post(
        f"/succession/{plan.pk}/candidates/add/",
        {"staff_id": "RAA-00002", "source": "internal", "readiness": "ready_now", "rank": "", "emergency": "on"},
    )
    assert response.status_code == 302
    talent = client_for("regional_talent")
    page = text(talent.get(f"/succession/{plan.pk}/candidates/add/"))
    assert "Rob Otherteam" in page and 'Choose<span class="nhsuk-u-visually-hidden"> Maya Manager' not in page
    page = text(
        talent.post(
            f"/succession/{plan.pk}/candidates/add/",
            {"staff_id": "RBB-00001", "source": "pool", "readiness": "1_2_years", "rank": "1", "emergency": "on"},
        )
    )
    assert "Maya Manager is already the emergency successor" in page and "nhsuk-error-summary" in page
    talent.post(
        f"/succession/{plan.pk}/candidates/add/",
        {"staff_id": "RBB-00001", "source": "pool", "readiness": "1_2_years", "rank": "1"},
    )
    ranked = list(plan.candidates.order_by("rank").values_list("person__staff_id", "source", "emergency"))
    assert ranked == [("RBB-00001", "pool", False), ("RAA-00002", "internal", True)]


def test_the_plan_shows_candidates_and_ratings_only_within_reach(client_for, world):
    plan = plan_at(world, "RAA")
    CandidateFactory(
        plan=plan, person=world.people["manager"], readiness="ready_now", emergency=True, source="internal"
    )
    CandidateFactory(plan=plan, person=world.people["rbb"], readiness="1_2_years", source="pool")
    page = text(client_for("org_hr").get(f"/succession/{plan.pk}/"))
    assert "Maya Manager" in page and "Rob Otherteam" in page and "Regional talent pool" in page
    assert "Emergency successor" in page and "Ready now" in page
    assert "Not shown: another organisation's record" in page and "No signed-off appraisal" in page
    assert "No ready-now successor" not in page and "No risk flagged" in page
    page = text(client_for("regional_talent").get(f"/succession/{plan.pk}/"))
    assert "Not shown" not in page
    # The latest signed-off appraisal gives the rating, calibrated if it was calibrated.
    from carelead.appraisals.models import Appraisal
    from carelead.appraisals.tests.test_workflow import open_cycle

    open_cycle(world)
    Appraisal.objects.filter(person=world.people["manager"]).update(
        state="signed_off", overall_rating="good", calibrated_rating="exceptional", signed_off_on=TODAY
    )
    page = text(client_for("org_hr").get(f"/succession/{plan.pk}/"))
    assert "Exceptional (2026-27)" in page
    for word in ("Bisexual", "Sikhism", "Ethnic"):  # no special-category data on the page
        assert word not in page


def test_moving_flagging_changing_and_removing_without_javascript(client_for, world):
    plan = plan_at(world, "RAA")
    first = CandidateFactory(plan=plan, person=world.people["manager"], emergency=True)
    second = CandidateFactory(plan=plan, person=world.people["member"])
    client = client_for("org_hr")
    page = text(client.get(f"/succession/{plan.pk}/"))
    assert page.count('name="direction" value="up"') == 1 and page.count('name="direction" value="down"') == 1
    response = client.post(f"/succession/{plan.pk}/candidates/{second.pk}/move/", {"direction": "up"}, follow=True)
    assert "Sam Staffmember moved up." in text(response)
    assert list(plan.candidates.order_by("rank").values_list("pk", flat=True)) == [second.pk, first.pk]
    response = client.post(f"/succession/{plan.pk}/candidates/{second.pk}/move/", {"direction": "up"}, follow=True)
    assert "already first" in text(response)
    response = client.post(f"/succession/{plan.pk}/candidates/{second.pk}/emergency/", follow=True)
    assert "Sam Staffmember is now the emergency successor in place of Maya Manager." in text(response)
    page = text(
        client.post(
            f"/succession/{plan.pk}/candidates/{first.pk}/",
            {"readiness": "ready_now", "rank": "5", "notes": ""},
        )
    )
    assert "Rank must be a whole number from 1 to 2" in page
    client.post(f"/succession/{plan.pk}/candidates/{first.pk}/", {"readiness": "ready_now", "rank": "1", "notes": "x"})
    first.refresh_from_db()
    assert first.rank == 1 and first.readiness == "ready_now" and first.notes == "x"
    page = text(client.post(f"/succession/{plan.pk}/candidates/{first.pk}/remove/", {"reason": ""}))
    assert "Say why the candidate is being removed" in page
    response = client.post(f"/succession/{plan.pk}/candidates/{first.pk}/remove/", {"reason": "Retiring"}, follow=True)
    assert "Maya Manager has been removed from the plan." in text(response)
    assert list(plan.candidates.values_list("pk", "rank")) == [(second.pk, 1)]
    assert AuditLog.objects.filter(object_type="succession.SuccessionCandidate", changes__reason="Retiring").exists()
