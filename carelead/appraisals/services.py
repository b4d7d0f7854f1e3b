"""Every write to appraisals: validated against the state and the actor, atomic and audited.

Who may act in each state (domain.md section 4):

- draft: appraisee and appraiser propose objectives; the appraiser agrees them and starts the self-assessment;
- self_assessment: the appraisee rates their own behaviours and writes about wellbeing and career, then submits;
- manager_review: the appraiser rates objectives and behaviours, proposes the overall rating and the development
  plan, keeps private notes, and records that the meeting was held;
- meeting_held: each side adds comments and signs; when both have signed the appraisal is signed off;
- signed_off: nothing changes, except through calibration (HR), which keeps the agreed rating beside the new one.

The appraisee may record a dissent at the meeting or after sign-off; it stays with the record.
"""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

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
from carelead.audit.models import AuditLog
from carelead.audit.services import Actor, audit_record
from carelead.core.choices import AppraisalRating

State = Appraisal.State

APPRAISEE_SECTION_FIELDS = ("wellbeing", "aspiration", "readiness", "mobility", "appraisee_comments")
APPRAISER_SECTION_FIELDS = ("development_plan", "development_modules", "overall_rating", "appraiser_comments")


def _audit(by, appraisal: Appraisal, what: str, changes: dict | None = None) -> None:
    audit_record(
        actor=Actor.of(by),
        action=AuditLog.Action.UPDATE,
        object_type="appraisals.Appraisal",
        object_id=appraisal.pk,
        object_repr=f"{what}: appraisal of {appraisal.person.staff_id} ({appraisal.cycle.year})",
        changes={"step": what, **(changes or {})},
        subject_person_id=appraisal.person_id,
        organisation_id=appraisal.person.organisation_id,
    )


@dataclass(frozen=True)
class Parties:
    """Which side of an appraisal a user is on."""

    appraisee: bool
    appraiser: bool

    @classmethod
    def of(cls, appraisal: Appraisal, user) -> "Parties":
        person_id = getattr(user, "person_id", None)
        return cls(
            appraisee=person_id is not None and person_id == appraisal.person_id,
            appraiser=person_id is not None and person_id == appraisal.appraiser_id,
        )


def _locked(appraisal: Appraisal) -> Appraisal:
    return Appraisal.objects.select_for_update(of=("self",)).select_related("person", "cycle").get(pk=appraisal.pk)


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise PermissionDenied(message)


# The template and cycles -----------------------------------------------------------------------------------


@transaction.atomic
def template_publish(*, template: Template, by) -> Template:
    """Publish a draft template; the one published before is retired (appraisals keep theirs)."""
    template = Template.objects.select_for_update().get(pk=template.pk)
    if template.status != Template.Status.DRAFT:
        raise ValidationError("Only a draft template can be published.")
    if template.framework.status != "published":
        raise ValidationError("The template must use a published version of the Code.")
    if not template.framework.principles.exists():
        raise ValidationError("The framework has no principles to rate behaviours against.")
    if template.min_objectives < 1 or template.max_objectives < template.min_objectives:
        raise ValidationError("Objectives: at least one, and the most no fewer than the least.")
    Template.objects.filter(status=Template.Status.PUBLISHED).update(status=Template.Status.RETIRED)
    template.status, template.published_at, template.published_by = Template.Status.PUBLISHED, timezone.now(), by
    template.save(update_fields=["status", "published_at", "published_by", "updated_at"])
    audit_record(
        actor=Actor.of(by),
        action=AuditLog.Action.UPDATE,
        object_type="appraisals.Template",
        object_id=template.pk,
        object_repr=f"Published {template}",
        changes={"status": ["draft", "published"]},
    )
    return template


def current_template() -> Template | None:
    return Template.objects.filter(status=Template.Status.PUBLISHED).select_related("framework").first()


def _in_post_q(day: date) -> Q:
    return Q(start_date__lte=day) & (Q(end_date__isnull=True) | Q(end_date__gte=day)) & Q(bank=False)


