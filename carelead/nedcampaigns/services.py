"""Writes to NED campaigns: every one validated, atomic, audited and checked against the acting role's scope.

A campaign moves draft → open → shortlisting → interviewing → appointed, or ends early as closed (after it opened;
candidates still in the running are recorded as not taken forward, with the closing reason) or withdrawn (called
off before any appointment; nobody is judged). Each candidate moves only from the stage before: longlisted →
shortlisted → interviewed (appointable) → appointed, and every step is a written decision with a reason.

The appointment is one transaction: the barring list check, the new board member, their first term of office,
the fit and proper person test for the year the seat starts, the candidate's status, and the campaign's status
when the last seat is filled. If any part is refused, nothing is written.
"""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from carelead.audit.models import AuditLog
from carelead.audit.services import Actor, audit_record, diff
from carelead.boardappraisals.services import board_framework_current
from carelead.boards.models import BoardMember, add_months, term_years, years_end
from carelead.boards.services import board_term_record
from carelead.core.choices import OrganisationType
from carelead.fitproper.models import financial_year_for
from carelead.fitproper.selectors import barring_matches
from carelead.fitproper.services import assessments_start
from carelead.nedcampaigns.models import (
    MAX_SEATS,
    STEP_FROM,
    STEP_TO,
    Appointment,
    Authority,
    Campaign,
    CampaignCandidate,
    CampaignDecision,
    CampaignRole,
    Stage,
    Step,
    authorities_for,
    authority_default,
)
from carelead.nedcampaigns.selectors import (
    LONGLISTABLE,
    campaign_may_run,
    match_score,
    organisation_may_run,
)
from carelead.nedpool.models import Candidate, CandidateSkill, CandidateStatus, skill_choices
from carelead.nedpool.selectors import candidates_visible
from carelead.organisations.models import Organisation
from carelead.standards.models import Domain

CAMPAIGN = "nedcampaigns.Campaign"
ENTRY = "nedcampaigns.CampaignCandidate"
DECISION = "nedcampaigns.CampaignDecision"
APPOINTMENT = "nedcampaigns.Appointment"
REASON_MIN = 10
OVERRIDE_MIN = 20
# How far ahead a seat may start when the appointment is recorded.
START_WITHIN_MONTHS = 12
FILLED_REASON = "Not taken forward: every seat in the campaign was filled."


