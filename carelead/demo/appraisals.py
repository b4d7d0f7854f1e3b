"""Appraisals for the demo: the national template, last year's outcomes for every NHS trust (as imported history),
and the persona trust's live cycle with appraisals in every stage, private notes, a dissent and a calibration.

Ratings follow each organisation's disparity factor: BME and Disabled staff are a little less often rated good or
exceptional where the organisation has a gap, so the appraisal fairness monitor has something to show.
"""

import random
from datetime import date, timedelta

from django.utils import timezone

from carelead.appraisals import services
from carelead.appraisals.models import (
    Appraisal,
    AppraiserChange,
    BehaviourRating,
    CalibrationAdjustment,
    CalibrationSession,
    Cycle,
    Dissent,
    Objective,
    Template,
)
from carelead.core.bulk import fast_insert
from carelead.core.choices import BME_CODES
from carelead.demo.actions import NHS_KINDS

OBJECTIVES = [
    ("Reduce agency spend on the ward", "Agency hours down by a fifth against last year"),
    ("Improve the team's staff survey engagement score", "Engagement up by at least 0.3 points"),
    ("Complete the first-line management module", "Certificate by the end of the year"),
    ("Lead the discharge improvement project", "Average length of stay down by half a day"),
    ("Coach two band 5 colleagues towards band 6", "Both with a development plan and a named mentor"),
    ("Introduce safety huddles", "A huddle every shift, recorded, for three months"),
]
EVIDENCE = [
    "Chaired the weekly safety meeting and followed every action through.",
    "Brought in colleagues from the community team to redesign discharge.",
    "Checked in with the team after a difficult shift and arranged a debrief.",
    "Asked patients what could be better and tried two of their ideas.",
    "Made sure night staff were heard in the rota review.",
    "Raised a conflict of interest in a procurement and stepped back.",
]
RATINGS = ["exceptional", "good", "development_needed", "unsatisfactory"]
STAGES = [  # share of the live cycle at each stage
    ("draft", 0.06),
    ("self_assessment", 0.12),
    ("manager_review", 0.12),
    ("meeting_held", 0.08),
    ("signed_off", 0.52),
    ("calibrated", 0.08),
    ("closed", 0.02),
]


def _rating(rnd: random.Random, *, bme: bool, disabled: bool, disparity: float) -> str:
    favourable = 0.82 * (1 - 0.07 * disparity * bme) * (1 - 0.05 * disparity * disabled)
    if rnd.random() < favourable:
        return "exceptional" if rnd.random() < 0.15 else "good"
    return "development_needed" if rnd.random() < 0.9 else "unsatisfactory"


def _financial_year(day: date) -> tuple[str, date]:
    start = day.year if day.month >= 4 else day.year - 1
    return f"{start}-{(start + 1) % 100:02d}", date(start, 4, 1)