@transaction.atomic
def cycle_open(
    *,
    organisation,
    year: str,
    opens_on: date,
    self_assessment_due: date,
    review_due: date,
    sign_off_due: date,
    by,
) -> Cycle:
    """Open the year's cycle: everyone in post in the organisation gets an appraisal, their line manager as
    appraiser, one behaviour row per principle of the Code."""
    from carelead.people.models import Person

    template = current_template()
    if template is None:
        raise ValidationError("No appraisal template has been published yet.")
    if not (opens_on <= self_assessment_due <= review_due <= sign_off_due):
        raise ValidationError("The dates must run in order: opens, self-assessment, review, sign-off.")
    if Cycle.objects.filter(organisation=organisation, year=year).exists():
        raise ValidationError(f"{organisation.name} already has a {year} cycle.")
    cycle = Cycle.objects.create(
        organisation=organisation,
        template=template,
        year=year,
        opens_on=opens_on,
        self_assessment_due=self_assessment_due,
        review_due=review_due,
        sign_off_due=sign_off_due,
        created_by=by,
    )
    people = Person.objects.filter(_in_post_q(opens_on), organisation=organisation).values_list(
        "pk", "line_manager_id", "line_manager__end_date"
    )
    appraisals = [
        Appraisal(
            cycle=cycle,
            person_id=pk,
            appraiser_id=manager if manager and (left is None or left >= opens_on) else None,
        )
        for pk, manager, left in people.iterator(chunk_size=5000)
    ]
    Appraisal.objects.bulk_create(appraisals, batch_size=2000)
    principles = list(template.framework.principles.values_list("pk", flat=True))
    created = Appraisal.objects.filter(cycle=cycle).values_list("pk", flat=True)
    BehaviourRating.objects.bulk_create(
        (BehaviourRating(appraisal_id=a, principle_id=p) for a in created.iterator() for p in principles),
        batch_size=5000,
    )
    audit_record(
        actor=Actor.of(by),
        action=AuditLog.Action.CREATE,
        object_type="appraisals.Cycle",
        object_id=cycle.pk,
        object_repr=f"{organisation.name} {year} appraisal cycle",
        changes={"appraisals": len(appraisals), "sign_off_due": sign_off_due.isoformat()},
        organisation_id=organisation.pk,
    )
    return cycle


@transaction.atomic
def appraiser_change(*, appraisal: Appraisal, new_appraiser, reason: str, by) -> Appraisal:
    """HR moves an appraisal to another appraiser, saying why; the change is kept."""
    appraisal = _locked(appraisal)
    if appraisal.finished:
        raise ValidationError("A finished appraisal keeps its appraiser.")
    if not reason.strip():
        raise ValidationError("Say why the appraiser is changing.")
    if new_appraiser.pk == appraisal.person_id:
        raise ValidationError("Nobody can appraise themselves.")
    if new_appraiser.pk == appraisal.appraiser_id:
        raise ValidationError("That person is already the appraiser.")
    AppraiserChange.objects.create(
        appraisal=appraisal, previous_id=appraisal.appraiser_id, new=new_appraiser, reason=reason.strip(), by=by
    )
    appraisal.appraiser = new_appraiser
    appraisal.save(update_fields=["appraiser", "updated_at"])
    _audit(by, appraisal, "appraiser changed", {"appraiser": new_appraiser.staff_id})
    return appraisal


# The form ---------------------------------------------------------------------------------------------------


@transaction.atomic
def objective_save(
    *, appraisal: Appraisal, by, title: str, measure: str, objective: Objective | None = None
) -> Objective:
    """Propose or change an objective while objectives are being agreed; changing it un-agrees it."""
    appraisal = _locked(appraisal)
    parties = Parties.of(appraisal, by)
    _require(parties.appraisee or parties.appraiser, "Only the appraisee and the appraiser change objectives.")
    if appraisal.state != State.DRAFT:
        raise ValidationError("Objectives are agreed at the start; they can no longer change.")
    if not title.strip() or not measure.strip():
        raise ValidationError("An objective needs a title and how it will be measured.")
    if objective is None:
        if appraisal.objectives.count() >= appraisal.cycle.template.max_objectives:
            raise ValidationError(f"At most {appraisal.cycle.template.max_objectives} objectives.")
        objective = Objective.objects.create(
            appraisal=appraisal, title=title.strip(), measure=measure.strip(), order=appraisal.objectives.count()
        )
    else:
        objective.title, objective.measure, objective.agreed = title.strip(), measure.strip(), False
        objective.save(update_fields=["title", "measure", "agreed", "updated_at"])
    return objective