def _fmt(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def _audit(*, by, action: str, campaign: Campaign, object_type: str, object_id, changes: dict, label: str = "") -> None:
    audit_record(
        actor=Actor.of(by),
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_repr=(label or f"NED campaign {campaign.pk}: {campaign.title}")[:255],
        changes=changes,
        organisation_id=campaign.organisation_id,
    )


def _locked(campaign: Campaign) -> Campaign:
    """The campaign's row, locked so that two people deciding at once are taken one after the other."""
    return Campaign.objects.select_for_update(of=("self",)).select_related("organisation").get(pk=campaign.pk)


def _check_run(*, assignment, campaign: Campaign) -> None:
    if not campaign_may_run(assignment=assignment, campaign=campaign):
        raise PermissionDenied("You cannot run campaigns for this board.")


# The campaign and its role profile -------------------------------------------------------------------------------


def _profile_problems(
    *,
    organisation: Organisation,
    role: str,
    seats: int | None,
    title: str,
    closing_date: date | None,
    authority: str,
    skills: list[str],
    domains: list[Domain],
) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        problems.setdefault(field, []).append(message)

    if organisation.type in (OrganisationType.NATIONAL, OrganisationType.REGION):
        add("__all__", f"{organisation.name} has no board of its own: choose a trust, ICB or other organisation.")
    if role not in CampaignRole.values:
        add("role", "Select the role the campaign fills")
    if seats is None or not 1 <= seats <= MAX_SEATS:
        add("seats", f"Enter how many seats the campaign fills, from 1 to {MAX_SEATS}")
    elif role == CampaignRole.CHAIR and seats != 1:
        add("seats", "A board has one chair: a campaign for a chair fills 1 seat")
    if not title.strip():
        add("title", "Enter a title for the campaign")
    elif len(title.strip()) > 200:
        add("title", "The title must be 200 characters or fewer")
    if closing_date is None:
        add("closing_date", "Enter the closing date")
    if role in CampaignRole.values and authority not in authorities_for(organisation_type=organisation.type, role=role):
        allowed = " or ".join(
            str(Authority(a).label) for a in authorities_for(organisation_type=organisation.type, role=role)
        )
        add("authority", f"For this seat on the board of {organisation.name} the appointing authority is {allowed}")
    known = {code for code, _ in skill_choices()}
    if set(skills) - known:
        add("skills", "Select skills from the list")
    framework = board_framework_current()
    if domains and (framework is None or any(d.framework_id != framework.pk for d in domains)):
        add("domains", "Select domains of the current board framework")
    if not skills and not domains:
        add("skills", "Select at least one skill sought or one competency domain the role emphasises")
    return problems


def _profile(campaign: Campaign, domains) -> dict:
    return {
        "role": campaign.role,
        "seats": campaign.seats,
        "title": campaign.title,
        "closing_date": campaign.closing_date,
        "authority": campaign.authority,
        "skills": list(campaign.skills),
        "domains": sorted(d.code for d in domains),
        "person_specification": campaign.person_specification,
    }


def _open_problems(campaign: Campaign, today: date) -> dict[str, list[str]]:
    if campaign.closing_date < today:
        return {"closing_date": [f"The closing date must be today or later, not {_fmt(campaign.closing_date)}"]}
    return {}


def _checked_profile(*, organisation: Organisation, role: str, authority: str, skills: list[str], **profile):
    """The authority (the usual one for the organisation and role when none is given), the skills without
    repeats, and the role profile's problems: one reading for creating and for changing a campaign."""
    authority = authority or (
        authority_default(organisation_type=organisation.type, role=role) if role in CampaignRole.values else ""
    )
    skills = list(dict.fromkeys(skills))
    problems = _profile_problems(organisation=organisation, role=role, authority=authority, skills=skills, **profile)
    return authority, skills, problems


@transaction.atomic
def campaign_create(
    *,
    assignment,
    by,
    organisation: Organisation,
    role: str,
    seats: int | None,
    title: str,
    closing_date: date | None,
    authority: str = "",
    skills: list[str],
    domains: list[Domain],
    person_specification: str = "",
    open_now: bool = False,
    today: date | None = None,
) -> Campaign:
    """Start a campaign for a board's seats, as a draft or opened at once.

    An empty ``authority`` means the usual appointing authority for the organisation and role.
    """
    today = today or timezone.localdate()
    if not organisation_may_run(assignment=assignment, organisation=organisation):
        raise PermissionDenied("You cannot run campaigns for this board.")
    authority, skills, problems = _checked_profile(
        organisation=organisation,
        role=role,
        seats=seats,
        title=title,
        closing_date=closing_date,
        authority=authority,
        skills=skills,
        domains=domains,
    )
    if open_now and closing_date is not None and closing_date < today:
        problems.setdefault("closing_date", []).append(
            f"The closing date must be today or later, not {_fmt(closing_date)}"
        )
    if problems:
        raise ValidationError(problems)
    campaign = Campaign(
        organisation=organisation,
        role=role,
        seats=seats,
        title=title.strip(),
        closing_date=closing_date,
        authority=authority,
        skills=skills,
        framework=board_framework_current() if domains else None,
        person_specification=person_specification.strip(),
        created_by=by,
        status=Campaign.Status.OPEN if open_now else Campaign.Status.DRAFT,
        opened_on=today if open_now else None,
    )
    campaign.full_clean(exclude=["domains"])
    campaign.save()
    campaign.domains.set(domains)
    _audit(
        by=by,
        action=AuditLog.Action.CREATE,
        campaign=campaign,
        object_type=CAMPAIGN,
        object_id=campaign.pk,
        changes=diff({}, {**_profile(campaign, domains), "organisation": organisation.code, "status": campaign.status}),
    )
    return campaign


@transaction.atomic
def campaign_update(
    *,
    assignment,
    by,
    campaign: Campaign,
    role: str,
    seats: int | None,
    title: str,
    closing_date: date | None,
    authority: str = "",
    skills: list[str],
    domains: list[Domain],
    person_specification: str = "",
    today: date | None = None,
) -> Campaign:
    """Change a campaign's role profile: while it is a draft, or open before shortlisting starts."""
    today = today or timezone.localdate()
    campaign = _locked(campaign)
    _check_run(assignment=assignment, campaign=campaign)
    if campaign.status not in (Campaign.Status.DRAFT, Campaign.Status.OPEN):
        raise ValidationError("The role profile cannot be changed once shortlisting has started.")
    authority, skills, problems = _checked_profile(
        organisation=campaign.organisation,
        role=role,
        seats=seats,
        title=title,
        closing_date=closing_date,
        authority=authority,
        skills=skills,
        domains=domains,
    )
    if campaign.status == Campaign.Status.OPEN and closing_date is not None and closing_date < today:
        problems.setdefault("closing_date", []).append(
            f"The closing date of an open campaign must be today or later, not {_fmt(closing_date)}"
        )
    if problems:
        raise ValidationError(problems)
    before = _profile(campaign, campaign.domains.all())
    campaign.role, campaign.seats, campaign.title = role, seats, title.strip()
    campaign.closing_date, campaign.authority, campaign.skills = closing_date, authority, skills
    campaign.person_specification = person_specification.strip()
    if domains and campaign.framework_id is None:
        campaign.framework = board_framework_current()
    campaign.full_clean(exclude=["domains"])
    campaign.save(
        update_fields=[
            "role",
            "seats",
            "title",
            "closing_date",
            "authority",
            "skills",
            "framework",
            "person_specification",
            "updated_at",
        ]
    )
    campaign.domains.set(domains)
    _audit(
        by=by,
        action=AuditLog.Action.UPDATE,
        campaign=campaign,
        object_type=CAMPAIGN,
        object_id=campaign.pk,
        changes=diff(before, _profile(campaign, domains)),
    )
    return campaign


@transaction.atomic
def campaign_open(*, assignment, by, campaign: Campaign, today: date | None = None) -> Campaign:
    """Open a draft campaign so its longlist can be built."""
    today = today or timezone.localdate()
    campaign = _locked(campaign)
    _check_run(assignment=assignment, campaign=campaign)
    if campaign.status != Campaign.Status.DRAFT:
        raise ValidationError("Only a draft campaign can be opened.")
    problems = _open_problems(campaign, today)
    if problems:
        raise ValidationError(problems)
    campaign.status, campaign.opened_on = Campaign.Status.OPEN, today
    campaign.save(update_fields=["status", "opened_on", "updated_at"])
    _audit(
        by=by,
        action=AuditLog.Action.UPDATE,
        campaign=campaign,
        object_type=CAMPAIGN,
        object_id=campaign.pk,
        changes={"status": [Campaign.Status.DRAFT, Campaign.Status.OPEN]},
    )
    return campaign


def _still_running(campaign: Campaign):
    return CampaignCandidate.objects.select_for_update().filter(
        campaign=campaign, stage__in=[Stage.LONGLISTED, Stage.SHORTLISTED, Stage.INTERVIEWED]
    )


def _conclude(*, campaign: Campaign, by, reason: str, now) -> int:
    """Record every candidate still in the running as not taken forward at their next step; returns how many."""
    entries = list(_still_running(campaign).order_by("pk"))
    for entry in entries:
        step = entry.next_step
        CampaignDecision.objects.create(
            entry=entry, step=step, outcome=CampaignDecision.Outcome.NOT_PROGRESSED, reason=reason, by=by, at=now
        )
        entry.stage = Stage.NOT_PROGRESSED
    CampaignCandidate.objects.bulk_update(entries, ["stage"])
    return len(entries)


@transaction.atomic
def campaign_end(
    *, assignment, by, campaign: Campaign, outcome: str, reason: str, today: date | None = None
) -> Campaign:
    """End a campaign early: ``closed`` once it has opened (candidates still in the running are recorded as not
    taken forward, with the reason), or ``withdrawn`` before any appointment (no candidate is judged)."""
    today = today or timezone.localdate()
    campaign = _locked(campaign)
    _check_run(assignment=assignment, campaign=campaign)
    reason = (reason or "").strip()
    if campaign.ended:
        raise ValidationError(f"This campaign has already ended ({campaign.get_status_display().lower()}).")
    problems: dict[str, list[str]] = {}
    if outcome not in (Campaign.Status.CLOSED, Campaign.Status.WITHDRAWN):
        problems["outcome"] = ["Select whether the campaign is closed or withdrawn"]
    elif outcome == Campaign.Status.CLOSED and campaign.status == Campaign.Status.DRAFT:
        problems["outcome"] = ["A draft campaign has not opened: withdraw it instead"]
    elif (
        outcome == Campaign.Status.WITHDRAWN
        and CampaignCandidate.objects.filter(campaign=campaign, stage=Stage.APPOINTED).exists()
    ):
        problems["outcome"] = ["An appointment has been made in this campaign: close it instead"]
    if len(reason) < REASON_MIN:
        problems["reason"] = [f"Give the reason in at least {REASON_MIN} characters"]
    if problems:
        raise ValidationError(problems)
    concluded = 0
    if outcome == Campaign.Status.CLOSED:
        concluded = _conclude(campaign=campaign, by=by, reason=f"The campaign closed: {reason}", now=timezone.now())
    before = campaign.status
    campaign.status, campaign.ended_on, campaign.ended_reason = outcome, today, reason
    campaign.save(update_fields=["status", "ended_on", "ended_reason", "updated_at"])
    _audit(
        by=by,
        action=AuditLog.Action.UPDATE,
        campaign=campaign,
        object_type=CAMPAIGN,
        object_id=campaign.pk,
        changes={"status": [before, outcome], "reason": [None, reason], "not_taken_forward": [None, concluded]},
    )
    return campaign


# The longlist ----------------------------------------------------------------------------------------------------


@transaction.atomic
def longlist_add(
    *, assignment, by, campaign: Campaign, candidates: list[Candidate], reason: str, today: date | None = None
) -> list[CampaignCandidate]:
    """Put candidates from the pool on the campaign's longlist, each with a longlisting decision giving the reason
    and how they matched the skills sought.

    Only candidates within the acting role's reach whom the team admitted to the pool (in the pool or placed),
    not erased, and not already on the longlist; only while the campaign is running and on or before its closing
    date.
    """
    today = today or timezone.localdate()
    campaign = _locked(campaign)
    _check_run(assignment=assignment, campaign=campaign)
    reason = (reason or "").strip()
    if not campaign.live:
        raise ValidationError(
            "The longlist can be built only while the campaign is open"
            + (": open the draft first." if campaign.status == Campaign.Status.DRAFT else ".")
        )
    if campaign.closing_date < today:
        raise ValidationError(
            f"The campaign closed to new candidates on {_fmt(campaign.closing_date)}: change the closing date "
            "before adding more."
            if campaign.status == Campaign.Status.OPEN
            else f"The campaign closed to new candidates on {_fmt(campaign.closing_date)}."
        )
    problems: dict[str, list[str]] = {}
    if not candidates:
        problems["candidates"] = ["Select at least one candidate to add to the longlist"]
    if len(reason) < REASON_MIN:
        problems["reason"] = [f"Give the reason for longlisting in at least {REASON_MIN} characters"]
    if problems:
        raise ValidationError(problems)
    ids = [c.pk for c in candidates]
    locked = {
        c.pk: c for c in candidates_visible(assignment=assignment).select_for_update(of=("self",)).filter(pk__in=ids)
    }
    already = set(
        CampaignCandidate.objects.filter(campaign=campaign, candidate_id__in=ids).values_list("candidate_id", flat=True)
    )
    refused = []
    for candidate_id in ids:
        candidate = locked.get(candidate_id)
        if candidate is None:
            raise PermissionDenied("That candidate is not in your reach.")
        if candidate.erased_at is not None:
            refused.append(f"Candidate {candidate.pk}'s details were erased at their request")
        elif candidate.status not in LONGLISTABLE:
            refused.append(f"{candidate.name} is not in the pool ({candidate.get_status_display().lower()})")
        elif candidate_id in already:
            refused.append(f"{candidate.name} is already on the longlist")
    if refused:
        raise ValidationError({"candidates": refused})
    skills: dict[int, list[CandidateSkill]] = {}
    for skill in CandidateSkill.objects.filter(candidate_id__in=ids):
        skills.setdefault(skill.candidate_id, []).append(skill)
    now = timezone.now()
    entries = []
    for candidate_id in dict.fromkeys(ids):
        score, held, validated = match_score(sought=campaign.skills, skills=skills.get(candidate_id, []))
        entry = CampaignCandidate(campaign=campaign, candidate=locked[candidate_id], match_score=score)
        entry.full_clean(validate_unique=False)
        entry.save()
        match = (
            f"holds {held} of the {len(campaign.skills)} skills sought, {validated} validated"
            if campaign.skills
            else "no skills are sought"
        )
        CampaignDecision.objects.create(
            entry=entry,
            step=Step.LONGLIST,
            outcome=CampaignDecision.Outcome.PROGRESSED,
            reason=f"{reason} (Match when longlisted: {match}.)",
            by=by,
            at=now,
        )
        entries.append(entry)
        _audit(
            by=by,
            action=AuditLog.Action.CREATE,
            campaign=campaign,
            object_type=ENTRY,
            object_id=entry.pk,
            changes={
                "candidate": [None, candidate_id],
                "stage": [None, Stage.LONGLISTED],
                "match_score": [None, score],
            },
            label=f"NED campaign {campaign.pk}: candidate {candidate_id} longlisted",
        )
    return entries


# Shortlisting, interview and appointment decisions -----------------------------------------------------------------

# The campaign statuses in which each step's decisions are taken, and the status a decision moves the campaign to.
STEP_STATUSES = {
    Step.SHORTLIST: (Campaign.Status.OPEN, Campaign.Status.SHORTLISTING, Campaign.Status.INTERVIEWING),
    Step.INTERVIEW: (Campaign.Status.SHORTLISTING, Campaign.Status.INTERVIEWING),
    Step.APPOINTMENT: (Campaign.Status.INTERVIEWING,),
}
STEP_MOVES = {
    Step.SHORTLIST: {Campaign.Status.OPEN: Campaign.Status.SHORTLISTING},
    Step.INTERVIEW: {Campaign.Status.SHORTLISTING: Campaign.Status.INTERVIEWING},
}
STEP_WORDS = {
    Step.SHORTLIST: "shortlisted",
    Step.INTERVIEW: "interviewed",
    Step.APPOINTMENT: "appointed",
}


def _locked_entry(entry: CampaignCandidate) -> CampaignCandidate:
    return CampaignCandidate.objects.select_for_update(of=("self",)).select_related("candidate").get(pk=entry.pk)


def _step_problems(*, campaign: Campaign, entry: CampaignCandidate, step: str) -> None:
    """Refuse a decision at ``step`` the campaign's status or the candidate's stage does not allow."""
    if step not in STEP_FROM:
        raise ValidationError({"step": "Decisions are recorded at shortlisting, interview or appointment"})
    if campaign.status not in STEP_STATUSES[step]:
        status = campaign.get_status_display().lower()
        raise ValidationError(f"{Step(step).label} decisions cannot be recorded while the campaign is {status}.")
    needed = STEP_FROM[step]
    if entry.stage != needed:
        raise ValidationError(
            f"Only a candidate who is {Stage(needed).label.lower()} can be {STEP_WORDS[step]}; this candidate is "
            f"{entry.get_stage_display().lower()}."
        )


@transaction.atomic
def decision_record(
    *, assignment, by, entry: CampaignCandidate, step: str, outcome: str, reason: str
) -> CampaignDecision:
    """Record a shortlisting or interview decision, or that an appointable candidate is not appointed.

    Appointing a candidate is ``candidate_appoint``: it needs the authority's approval and creates the seat.
    """
    campaign = _locked(entry.campaign)
    _check_run(assignment=assignment, campaign=campaign)
    entry = _locked_entry(entry)
    reason = (reason or "").strip()
    _step_problems(campaign=campaign, entry=entry, step=step)
    problems: dict[str, list[str]] = {}
    if outcome not in CampaignDecision.Outcome.values:
        problems["outcome"] = ["Select whether the candidate is taken forward"]
    elif step == Step.APPOINTMENT and outcome == CampaignDecision.Outcome.PROGRESSED:
        problems["outcome"] = ["Record an appointment with the appointment form, with the authority's approval"]
    elif outcome == CampaignDecision.Outcome.PROGRESSED and (
        entry.candidate.erased_at is not None or entry.candidate.status not in LONGLISTABLE
    ):
        problems["outcome"] = ["This candidate has left the pool or been erased, so they cannot be taken forward"]
    if len(reason) < REASON_MIN:
        problems["reason"] = [f"Give the reason for the decision in at least {REASON_MIN} characters"]
    if problems:
        raise ValidationError(problems)
    decision = CampaignDecision(entry=entry, step=step, outcome=outcome, reason=reason, by=by, at=timezone.now())
    decision.full_clean()
    decision.save()
    before = entry.stage
    entry.stage = STEP_TO[step] if outcome == CampaignDecision.Outcome.PROGRESSED else Stage.NOT_PROGRESSED
    entry.save(update_fields=["stage", "updated_at"])
    moved = STEP_MOVES.get(step, {}).get(campaign.status)
    if moved:
        _audit(
            by=by,
            action=AuditLog.Action.UPDATE,
            campaign=campaign,
            object_type=CAMPAIGN,
            object_id=campaign.pk,
            changes={"status": [campaign.status, moved]},
        )
        campaign.status = moved
        campaign.save(update_fields=["status", "updated_at"])
    _audit(
        by=by,
        action=AuditLog.Action.CREATE,
        campaign=campaign,
        object_type=DECISION,
        object_id=decision.pk,
        changes={"step": [None, step], "outcome": [None, outcome], "stage": [before, entry.stage]},
        label=f"NED campaign {campaign.pk}: {Step(step).label.lower()} decision on candidate {entry.candidate_id}",
    )
    return decision


def _member_id(organisation: Organisation, entry: CampaignCandidate) -> str:
    return f"{organisation.code}-NED{entry.pk:05d}"[:32]


@transaction.atomic
def candidate_appoint(
    *,
    assignment,
    by,
    entry: CampaignCandidate,
    authority: str,
    approver_name: str,
    approved_on: date | None,
    starts_on: date | None,
    reason: str,
    barring_different_person: bool = False,
    barring_reason: str = "",
    today: date | None = None,
) -> Appointment:
    """Appoint an interviewed, appointable candidate to the board, all or nothing.

    Refused unless the authority is the appointing authority for the seat, the approver and approval date are
    given, and the barring list has no entry under the candidate's name (or the user records that the entry is a
    different person, with the reason: audited). Creates the board member (voting unless an associate) from the
    start date, their first term of office of the usual length, and starts the fit and proper person test for the
    financial year the seat starts in. The candidate is marked as appointed; when this fills the campaign's last
    seat the campaign is appointed and every other candidate still in the running is recorded as not taken
    forward.
    """
    today = today or timezone.localdate()
    campaign = _locked(entry.campaign)
    _check_run(assignment=assignment, campaign=campaign)
    entry = _locked_entry(entry)
    candidate = Candidate.objects.select_for_update().get(pk=entry.candidate_id)
    _step_problems(campaign=campaign, entry=entry, step=Step.APPOINTMENT)
    organisation = campaign.organisation
    approver_name, reason = (approver_name or "").strip(), (reason or "").strip()
    barring_reason = (barring_reason or "").strip()
    problems: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        problems.setdefault(field, []).append(message)

    appointed = CampaignCandidate.objects.filter(campaign=campaign, stage=Stage.APPOINTED).count()
    if appointed >= campaign.seats:
        add("__all__", "Every seat in this campaign has been filled.")
    if candidate.erased_at is not None or candidate.status not in LONGLISTABLE:
        add("__all__", "This candidate has left the pool or been erased, so they cannot be appointed.")
    allowed = authorities_for(organisation_type=organisation.type, role=campaign.role)
    if authority not in allowed:
        names = " or ".join(str(Authority(a).label) for a in allowed)
        add("authority", f"This seat on the board of {organisation.name} is appointed by {names}")
    if not approver_name:
        add("approver_name", "Enter the name of the person who approved the appointment for the authority")
    elif len(approver_name) > 200:
        add("approver_name", "The approver's name must be 200 characters or fewer")
    if approved_on is None:
        add("approved_on", "Enter the date the appointment was approved")
    elif approved_on > today:
        add("approved_on", "The date of approval cannot be in the future")
    elif campaign.opened_on and approved_on < campaign.opened_on:
        add("approved_on", f"The approval cannot be before the campaign opened on {_fmt(campaign.opened_on)}")
    if starts_on is None:
        add("starts_on", "Enter the date the new member takes their seat")
    elif approved_on is not None and starts_on < approved_on:
        add("starts_on", "The seat cannot start before the appointment was approved")
    elif starts_on > add_months(today, START_WITHIN_MONTHS):
        add("starts_on", f"The seat must start within {START_WITHIN_MONTHS} months of today")
    if len(reason) < REASON_MIN:
        add("reason", f"Give the reason for the appointment in at least {REASON_MIN} characters")
    if problems:
        raise ValidationError(problems)

    # The barring list, checked at every appointment to a board (domain.md section 7).
    matches = barring_matches(name=candidate.name)
    references = [m.reference for m in matches]
    if matches:
        if not barring_different_person:
            listed = ", ".join(references)
            raise ValidationError(
                {
                    "barring_different_person": (
                        f"{candidate.name}'s name matches the barring list for senior managers (entry {listed}). "
                        "The appointment cannot go ahead unless you have confirmed that entry is a different person."
                    )
                }
            )
        if len(barring_reason) < OVERRIDE_MIN:
            raise ValidationError(
                {
                    "barring_reason": (
                        "Say how you confirmed the barring list entry is a different person, in at least "
                        f"{OVERRIDE_MIN} characters"
                    )
                }
            )
    member_id = _member_id(organisation, entry)
    if BoardMember.objects.filter(member_id=member_id).exists():
        raise ValidationError(f"A board member with the identifier {member_id} already exists.")

    member = BoardMember(
        member_id=member_id,
        organisation=organisation,
        name=candidate.name,
        role=campaign.role,
        voting=campaign.role != CampaignRole.ASSOCIATE,
        start_date=starts_on,
    )
    member.full_clean()
    member.save()
    audit_record(
        actor=Actor.of(by),
        action=AuditLog.Action.CREATE,
        object_type="boards.BoardMember",
        object_id=member.pk,
        object_repr=f"{organisation.code} board: {member.name}"[:255],
        changes=diff(
            {}, {"member_id": member_id, "role": member.role, "start_date": starts_on, "campaign": campaign.pk}
        ),
        organisation_id=organisation.pk,
    )
    board_term_record(
        member=member,
        starts_on=starts_on,
        ends_on=years_end(starts_on, term_years()),
        notes=f"Appointed by {Authority(authority).label}, approved by {approver_name} on {_fmt(approved_on)}.",
        by=by,
        assignment=assignment,
        today=today,
    )
    # The fit and proper person test starts now, for the financial year the seat starts in, and counts the new
    # member as in post from their first day, so pre-appointment checks can be recorded before they take the seat.
    fpp_year = financial_year_for(starts_on)
    started = assessments_start(organisation=organisation, year=fpp_year, by=by, today=starts_on)
    now = timezone.now()
    appointment = Appointment(
        entry=entry,
        member=member,
        authority=authority,
        approver_name=approver_name,
        approved_on=approved_on,
        starts_on=starts_on,
        fpp_year=fpp_year,
        barring_references=references,
        barring_override_reason=barring_reason if matches else "",
        by=by,
        at=now,
    )
    appointment.full_clean()
    appointment.save()
    decision = CampaignDecision(
        entry=entry,
        step=Step.APPOINTMENT,
        outcome=CampaignDecision.Outcome.PROGRESSED,
        reason=reason,
        by=by,
        at=now,
    )
    decision.full_clean()
    decision.save()
    entry.stage = Stage.APPOINTED
    entry.save(update_fields=["stage", "updated_at"])
    before_status = candidate.status
    candidate.status = CandidateStatus.APPOINTED
    candidate.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=Actor.of(by),
        action=AuditLog.Action.UPDATE,
        object_type="nedpool.Candidate",
        object_id=candidate.pk,
        object_repr=f"NED candidate {candidate.pk}: appointed through campaign {campaign.pk}",
        changes={"status": [before_status, CandidateStatus.APPOINTED]},
    )
    _audit(
        by=by,
        action=AuditLog.Action.CREATE,
        campaign=campaign,
        object_type=APPOINTMENT,
        object_id=appointment.pk,
        changes=diff(
            {},
            {
                "candidate": candidate.pk,
                "member": member.pk,
                "authority": authority,
                "approver_name": approver_name,
                "approved_on": approved_on,
                "starts_on": starts_on,
                "fpp_year": fpp_year,
                "fpp_assessments_started": len(started),
                "barring_matches": references,
            },
        ),
        label=f"NED campaign {campaign.pk}: candidate {candidate.pk} appointed",
    )
    if matches:
        _audit(
            by=by,
            action=AuditLog.Action.UPDATE,
            campaign=campaign,
            object_type=APPOINTMENT,
            object_id=appointment.pk,
            changes={
                "barring_match_set_aside": [None, references],
                "barring_reason": [None, barring_reason],
            },
            label=f"NED campaign {campaign.pk}: barring list match set aside as a different person",
        )
    if appointed + 1 >= campaign.seats:
        concluded = _conclude(campaign=campaign, by=by, reason=FILLED_REASON, now=now)
        before = campaign.status
        campaign.status, campaign.ended_on = Campaign.Status.APPOINTED, today
        campaign.save(update_fields=["status", "ended_on", "updated_at"])
        _audit(
            by=by,
            action=AuditLog.Action.UPDATE,
            campaign=campaign,
            object_type=CAMPAIGN,
            object_id=campaign.pk,
            changes={"status": [before, Campaign.Status.APPOINTED], "not_taken_forward": [None, concluded]},
        )
    return appointment
