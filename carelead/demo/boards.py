"""Board member appraisals for the demo: this year's, started for the persona trust and some other trusts, at
every stage, through the same services the pages use (so every rule holds: an EDI objective before sign-off,
chairs signed off by the regional lead)."""

import random

from django.utils import timezone

from carelead.accounts.models import RoleAssignment
from carelead.boardappraisals import services
from carelead.boardappraisals.models import BoardAppraisal
from carelead.demo.actions import NHS_KINDS

OBJECTIVES = [
    ("Lead the board's development session on health inequalities", "Session held and actions in the board plan", True),
    ("Champion the staff networks at board", "Each network presents to the board once a year", True),
    ("Chair the quality committee through the CQC inspection", "Inspection action plan closed on time", False),
    ("Strengthen partnership with the ICB on urgent care", "Joint winter plan signed off", False),
]
THEMES = (
    "Colleagues value a calm and well-prepared chair of committees; partners would like more visible presence in "
    "the community; staff networks ask for clearer follow-through on actions."
)


def board_appraisals_create(*, seed: int, plan: list, trust, regional_user, national_admin) -> int:
    """Start this year's board appraisals and move them on; returns how many there are."""
    from carelead.organisations.models import Organisation

    if services.board_framework_current() is None:
        return 0  # no board framework loaded: nothing to rate against
    rnd = random.Random(f"carelead-demo:{seed}:board-appraisals")
    today = timezone.localdate()
    national = RoleAssignment.objects.filter(user=national_admin).first()
    regional = RoleAssignment.objects.filter(user=regional_user).first()
    codes = [trust.code] + [o.code for o in plan if o.kind in NHS_KINDS and o.code != trust.code and rnd.random() < 0.4]
    total = 0
    for organisation in Organisation.objects.filter(code__in=codes).order_by("code"):
        appraisals = services.board_appraisals_start(organisation=organisation, year=today.year, by=national_admin)
        chair = next((a.member for a in appraisals if a.member.role == "chair"), None)
        for appraisal in appraisals:
            total += 1
            stage = rnd.choice(["draft", "feedback", "review", "signed_off", "signed_off"])
            if stage == "draft":
                continue
            appraiser = chair if appraisal.member.role != "chair" and chair else None
            name = appraiser.name if appraiser else "Senior independent director"
            services.board_appraisal_appraiser_save(
                appraisal=appraisal, by=national_admin, appraiser_name=name, appraiser_member=appraiser
            )
            picked = rnd.sample(OBJECTIVES, 2)
            if not any(edi for _, _, edi in picked):
                picked[0] = OBJECTIVES[0]
            services.board_objectives_save(
                appraisal=appraisal,
                by=national_admin,
                rows=[{"title": t, "measure": m, "is_edi": e, "rating": ""} for t, m, e in picked],
            )
            services.board_appraisal_move(appraisal=appraisal, by=national_admin, to=BoardAppraisal.State.FEEDBACK)
            if stage == "feedback":
                continue
            services.board_appraisal_feedback_save(
                appraisal=appraisal,
                by=national_admin,
                feedback_board=rnd.randint(4, 8),
                feedback_executives=rnd.randint(2, 6),
                feedback_partners=rnd.randint(1, 4),
                feedback_staff=rnd.randint(0, 3),
                feedback_themes=THEMES,
            )
            services.board_appraisal_move(appraisal=appraisal, by=national_admin, to=BoardAppraisal.State.REVIEW)
            appraisal.refresh_from_db()
            services.board_domain_ratings_save(
                appraisal=appraisal,
                by=national_admin,
                ratings={
                    r.domain_id: (rnd.choice(["exceptional", "good", "good", "development_needed"]), "Seen at board")
                    for r in appraisal.domain_ratings.all()
                },
            )
            services.board_objectives_save(
                appraisal=appraisal,
                by=national_admin,
                rows=[
                    {"pk": o.pk, "title": o.title, "measure": o.measure, "is_edi": o.is_edi, "rating": "good"}
                    for o in appraisal.objectives.all()
                ],
            )
            services.board_appraisal_outcome_save(
                appraisal=appraisal,
                by=national_admin,
                overall_rating=rnd.choice(["exceptional", "good", "good"]),
                appraiser_comments="A strong year; the equality objective is well under way.",
                member_comments="I agree with the summary.",
            )
            if stage != "signed_off":
                continue
            is_chair = appraisal.member.role == "chair"
            signer, assignment = (regional_user, regional) if is_chair else (national_admin, national)
            if is_chair and organisation.region_id != getattr(regional.organisation, "pk", None):
                continue  # only the region's own lead signs a chair off; other regions' chairs wait for theirs
            services.board_appraisal_sign_off(
                appraisal=appraisal,
                by=signer,
                assignment=assignment,
                signed_off_for="" if is_chair else (chair.name if chair else "the chair"),
            )
    return total