@transaction.atomic
def objective_remove(*, appraisal: Appraisal, objective: Objective, by) -> None:
    appraisal = _locked(appraisal)
    parties = Parties.of(appraisal, by)
    _require(parties.appraisee or parties.appraiser, "Only the appraisee and the appraiser change objectives.")
    if appraisal.state != State.DRAFT:
        raise ValidationError("Objectives can no longer change.")
    objective.delete()


@transaction.atomic
def objectives_agree(*, appraisal: Appraisal, by) -> Appraisal:
    """The appraiser agrees the objectives and opens the self-assessment."""
    appraisal = _locked(appraisal)
    _require(Parties.of(appraisal, by).appraiser, "Only the appraiser agrees objectives.")
    if appraisal.state != State.DRAFT:
        raise ValidationError("The objectives have already been agreed.")
    count = appraisal.objectives.count()
    least = appraisal.cycle.template.min_objectives
    if count < least:
        raise ValidationError(f"Agree at least {least} objective{'s' if least > 1 else ''} first.")
    appraisal.objectives.update(agreed=True)
    appraisal.state = State.SELF_ASSESSMENT
    appraisal.save(update_fields=["state", "updated_at"])
    _audit(by, appraisal, "objectives agreed", {"objectives": count})
    return appraisal


@transaction.atomic
def self_assessment_save(*, appraisal: Appraisal, by, fields: dict, behaviours: dict, objectives: dict) -> Appraisal:
    """The appraisee's part: behaviours rated with evidence, objective comments, wellbeing and career."""
    appraisal = _locked(appraisal)
    _require(Parties.of(appraisal, by).appraisee, "Only the appraisee writes the self-assessment.")
    if appraisal.state != State.SELF_ASSESSMENT:
        raise ValidationError("The self-assessment is not open.")
    for name in APPRAISEE_SECTION_FIELDS:
        if name in fields:
            setattr(appraisal, name, fields[name])
    appraisal.save(update_fields=[*APPRAISEE_SECTION_FIELDS, "updated_at"])
    for row in appraisal.behaviours.all():
        if row.principle_id in behaviours:
            row.self_rating, row.self_evidence = behaviours[row.principle_id]
            row.save(update_fields=["self_rating", "self_evidence"])
    for objective in appraisal.objectives.all():
        if objective.pk in objectives:
            objective.self_comment = objectives[objective.pk]
            objective.save(update_fields=["self_comment", "updated_at"])
    return appraisal


@transaction.atomic
def self_assessment_submit(*, appraisal: Appraisal, by) -> Appraisal:
    appraisal = _locked(appraisal)
    _require(Parties.of(appraisal, by).appraisee, "Only the appraisee submits the self-assessment.")
    if appraisal.state != State.SELF_ASSESSMENT:
        raise ValidationError("The self-assessment is not open.")
    missing = appraisal.behaviours.filter(self_rating="").count()
    if missing:
        raise ValidationError(f"Rate yourself against every principle first ({missing} to go).")
    appraisal.state = State.MANAGER_REVIEW
    appraisal.save(update_fields=["state", "updated_at"])
    _audit(by, appraisal, "self-assessment submitted")
    return appraisal


@transaction.atomic
def review_save(
    *, appraisal: Appraisal, by, fields: dict, behaviours: dict, objectives: dict, confidential_notes: str | None = None
) -> Appraisal:
    """The appraiser's part: ratings with evidence, development plan, overall rating, comments, private notes."""
    appraisal = _locked(appraisal)
    _require(Parties.of(appraisal, by).appraiser, "Only the appraiser writes the review.")
    if appraisal.state != State.MANAGER_REVIEW:
        raise ValidationError("The review is not open.")
    rating = fields.get("overall_rating", appraisal.overall_rating)
    if rating and rating not in AppraisalRating.values:
        raise ValidationError("Choose an overall rating from the four-point scale.")
    for name in APPRAISER_SECTION_FIELDS:
        if name in fields:
            setattr(appraisal, name, fields[name])
    if confidential_notes is not None:
        appraisal.confidential_notes = confidential_notes
    appraisal.save(update_fields=[*APPRAISER_SECTION_FIELDS, "confidential_notes", "updated_at"])
    for row in appraisal.behaviours.all():
        if row.principle_id in behaviours:
            row.rating, row.evidence = behaviours[row.principle_id]
            row.save(update_fields=["rating", "evidence"])
    for objective in appraisal.objectives.all():
        if objective.pk in objectives:
            objective.rating = objectives[objective.pk]
            objective.save(update_fields=["rating", "updated_at"])
    return appraisal


