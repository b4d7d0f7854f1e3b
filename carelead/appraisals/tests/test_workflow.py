"""An appraisal from draft to signed off through the pages, by the right people only, then only calibration."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from carelead.appraisals import services
from carelead.appraisals.models import Appraisal, AppraiserChange, BehaviourRating, Dissent, Template
from carelead.audit.models import AuditLog
from carelead.standards.models import Framework

TODAY = timezone.localdate()


def open_cycle(world, year="2026-27"):
    code = Framework.objects.get(code="CLMS", status="published")
    template = Template.objects.create(version=1, title="National appraisal", framework=code)
    services.template_publish(template=template, by=world.users["national_admin"])
    return services.cycle_open(
        organisation=world.orgs["RAA"],
        year=year,
        opens_on=TODAY - datetime.timedelta(days=30),
        self_assessment_due=TODAY + datetime.timedelta(days=30),
        review_due=TODAY + datetime.timedelta(days=60),
        sign_off_due=TODAY + datetime.timedelta(days=90),
        by=world.users["org_hr"],
    )


@pytest.fixture
def cycle(world):
    return open_cycle(world)


@pytest.fixture
def member_appraisal(world, cycle):
    return Appraisal.objects.get(cycle=cycle, person=world.people["member"])


def post(client, appraisal, **data):
    return client.post(f"/appraisals/{appraisal.pk}/", data, follow=True)


def test_opening_a_cycle_gives_everyone_in_post_an_appraisal_with_their_manager(world, cycle):
    appraisals = {a.person.staff_id: a for a in cycle.appraisals.select_related("person", "appraiser")}
    assert set(appraisals) >= {"RAA-00001", "RAA-00002", "RAA-00003"}
    assert appraisals["RAA-00003"].appraiser == world.people["manager"]
    assert appraisals["RAA-00001"].appraiser is None  # the top has no line manager: HR names one
    assert BehaviourRating.objects.filter(appraisal=appraisals["RAA-00003"]).count() == 6
    with pytest.raises(ValidationError):
        services.cycle_open(
            organisation=world.orgs["RAA"],
            year="2026-27",
            opens_on=TODAY,
            self_assessment_due=TODAY,
            review_due=TODAY,
            sign_off_due=TODAY,
            by=world.users["org_hr"],
        )


def test_an_appraisal_goes_from_draft_to_signed_off_through_the_pages(client_for, world, member_appraisal):
    a = member_appraisal
    staff, manager = world.users["staff"], world.users["line_manager"]
    c = client_for("staff")
    assert "Propose an objective" in c.get(f"/appraisals/{a.pk}/").content.decode()
    post(c, a, step="objective_add", title="Cut waiting times", measure="Median wait under 4 weeks")
    # the appraisee cannot agree the objectives
    page = post(c, a, step="agree").content.decode()
    assert "Only the appraiser agrees objectives" in page
    c.force_login(manager)
    post(c, a, step="objective_add", title="Lead the rota redesign", measure="New rota live by June")
    post(c, a, step="agree")
    a.refresh_from_db()
    assert a.state == "self_assessment" and a.objectives.filter(agreed=True).count() == 2
    c.force_login(staff)
    behaviours = {f"self-rating-{b.principle_id}": "good" for b in a.behaviours.all()}
    post(c, a, step="self_submit", wellbeing="Fine", aspiration="Ward manager", readiness="1_2_years", **behaviours)
    a.refresh_from_db()
    assert a.state == "manager_review" and a.aspiration == "Ward manager"
    c.force_login(manager)
    review = {f"rating-{b.principle_id}": "good" for b in a.behaviours.all()}
    review.update({f"objective-rating-{o.pk}": "exceptional" for o in a.objectives.all()})
    # the meeting cannot be recorded before the overall rating is in
    page = post(c, a, step="meeting", meeting_on=TODAY.isoformat(), **review).content.decode()
    assert "choose the overall rating" in page
    post(
        c,
        a,
        step="meeting",
        meeting_on=TODAY.isoformat(),
        overall_rating="good",
        confidential_notes="Private: possible successor for Maya",
        **review,
    )
    a.refresh_from_db()
    assert a.state == "meeting_held" and a.overall_rating == "good"
    post(c, a, step="sign")
    c.force_login(staff)
    mine = c.get(f"/appraisals/{a.pk}/").content.decode()
    assert "Private: possible successor" not in mine  # the appraisee never sees the private notes
    post(c, a, step="sign")
    a.refresh_from_db()
    assert a.state == "signed_off" and a.signed_off_on == TODAY
    post(c, a, step="dissent", text="I expected exceptional for the rota work")
    assert Dissent.objects.filter(appraisal=a).count() == 1
    # nothing changes after sign-off
    for step in ("objective_add", "self_save", "review_save", "comments", "sign", "reopen"):
        post(c, a, step=step, title="x", measure="y", overall_rating="exceptional", text="late")
    c.force_login(manager)
    post(c, a, step="review_save", overall_rating="exceptional")
    a.refresh_from_db()
    assert a.overall_rating == "good" and a.objectives.count() == 2 and a.appraisee_comments == ""
    hr = client_for("org_hr").get(f"/appraisals/{a.pk}/").content.decode()
    assert "Private: possible successor" in hr  # HR reads the private notes, and the read is recorded
    assert AuditLog.objects.filter(object_type="appraisals.Appraisal", action="view_special").exists()


def test_outsiders_cannot_open_or_act_on_an_appraisal(client_for, world, member_appraisal):
    a = member_appraisal
    for persona in ("regional_talent", "regulator", "national_admin", "org_admin", "ned_team", "guardian"):
        assert client_for(persona).get(f"/appraisals/{a.pk}/").status_code == 404, persona
    with pytest.raises(PermissionDenied):
        services.objectives_agree(appraisal=a, by=world.users["org_hr"])


def test_hr_reassigns_with_a_reason_and_sees_overdue_appraisals(client_for, world, cycle, member_appraisal):
    c = client_for("org_hr")
    post(c, member_appraisal, step="reassign", staff_id="RAA-00001", reason="Manager on long-term leave")
    member_appraisal.refresh_from_db()
    assert member_appraisal.appraiser == world.people["exec"]
    change = AppraiserChange.objects.get(appraisal=member_appraisal)
    assert change.previous == world.people["manager"] and "long-term" in change.reason
    with pytest.raises(PermissionDenied):
        AppraiserChange.objects.filter(pk=change.pk).update(reason="rewritten")
    cycle.self_assessment_due = TODAY - datetime.timedelta(days=1)
    cycle.save()
    page = c.get(f"/appraisals/cycles/{cycle.pk}/?show=overdue").content.decode()
    assert "Sam Staffmember" in page
    csv_text = c.get(f"/appraisals/cycles/{cycle.pk}/export/").content.decode()
    assert csv_text.splitlines()[0].startswith("staff_id,year,appraiser_staff_id,state")
    assert "RAA-00003,2026-27,RAA-00001,draft" in csv_text
    assert "Private" not in csv_text


def signed_off(appraisal, rating="good"):
    Appraisal.objects.filter(pk=appraisal.pk).update(
        state="signed_off", overall_rating=rating, signed_off_on=TODAY, meeting_on=TODAY
    )
    appraisal.refresh_from_db()
    return appraisal


def test_calibration_keeps_the_agreed_rating_and_shows_the_distribution(client_for, world, cycle, member_appraisal):
    a = signed_off(member_appraisal, "exceptional")
    c = client_for("org_hr")
    page = c.post(
        f"/appraisals/cycles/{cycle.pk}/", {"title": "Band 5", "level": "", "held_on": TODAY.isoformat()}, follow=True
    )
    session = a.cycle.calibrations.get()
    assert page.request["PATH_INFO"] == f"/appraisals/calibration/{session.pk}/"
    c.post(f"/appraisals/calibration/{session.pk}/", {"appraisal": a.pk, "to_rating": "good", "reason": ""})
    a.refresh_from_db()
    assert a.calibrated_rating == ""  # no reason, no change
    c.post(f"/appraisals/calibration/{session.pk}/", {"appraisal": a.pk, "to_rating": "good", "reason": "Consistency"})
    a.refresh_from_db()
    assert (a.overall_rating, a.calibrated_rating, a.final_rating, a.state) == (
        "exceptional",
        "good",
        "good",
        "calibrated",
    )
    text = c.get(f"/appraisals/calibration/{session.pk}/").content.decode()
    assert "Consistency" in text and "After calibration" in text
    staff_view = client_for("staff").get(f"/appraisals/{a.pk}/").content.decode()
    assert "calibrated to Good" in staff_view


def test_the_national_template_is_published_by_national_admins(client_for, world):
    c = client_for("national_admin")
    c.post("/appraisals/template/", {"title": "National appraisal", "min_objectives": 1, "max_objectives": 5})
    draft = Template.objects.get()
    assert draft.status == "draft"
    c.post("/appraisals/template/", {"step": "publish", "template": draft.pk})
    draft.refresh_from_db()
    assert draft.status == "published" and draft.published_by == world.users["national_admin"]
    assert client_for("org_hr").get("/appraisals/template/").status_code == 403


def test_completion_is_computed_and_published_for_the_regulator(client_for, world, cycle):
    for a in cycle.appraisals.all()[:3]:
        signed_off(a)
    hr = client_for("org_hr").get("/appraisals/completion/").content.decode()
    total = cycle.appraisals.count()
    assert "exact figures" in hr and f">{total}<" in hr
    regulator = client_for("regulator").get("/appraisals/completion/").content.decode()
    assert "published figures" in regulator and ">*<" in regulator  # fewer than 8 appraisals: hidden


def test_signed_off_ratings_are_monitored_by_group_with_calibration_counting(world, cycle):
    from carelead.equality.engine import Period
    from carelead.equality.monitors import compute_monitors

    start = TODAY.year if TODAY.month >= 4 else TODAY.year - 1
    year = Period.parse(f"{start}-{(start + 1) % 100:02d}")
    appraisals = {a.person.staff_id: a for a in cycle.appraisals.select_related("person")}
    signed_off(appraisals["RAA-00001"], "good")  # ethnic category A: White
    signed_off(appraisals["RAA-00002"], "development_needed")  # H: BME
    signed_off(appraisals["RAA-00003"], "exceptional")  # N: BME
    Appraisal.objects.filter(pk=appraisals["RAA-00003"].pk).update(calibrated_rating="development_needed")
    rows = compute_monitors(period=year, published=False, codes=["FAIR-APPRAISAL"])
    raa = next(r for r in rows if r["scope"] == "org:RAA" and r["characteristic"] == "ethnicity")
    assert (raa["reference_count"], raa["reference_group"]) == (1, 1)
    assert (raa["compared_count"], raa["compared_group"]) == (0, 2)  # the calibrated rating is the one that counts


def test_appraisal_history_imports_all_or_nothing_and_never_over_a_live_year(world, cycle, tmp_path):
    from carelead.audit.services import Actor
    from carelead.imports.services import import_file

    def write(rows):
        path = tmp_path / "appraisals.csv"
        path.write_text("staff_id,year,signed_off_on,overall_rating,appraiser_id\n" + "\n".join(rows) + "\n")
        return path

    bad = write(
        [
            "RAA-00003,2024-25,2025-05-01,good,RAA-00002",
            "RAA-00003,2024-26,2025-05-01,good,",
            "RAA-00003,2023-24,2025-05-01,brilliant,",
            "NOBODY,2023-24,2024-05-01,good,",
            "RAA-00003,2026-27,2027-05-01,good,",
        ]
    )
    result = import_file(kind_name="appraisals", path=bad, actor=Actor(system="test"))
    assert [p.render().split(":")[0] for p in result.problems] == [
        "row 2, column year",
        "row 3, column overall_rating",
        "row 4, column staff_id",
        "row 5, column year",
    ]
    assert not Appraisal.objects.filter(cycle__imported=True).exists()
    good = write(["RAA-00003,2024-25,2025-05-01,good,RAA-00002", "RAA-00002,2024-25,2025-04-20,exceptional,"])
    first = import_file(kind_name="appraisals", path=good, actor=Actor(system="test"))
    assert first.counts.created == 2
    again = import_file(kind_name="appraisals", path=good, actor=Actor(system="test"))
    assert again.counts.unchanged == 2
    history = Appraisal.objects.get(person=world.people["member"], cycle__year="2024-25")
    assert history.cycle.imported and history.state == "signed_off" and history.appraiser == world.people["manager"]


def test_reminders_go_to_whoever_acts_next_once_each(world, cycle, mailoutbox):
    from carelead.appraisals.reminders import appraisal_reminders_send

    Appraisal.objects.filter(person=world.people["member"]).update(state="self_assessment")
    world.people["member"].email = "sam@example.org"
    world.people["member"].save()
    world.people["manager"].email = "maya@example.org"
    world.people["manager"].save()
    on = cycle.self_assessment_due + datetime.timedelta(days=1)
    counts = appraisal_reminders_send(on=on)
    to = {m.to[0] for m in mailoutbox}
    assert "sam@example.org" in to  # the appraisee's self-assessment is overdue
    assert "maya@example.org" in to  # the manager has objectives to agree for her other reports
    assert counts["overdue"] >= 2
    again = appraisal_reminders_send(on=on)
    assert again["overdue"] == 0 and again["already_sent"] >= counts["overdue"]
    assert len(mailoutbox) == counts["overdue"]  # one email per person, step and date, however many appraisals


def test_the_latest_outcome_flows_on_for_talent_data(world, cycle, member_appraisal):
    from carelead.appraisals.selectors import latest_outcomes

    a = signed_off(member_appraisal, "good")
    Appraisal.objects.filter(pk=a.pk).update(calibrated_rating="exceptional", readiness="now")
    BehaviourRating.objects.filter(appraisal=a).update(rating="good")
    outcome = latest_outcomes([world.people["member"].pk, world.people["exec"].pk])
    assert list(outcome) == [world.people["member"].pk]
    assert outcome[world.people["member"].pk]["final_rating"] == "exceptional"
    assert outcome[world.people["member"].pk]["readiness"] == "now"
    assert set(outcome[world.people["member"].pk]["behaviours"].values()) == {"good"}


def test_360_feedback_asked_from_the_appraisal_shows_only_groups_of_three(client_for, world, member_appraisal):
    from carelead.feedback.models import SCORE_FIELDS, FeedbackAnswer, FeedbackRequest

    c = client_for("staff")
    page = c.get(f"/appraisals/{member_appraisal.pk}/").content.decode()
    assert f"/feedback/new/?appraisal={member_appraisal.pk}" in page
    deadline = (TODAY + datetime.timedelta(days=21)).isoformat()
    c.post("/feedback/new/", {"appraisal": member_appraisal.pk, "title": "Appraisal 2026-27", "deadline": deadline})
    request = FeedbackRequest.objects.get()
    assert request.subject == member_appraisal and request.manager == world.people["manager"]
    scores = dict.fromkeys(SCORE_FIELDS.values(), 4)
    for group, n in (("peer", 3), ("direct_report", 2)):
        for i in range(n):
            FeedbackAnswer.objects.create(request=request, group=group, strengths=f"{group} strength {i}", **scores)
    now = timezone.now()
    FeedbackRequest.objects.filter(pk=request.pk).update(status="closed", opened_at=now, closed_at=now)
    page = c.get(f"/appraisals/{member_appraisal.pk}/").content.decode()
    assert "combined report is ready" in page and "Peer" in page
    assert "Direct report" not in page.split("360 feedback")[1].split("</table>")[0]