def appraisals_create(*, seed: int, plan: list, trust, persona_staff, persona_manager, national_admin, hr) -> int:
    """Everything above; returns the number of appraisals written."""
    from carelead.people.models import EqualityMonitoring, Person
    from carelead.standards.models import Framework

    rnd = random.Random(f"carelead-demo:{seed}:appraisals")
    today = timezone.localdate()
    code = Framework.objects.filter(code="CLMS", status="published").order_by("-version").first()
    if code is None:
        return 0
    template = Template.objects.create(
        version=1,
        title="National appraisal",
        framework=code,
        guidance="Agree objectives early, rate behaviours against the Code with evidence, and talk about "
        "wellbeing, development and career as well as results.",
        min_objectives=1,
        max_objectives=5,
    )
    services.template_publish(template=template, by=national_admin)
    disparity = {o.code: o.disparity for o in plan}
    monitoring = {
        m["person_id"]: (m["ethnic_category"][:1] in BME_CODES, m["disability"] == "Y")
        for m in EqualityMonitoring.objects.filter(person__organisation__type="trust").values(
            "person_id", "ethnic_category", "disability"
        )
    }
    written = 0

    # Last year's outcomes for every NHS trust, as an organisation would import them from its old system.
    this_year, this_start = _financial_year(today)
    last_year, last_start = _financial_year(this_start - timedelta(days=1))
    trusts = [o for o in plan if o.kind in NHS_KINDS]
    orgs = dict(
        Person.objects.filter(organisation__code__in=[t.code for t in trusts])
        .values_list("organisation__code", "organisation_id")
        .distinct()
    )
    for t in trusts:
        if t.code not in orgs:
            continue
        cycle = Cycle.objects.create(
            organisation_id=orgs[t.code],
            year=last_year,
            imported=True,
            opens_on=last_start,
            self_assessment_due=this_start - timedelta(days=1),
            review_due=this_start - timedelta(days=1),
            sign_off_due=this_start - timedelta(days=1),
            status=Cycle.Status.CLOSED,
        )
        people = Person.objects.filter(organisation_id=orgs[t.code], bank=False, start_date__lt=last_start).filter(
            end_date__isnull=True
        )
        rows = []
        for pk, manager in people.order_by("pk").values_list("pk", "line_manager_id").iterator(chunk_size=5000):
            if rnd.random() < 0.12:  # not everyone's appraisal was completed
                continue
            bme, disabled = monitoring.get(pk, (False, False))
            rows.append(
                {
                    "cycle_id": cycle.pk,
                    "person_id": pk,
                    "appraiser_id": manager,
                    "state": "signed_off",
                    "overall_rating": _rating(rnd, bme=bme, disabled=disabled, disparity=disparity.get(t.code, 1)),
                    "signed_off_on": last_start + timedelta(days=rnd.randint(60, 360)),
                }
            )
        fast_insert(model=Appraisal, rows=rows)
        written += len(rows)

    # The persona trust's live cycle, dated from today so some steps are overdue and others still open.
    cycle = services.cycle_open(
        organisation=trust,
        year=this_year,
        opens_on=min(today - timedelta(days=120), this_start + timedelta(days=200)),
        self_assessment_due=today - timedelta(days=20),
        review_due=today + timedelta(days=40),
        sign_off_due=today + timedelta(days=100),
        by=hr,
    )
    appraisals = list(cycle.appraisals.order_by("person_id"))  # the same order, so the same draws, every load
    written += len(appraisals)
    principles = list(code.principles.values_list("pk", flat=True))
    stage_of: dict[int, str] = {}
    for a in appraisals:
        roll, total = rnd.random(), 0.0
        for stage, share in STAGES:
            total += share
            if roll < total:
                stage_of[a.pk] = stage
                break
        else:
            stage_of[a.pk] = "signed_off"
        if a.appraiser_id is None and stage_of[a.pk] != "closed":
            stage_of[a.pk] = "draft"  # waiting for HR to name an appraiser
    staff_appraisal = next((a for a in appraisals if a.person_id == persona_staff.pk), None)
    manager_appraisal = next((a for a in appraisals if a.person_id == persona_manager.pk), None)
    if staff_appraisal:
        stage_of[staff_appraisal.pk] = "self_assessment"  # the staff persona has a self-assessment to do
    if manager_appraisal:
        stage_of[manager_appraisal.pk] = "manager_review"
    # One of the line manager persona's reports waits for the manager's review, another for signatures.
    reports = [
        a for a in appraisals if a.appraiser_id == persona_manager.pk and a.pk != getattr(staff_appraisal, "pk", 0)
    ]
    for a, stage in zip(reports, ["manager_review", "meeting_held", "draft"], strict=False):
        stage_of[a.pk] = stage

    objectives, updates, behaviours = [], [], []
    order = [s for s, _ in STAGES]
    for a in appraisals:
        stage = stage_of[a.pk]
        reached = order.index(stage) if stage != "closed" else 0
        bme, disabled = monitoring.get(a.person_id, (False, False))
        rating = _rating(rnd, bme=bme, disabled=disabled, disparity=disparity.get(trust.code, 1))
        for i, (title, measure) in enumerate(rnd.sample(OBJECTIVES, rnd.randint(2, 3))):
            objectives.append(
                {
                    "appraisal_id": a.pk,
                    "title": title,
                    "measure": measure,
                    "agreed": reached >= 1,
                    "self_comment": "On track; see the monthly report." if reached >= 2 else "",
                    "rating": rnd.choice(RATINGS[:3]) if reached >= 3 else "",
                    "order": i,
                }
            )
        a.state = stage
        if stage == "closed":
            a.closed_reason = "Left the organisation before the appraisal meeting."
        if reached >= 2:
            a.wellbeing = "Managing well; would like protected time for learning."
            a.aspiration = rnd.choice(["Ward manager", "Stay in role and mentor others", "Move into education", ""])
            a.readiness = rnd.choice(["now", "1_2_years", "3_plus", ""])
        if reached >= 3:
            a.overall_rating = rating
            a.development_plan = "Complete the next curriculum module and shadow a senior colleague."
            a.confidential_notes = "Possible successor for the matron role; discuss at talent review."
            a.meeting_on = today - timedelta(days=rnd.randint(1, 40))
        if reached >= 4:
            a.signed_off_on = a.meeting_on + timedelta(days=rnd.randint(0, 10))
            a.appraisee_signed_at = a.appraiser_signed_at = timezone.now() - timedelta(
                days=(today - a.signed_off_on).days
            )
        updates.append(a)
        for p in principles:
            behaviours.append((a.pk, p, reached))
    # The cycle's rows are written again whole (a bulk UPDATE of thousands of rows is slow on SQLite); the
    # cycle, its audit entry and every key stay as the service made them.
    fields = [
        "state",
        "closed_reason",
        "wellbeing",
        "aspiration",
        "readiness",
        "overall_rating",
        "development_plan",
        "confidential_notes",
        "meeting_on",
        "signed_off_on",
        "appraisee_signed_at",
        "appraiser_signed_at",
    ]
    now = timezone.now()
    appraisal_rows = [
        {
            "id": a.pk,
            "cycle_id": cycle.pk,
            "person_id": a.person_id,
            "appraiser_id": a.appraiser_id,
            "created_at": now,
            "updated_at": now,
            **{f: getattr(a, f) for f in fields},
        }
        for a in updates
    ]
    behaviour_rows = []
    for appraisal_id, principle, reached in behaviours:
        row = {"appraisal_id": appraisal_id, "principle_id": principle, "self_rating": "", "self_evidence": ""}
        row.update({"rating": "", "evidence": ""})
        if reached >= 2:
            row["self_rating"], row["self_evidence"] = rnd.choice(RATINGS[:3]), rnd.choice(EVIDENCE)
        if reached >= 3:
            row["rating"], row["evidence"] = rnd.choice(RATINGS[:3]), rnd.choice(EVIDENCE)
        behaviour_rows.append(row)
    BehaviourRating.objects.filter(appraisal__cycle=cycle).delete()
    Appraisal.objects.filter(cycle=cycle).delete()
    fast_insert(model=Appraisal, rows=appraisal_rows)
    fast_insert(model=BehaviourRating, rows=behaviour_rows)
    fast_insert(model=Objective, rows=objectives)

    # A calibration session over the signed-off band 7s, a dissent, and an appraiser change with its reason.
    session = CalibrationSession.objects.create(
        cycle=cycle, title="First-line managers", level="first_line", held_on=today - timedelta(days=5), created_by=hr
    )
    calibrated = [a for a in updates if a.state == "calibrated" and a.overall_rating]
    for a in calibrated:
        to = "good" if a.overall_rating != "good" else "exceptional"
        CalibrationAdjustment.objects.create(
            session=session,
            appraisal=a,
            from_rating=a.overall_rating,
            to_rating=to,
            reason="Brought in line with the evidence seen across the group",
            by=hr,
        )
        Appraisal.objects.filter(pk=a.pk).update(calibrated_rating=to)
    signed = [a for a in updates if a.state == "signed_off"]
    if signed:
        Dissent.objects.create(appraisal=signed[0], text="I do not think the rating reflects the winter pressures.")
    moved = next((a for a in updates if a.state == "draft" and a.appraiser_id), None)
    if moved and persona_manager.line_manager_id and persona_manager.line_manager_id != moved.person_id:
        AppraiserChange.objects.create(
            appraisal=moved,
            previous_id=moved.appraiser_id,
            new_id=persona_manager.line_manager_id,
            reason="The line manager is on long-term leave",
            by=hr,
        )
        Appraisal.objects.filter(pk=moved.pk).update(appraiser_id=persona_manager.line_manager_id)
    from carelead.demo.feedback import feedback_create

    feedback_create(seed=seed, staff_appraisal=staff_appraisal)
    return written