@transaction.atomic
def meeting_record(*, appraisal: Appraisal, by, meeting_on: date) -> Appraisal:
    """The appraiser records the meeting; every rating must be in by then."""
    appraisal = _locked(appraisal)
    _require(Parties.of(appraisal, by).appraiser, "Only the appraiser records the meeting.")
    if appraisal.state != State.MANAGER_REVIEW:
        raise ValidationError("The review is not open.")
    problems = []
    if appraisal.objectives.filter(rating="").exists():
        problems.append("rate every objective")
    if appraisal.behaviours.filter(rating="").exists():
        problems.append("rate every behaviour")
    if not appraisal.overall_rating:
        problems.append("choose the overall rating")
    if meeting_on > timezone.localdate():
        problems.append("the meeting date cannot be in the future")
    if problems:
        raise ValidationError(f"Before recording the meeting: {'; '.join(problems)}.")
    appraisal.state, appraisal.meeting_on = State.MEETING_HELD, meeting_on
    appraisal.save(update_fields=["state", "meeting_on", "updated_at"])
    _audit(by, appraisal, "meeting held", {"meeting_on": meeting_on.isoformat()})
    return appraisal


@transaction.atomic
def comments_save(*, appraisal: Appraisal, by, text: str) -> Appraisal:
    """After the meeting, each side may add to their comments until they sign."""
    appraisal = _locked(appraisal)
    parties = Parties.of(appraisal, by)
    if appraisal.state != State.MEETING_HELD:
        raise ValidationError("Comments are added after the meeting and before sign-off.")
    if parties.appraisee and appraisal.appraisee_signed_at is None:
        appraisal.appraisee_comments = text
    elif parties.appraiser and appraisal.appraiser_signed_at is None:
        appraisal.appraiser_comments = text
    else:
        raise PermissionDenied("You have signed, or you are not a party to this appraisal.")
    appraisal.save(update_fields=["appraisee_comments", "appraiser_comments", "updated_at"])
    return appraisal


@transaction.atomic
def reopen_review(*, appraisal: Appraisal, by) -> Appraisal:
    """Before anyone signs, the appraiser may take the appraisal back to change a rating."""
    appraisal = _locked(appraisal)
    _require(Parties.of(appraisal, by).appraiser, "Only the appraiser reopens the review.")
    if appraisal.state != State.MEETING_HELD or appraisal.appraisee_signed_at or appraisal.appraiser_signed_at:
        raise ValidationError("The review can be reopened only after the meeting and before anyone signs.")
    appraisal.state = State.MANAGER_REVIEW
    appraisal.save(update_fields=["state", "updated_at"])
    _audit(by, appraisal, "review reopened")
    return appraisal


@transaction.atomic
def sign(*, appraisal: Appraisal, by) -> Appraisal:
    """Each side signs; with both signatures the appraisal is signed off and can no longer change."""
    appraisal = _locked(appraisal)
    parties = Parties.of(appraisal, by)
    if appraisal.state != State.MEETING_HELD:
        raise ValidationError("An appraisal is signed after the meeting.")
    now = timezone.now()
    if parties.appraisee and appraisal.appraisee_signed_at is None:
        appraisal.appraisee_signed_at = now
    elif parties.appraiser and appraisal.appraiser_signed_at is None:
        appraisal.appraiser_signed_at = now
    else:
        raise PermissionDenied("You have already signed, or you are not a party to this appraisal.")
    fields = ["appraisee_signed_at", "appraiser_signed_at", "updated_at"]
    if appraisal.appraisee_signed_at and appraisal.appraiser_signed_at:
        appraisal.state, appraisal.signed_off_on = State.SIGNED_OFF, timezone.localdate()
        fields += ["state", "signed_off_on"]
    appraisal.save(update_fields=fields)
    _audit(by, appraisal, "signed off" if appraisal.state == State.SIGNED_OFF else "signed")
    return appraisal


@transaction.atomic
def dissent_record(*, appraisal: Appraisal, by, text: str) -> Dissent:
    """The appraisee records that they disagree; it stays with the record."""
    appraisal = _locked(appraisal)
    _require(Parties.of(appraisal, by).appraisee, "Only the appraisee records a dissent.")
    if appraisal.state not in (State.MEETING_HELD, State.SIGNED_OFF, State.CALIBRATED):
        raise ValidationError("A dissent is recorded after the meeting.")
    if not text.strip():
        raise ValidationError("Say what you disagree with.")
    dissent = Dissent.objects.create(appraisal=appraisal, text=text.strip())
    _audit(by, appraisal, "dissent recorded")
    return dissent


@transaction.atomic
def appraisal_close(*, appraisal: Appraisal, by, reason: str) -> Appraisal:
    """HR closes an appraisal that cannot finish (the person left, long-term absence), with the reason."""
    appraisal = _locked(appraisal)
    if appraisal.finished:
        raise ValidationError("This appraisal has already finished.")
    if not reason.strip():
        raise ValidationError("Say why the appraisal is closed without sign-off.")
    appraisal.state, appraisal.closed_reason = State.CLOSED, reason.strip()
    appraisal.save(update_fields=["state", "closed_reason", "updated_at"])
    _audit(by, appraisal, "closed", {"reason": reason.strip()[:200]})
    return appraisal


# Calibration ------------------------------------------------------------------------------------------------


def calibration_appraisals(session: CalibrationSession):
    """The signed-off appraisals a session covers: the cycle's, narrowed by level and part of the tree."""
    appraisals = Appraisal.objects.filter(
        cycle=session.cycle, state__in=[State.SIGNED_OFF, State.CALIBRATED]
    ).select_related("person")
    if session.level:
        appraisals = appraisals.filter(person__level=session.level)
    if session.department_path:
        appraisals = appraisals.filter(person__organisation__path__startswith=session.department_path)
    return appraisals


@transaction.atomic
def calibration_adjust(
    *, session: CalibrationSession, appraisal: Appraisal, to_rating: str, reason: str, by
) -> CalibrationAdjustment:
    """Change a signed-off rating in calibration, keeping the agreed rating and recording from, to, who and why."""
    session = CalibrationSession.objects.select_for_update().get(pk=session.pk)
    if session.status != CalibrationSession.Status.OPEN:
        raise ValidationError("This calibration session is closed.")
    appraisal = _locked(appraisal)
    if not calibration_appraisals(session).filter(pk=appraisal.pk).exists():
        raise ValidationError("That appraisal is not part of this calibration session.")
    if to_rating not in AppraisalRating.values:
        raise ValidationError("Choose a rating from the four-point scale.")
    if not reason.strip():
        raise ValidationError("Say why the rating changes.")
    current = appraisal.final_rating
    if to_rating == current:
        raise ValidationError("That is already the rating.")
    adjustment = CalibrationAdjustment.objects.create(
        session=session, appraisal=appraisal, from_rating=current, to_rating=to_rating, reason=reason.strip(), by=by
    )
    appraisal.calibrated_rating = "" if to_rating == appraisal.overall_rating else to_rating
    appraisal.state = State.CALIBRATED
    appraisal.save(update_fields=["calibrated_rating", "state", "updated_at"])
    _audit(by, appraisal, "calibrated", {"rating": [current, to_rating]})
    return adjustment


@transaction.atomic
def calibration_close(*, session: CalibrationSession, by) -> CalibrationSession:
    session = CalibrationSession.objects.select_for_update().get(pk=session.pk)
    session.status = CalibrationSession.Status.CLOSED
    session.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=Actor.of(by),
        action=AuditLog.Action.UPDATE,
        object_type="appraisals.CalibrationSession",
        object_id=session.pk,
        object_repr=f"Closed calibration: {session.title}",
        organisation_id=session.cycle.organisation_id,
    )
    return session
