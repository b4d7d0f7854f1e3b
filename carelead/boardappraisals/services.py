"""Writes to board appraisals: every one validated, atomic and audited, and none once signed off or closed."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone

from carelead.accounts.roles import Role
from carelead.audit.models import AuditLog
from carelead.audit.services import Actor, AuditEntry, audit_bulk, audit_record, diff
from carelead.boardappraisals.models import BoardAppraisal, BoardObjective, DomainRating, due_on_for
from carelead.boardappraisals.selectors import board_chair_in_post, board_members_due
from carelead.boards.models import BoardMember
from carelead.core.choices import AppraisalRating, BoardRole, OrganisationType
from carelead.organisations.models import Organisation
from carelead.standards.models import Framework

State = BoardAppraisal.State

# The published board framework whose domains every board appraisal is rated against.
BOARD_FRAMEWORK_CODE = "CLBF"

# In which states each section of the form may be saved: objectives are agreed from the start, feedback is
# gathered once the appraisal moves on, and the appraiser rates the domains and the whole at the review.
SECTION_STATES = {
    "appraiser": (State.DRAFT, State.FEEDBACK, State.REVIEW),
    "objectives": (State.DRAFT, State.FEEDBACK, State.REVIEW),
    "feedback": (State.FEEDBACK, State.REVIEW),
    "domains": (State.REVIEW,),
    "outcome": (State.REVIEW,),
}
# The moves a person may make by hand; signing off has its own service.
MOVES = {
    State.DRAFT: (State.FEEDBACK, State.CLOSED),
    State.FEEDBACK: (State.DRAFT, State.REVIEW, State.CLOSED),
    State.REVIEW: (State.FEEDBACK, State.CLOSED),
}
FEEDBACK_FIELDS = ("feedback_board", "feedback_executives", "feedback_partners", "feedback_staff", "feedback_themes")
OUTCOME_FIELDS = ("overall_rating", "appraiser_comments", "member_comments")
OBJECTIVE_FIELDS = ("title", "measure", "is_edi", "rating", "order")
OBJECT_TYPE = "boardappraisals.BoardAppraisal"


def _snapshot(obj, fields) -> dict:
    return {name: getattr(obj, name) for name in fields}


def _audit(
    *, by, action: str, appraisal: BoardAppraisal, changes: dict, object_type: str = OBJECT_TYPE, object_id=None
):
    audit_record(
        actor=Actor(user=by),
        action=action,
        object_type=object_type,
        object_id=appraisal.pk if object_id is None else object_id,
        object_repr=f"{appraisal.organisation.code} {appraisal.year} appraisal of {appraisal.member.name}",
        changes=changes,
        subject_person_id=appraisal.member.person_id,
        organisation_id=appraisal.organisation_id,
    )


def _locked(appraisal: BoardAppraisal, *, with_parts: bool = False) -> BoardAppraisal:
    appraisals = BoardAppraisal.objects.select_for_update(of=("self",)).select_related(
        "member", "organisation", "organisation__region"
    )
    if with_parts:
        appraisals = appraisals.prefetch_related(
            Prefetch("domain_ratings", queryset=DomainRating.objects.select_related("domain")), "objectives"
        )
    return appraisals.get(pk=appraisal.pk)


def _refuse_if_finished(appraisal: BoardAppraisal) -> None:
    if appraisal.state == State.SIGNED_OFF:
        raise ValidationError("This appraisal has been signed off and cannot be changed.")
    if appraisal.state == State.CLOSED:
        raise ValidationError("This appraisal has been closed and cannot be changed.")


def section_open(*, appraisal: BoardAppraisal, section: str) -> bool:
    """Whether a section of the form may be saved in the appraisal's current state."""
    return appraisal.state in SECTION_STATES[section]


def _check_section(appraisal: BoardAppraisal, section: str) -> None:
    _refuse_if_finished(appraisal)
    if not section_open(appraisal=appraisal, section=section):
        states = " or ".join(State(s).label.lower() for s in SECTION_STATES[section])
        raise ValidationError(f"This section can be changed only while the appraisal is at: {states}.")


def board_framework_current() -> Framework | None:
    """The published board framework new appraisals are rated against."""
    return Framework.objects.filter(code=BOARD_FRAMEWORK_CODE, status=Framework.Status.PUBLISHED).first()


@transaction.atomic
def board_appraisals_start(
    *, organisation: Organisation, year: int, by, include_associates: bool = False, today: date | None = None
) -> list[BoardAppraisal]:
    """Create the year's appraisals for every board member in post who has none yet; returns the new ones.

    Chairs, non-executive and executive directors are appraised (associates only when asked). Each appraisal's
    due date follows the member's role, and it gets one domain rating for each domain of the published board
    framework. Running it again creates only what is missing.
    """
    today = today or timezone.localdate()
    if organisation.type in (OrganisationType.NATIONAL, OrganisationType.REGION):
        raise ValidationError("Board appraisals belong to an organisation's own board, not a region's.")
    if not today.year - 1 <= year <= today.year + 1:
        raise ValidationError({"year": f"Choose a year from {today.year - 1} to {today.year + 1}."})
    framework = board_framework_current()
    domains = list(framework.domains.order_by("order", "code")) if framework else []
    if not domains:
        raise ValidationError("The board leadership framework has not been published, so there is nothing to rate.")
    # One start at a time for an organisation, so two people pressing the button make one set of appraisals.
    Organisation.objects.select_for_update().filter(pk=organisation.pk).first()

    started = set(
        BoardAppraisal.objects.filter(organisation=organisation, year=year).values_list("member_id", flat=True)
    )
    members = [
        m
        for m in board_members_due(organisation=organisation, on=today, include_associates=include_associates)
        if m.pk not in started
    ]
    if not members:
        return []
    chair = board_chair_in_post(organisation=organisation, on=today)
    appraisals = []
    for member in members:
        # The chair appraises the non-executives (and associates); the chair's appraiser (the senior independent
        # director) and an executive's (the chief executive) are not marked on board records, so HR names them.
        appraised_by_chair = chair is not None and member.role in (BoardRole.NON_EXECUTIVE, BoardRole.ASSOCIATE)
        appraisal = BoardAppraisal(
            member=member,
            organisation=organisation,
            role=member.role,
            year=year,
            due_on=due_on_for(role=member.role, year=year),
            framework=framework,
            appraiser_member=chair if appraised_by_chair else None,
            appraiser_name=chair.name if appraised_by_chair else "",
            created_by=by,
        )
        appraisal.full_clean(
            exclude=["member", "organisation", "framework", "appraiser_member", "created_by"],
            validate_unique=False,
            validate_constraints=False,
        )
        appraisals.append(appraisal)
    BoardAppraisal.objects.bulk_create(appraisals)
    DomainRating.objects.bulk_create(
        [DomainRating(appraisal=appraisal, domain=domain) for appraisal in appraisals for domain in domains]
    )
    audit_bulk(
        actor=Actor(user=by),
        entries=[
            AuditEntry(
                action=AuditLog.Action.CREATE,
                object_type=OBJECT_TYPE,
                object_id=a.pk,
                object_repr=f"{organisation.code} {year} appraisal of {a.member.name}",
                changes=diff({}, {"member": a.member_id, "year": year, "due_on": a.due_on, "framework": framework.pk}),
                subject_person_id=a.member.person_id,
                organisation_id=organisation.pk,
            )
            for a in appraisals
        ],
    )
    return appraisals


@transaction.atomic
def board_appraisal_appraiser_save(
    *, appraisal: BoardAppraisal, by, appraiser_name: str, appraiser_member: BoardMember | None = None
) -> BoardAppraisal:
    """Name the appraiser: the chair, the senior independent director (for the chair) or the chief executive."""
    appraisal = _locked(appraisal)
    _check_section(appraisal, "appraiser")
    if appraiser_member is not None:
        if appraiser_member.organisation_id != appraisal.organisation_id:
            raise ValidationError({"appraiser_member": "Choose a member of the same board."})
        if appraiser_member.pk == appraisal.member_id:
            raise ValidationError({"appraiser_member": "A board member cannot appraise themselves."})
    name = appraiser_name.strip() or (appraiser_member.name if appraiser_member else "")
    if not name:
        raise ValidationError({"appraiser_name": "Enter the appraiser's name."})
    before = _snapshot(appraisal, ("appraiser_name", "appraiser_member"))
    appraisal.appraiser_name, appraisal.appraiser_member = name, appraiser_member
    changes = diff(before, _snapshot(appraisal, ("appraiser_name", "appraiser_member")))
    if changes:
        appraisal.full_clean(validate_unique=False, validate_constraints=False)
        appraisal.save(update_fields=["appraiser_name", "appraiser_member", "updated_at"])
        _audit(by=by, action=AuditLog.Action.UPDATE, appraisal=appraisal, changes=changes)
    return appraisal


@transaction.atomic
def board_objectives_save(*, appraisal: BoardAppraisal, by, rows: list[dict]) -> list[BoardObjective]:
    """Add, change and remove the member's objectives in one go; returns them in order.

    Each row has ``title``, ``measure``, ``is_edi`` and ``rating``, with ``pk`` for an existing objective and
    ``delete`` to remove it. Objectives are rated only at the appraiser's review.
    """
    appraisal = _locked(appraisal)
    _check_section(appraisal, "objectives")
    existing = {o.pk: o for o in appraisal.objectives.all()}
    errors = []
    kept, created, changed, removed = [], [], [], []
    for row in rows:
        pk = row.get("pk")
        objective = existing.get(pk) if pk else None
        if pk and objective is None:
            raise ValidationError("One of the objectives no longer exists. Reload the page and try again.")
        if row.get("delete"):
            if objective is not None:
                removed.append(objective)
            continue
        rating = row.get("rating") or ""
        if rating and appraisal.state != State.REVIEW:
            errors.append("Objectives are rated at the appraiser's review.")
        if rating and rating not in AppraisalRating.values:
            errors.append("Choose a rating from the list.")
        values = {
            "title": (row.get("title") or "").strip(),
            "measure": (row.get("measure") or "").strip(),
            "is_edi": bool(row.get("is_edi")),
            "rating": rating,
            "order": len(kept),
        }
        if not values["title"] or not values["measure"]:
            errors.append("Give every objective a title and say how it is measured.")
        if objective is None:
            objective = BoardObjective(appraisal=appraisal, **values)
            created.append(objective)
        else:
            before = _snapshot(objective, OBJECTIVE_FIELDS)
            for name, value in values.items():
                setattr(objective, name, value)
            if diff(before, values):
                changed.append((objective, diff(before, values)))
        kept.append(objective)
    if errors:
        raise ValidationError(sorted(set(errors)))

    for objective in removed:
        changes = diff(_snapshot(objective, OBJECTIVE_FIELDS), {})
        object_id = objective.pk
        objective.delete()
        _audit(
            by=by,
            action=AuditLog.Action.DELETE,
            appraisal=appraisal,
            changes=changes,
            object_type="boardappraisals.BoardObjective",
            object_id=object_id,
        )
    for objective, changes in changed:
        objective.full_clean(exclude=["appraisal"])
        objective.save(update_fields=list(OBJECTIVE_FIELDS))
        _audit(
            by=by,
            action=AuditLog.Action.UPDATE,
            appraisal=appraisal,
            changes=changes,
            object_type="boardappraisals.BoardObjective",
            object_id=objective.pk,
        )
    for objective in created:
        objective.full_clean(exclude=["appraisal"])
        objective.save()
        _audit(
            by=by,
            action=AuditLog.Action.CREATE,
            appraisal=appraisal,
            changes=diff({}, _snapshot(objective, OBJECTIVE_FIELDS)),
            object_type="boardappraisals.BoardObjective",
            object_id=objective.pk,
        )
    if removed or changed or created:
        appraisal.save(update_fields=["updated_at"])
    return kept


@transaction.atomic
def board_appraisal_feedback_save(
    *,
    appraisal: BoardAppraisal,
    by,
    feedback_board: int,
    feedback_executives: int,
    feedback_partners: int,
    feedback_staff: int,
    feedback_themes: str,
) -> BoardAppraisal:
    """Record the multi-source feedback: how many contributed in each group (never who) and the themes."""
    appraisal = _locked(appraisal)
    _check_section(appraisal, "feedback")
    values = {
        "feedback_board": feedback_board,
        "feedback_executives": feedback_executives,
        "feedback_partners": feedback_partners,
        "feedback_staff": feedback_staff,
        "feedback_themes": feedback_themes.strip(),
    }
    return _save_fields(appraisal=appraisal, by=by, values=values)


@transaction.atomic
def board_appraisal_outcome_save(
    *, appraisal: BoardAppraisal, by, overall_rating: str, appraiser_comments: str, member_comments: str
) -> BoardAppraisal:
    """Record the overall rating and the appraiser's and the member's comments."""
    appraisal = _locked(appraisal)
    _check_section(appraisal, "outcome")
    values = {
        "overall_rating": overall_rating or "",
        "appraiser_comments": appraiser_comments.strip(),
        "member_comments": member_comments.strip(),
    }
    return _save_fields(appraisal=appraisal, by=by, values=values)


def _save_fields(*, appraisal: BoardAppraisal, by, values: dict) -> BoardAppraisal:
    before = _snapshot(appraisal, values)
    for name, value in values.items():
        setattr(appraisal, name, value)
    changes = diff(before, values)
    if changes:
        appraisal.full_clean(validate_unique=False, validate_constraints=False)
        appraisal.save(update_fields=[*values, "updated_at"])
        _audit(by=by, action=AuditLog.Action.UPDATE, appraisal=appraisal, changes=changes)
    return appraisal


@transaction.atomic
def board_domain_ratings_save(
    *, appraisal: BoardAppraisal, by, ratings: dict[int, tuple[str, str]]
) -> list[DomainRating]:
    """Rate the member against the board competency domains: ``{domain id: (rating, evidence)}``.

    A domain may be left unrated while the review goes on; a rating needs its evidence.
    """
    appraisal = _locked(appraisal)
    _check_section(appraisal, "domains")
    rows = list(appraisal.domain_ratings.select_related("domain"))
    errors = {}
    changed, changes = [], {}
    for row in rows:
        if row.domain_id not in ratings:
            continue
        rating, evidence = ratings[row.domain_id]
        rating, evidence = rating or "", (evidence or "").strip()
        if rating and rating not in AppraisalRating.values:
            errors[row.domain.code] = f"Choose a rating for {row.domain.code} from the list."
        elif rating and not evidence:
            errors[row.domain.code] = f"Give the evidence for the rating of {row.domain.code}."
        if (rating, evidence) != (row.rating, row.evidence):
            changes[row.domain.code] = [
                {"rating": row.rating, "evidence": row.evidence},
                {"rating": rating, "evidence": evidence},
            ]
            row.rating, row.evidence = rating, evidence
            changed.append(row)
    if errors:
        raise ValidationError(errors)
    if changed:
        DomainRating.objects.bulk_update(changed, ["rating", "evidence"])
        appraisal.save(update_fields=["updated_at"])
        _audit(
            by=by,
            action=AuditLog.Action.UPDATE,
            appraisal=appraisal,
            changes=changes,
            object_type="boardappraisals.DomainRating",
        )
    return rows


def board_appraisal_move_problems(*, appraisal: BoardAppraisal, to: str) -> list[str]:
    """Why the appraisal cannot move to ``to`` now (empty when it can)."""
    if appraisal.state in BoardAppraisal.FINISHED:
        return [f"The appraisal has been {appraisal.get_state_display().lower()} and cannot move."]
    if to not in MOVES.get(appraisal.state, ()):
        return [f"An appraisal at “{appraisal.get_state_display()}” cannot move to “{State(to).label}”."]
    problems = []
    if to == State.FEEDBACK and appraisal.state == State.DRAFT and not appraisal.appraiser_name:
        problems.append("Name the appraiser before gathering feedback.")
    if to == State.REVIEW:
        if appraisal.feedback_total == 0:
            problems.append("Record how many people gave feedback in each group.")
        if not appraisal.feedback_themes.strip():
            problems.append("Summarise the themes of the feedback.")
    return problems


@transaction.atomic
def board_appraisal_move(*, appraisal: BoardAppraisal, by, to: str, reason: str = "") -> BoardAppraisal:
    """Move the appraisal to another state by hand; closing (for a member who has left) needs a reason."""
    appraisal = _locked(appraisal)
    reason = reason.strip()
    problems = board_appraisal_move_problems(appraisal=appraisal, to=to)
    if to == State.CLOSED and not reason and not problems:
        raise ValidationError({"reason": "Say why the appraisal is being closed."})
    if problems:
        raise ValidationError(problems)
    before = _snapshot(appraisal, ("state", "closed_reason", "closed_at"))
    appraisal.state = to
    fields = ["state", "updated_at"]
    if to == State.CLOSED:
        appraisal.closed_reason, appraisal.closed_at = reason, timezone.now()
        fields += ["closed_reason", "closed_at"]
    appraisal.full_clean(validate_unique=False)
    appraisal.save(update_fields=fields)
    _audit(
        by=by,
        action=AuditLog.Action.UPDATE,
        appraisal=appraisal,
        changes=diff(before, _snapshot(appraisal, ("state", "closed_reason", "closed_at"))),
    )
    return appraisal


def board_appraisal_sign_off_problems(*, appraisal: BoardAppraisal) -> list[str]:
    """What stops the appraisal being signed off (empty when it is complete)."""
    if appraisal.state in BoardAppraisal.FINISHED:
        return [f"The appraisal has already been {appraisal.get_state_display().lower()}."]
    problems = []
    if appraisal.state != State.REVIEW:
        problems.append(
            f"The appraisal must reach the appraiser's review before it is signed off; it is at "
            f"“{appraisal.get_state_display()}”."
        )
    objectives = list(appraisal.objectives.all())
    if not any(o.is_edi for o in objectives):
        problems.append(
            "Add at least one equality, diversity and inclusion (EDI) objective: every board member's appraisal "
            "needs one."
        )
    unrated = [r.domain.code for r in appraisal.domain_ratings.all() if not r.rating]
    if unrated:
        problems.append(f"Rate every board competency domain: {', '.join(unrated)} not rated yet.")
    if not appraisal.overall_rating:
        problems.append("Choose the overall rating.")
    return problems


def board_appraisal_signer_problem(*, appraisal: BoardAppraisal, assignment, user) -> str | None:
    """Why the acting role may not sign this appraisal off (None when it may).

    A chair's appraisal is signed off by the regional talent lead of the region that contains the organisation.
    Other members' appraisals are signed off by the chair, which the organisation's HR and OD lead (as board
    secretary) or a national admin records in CareLead on the chair's behalf.
    """
    organisation = appraisal.organisation
    if user.person_id and user.person_id == appraisal.member.person_id:
        return "You cannot sign off your own appraisal."
    if appraisal.is_chair:
        region = organisation.region.name if organisation.region_id else "the organisation's region"
        in_region = (
            assignment is not None
            and assignment.role == Role.REGIONAL_TALENT
            and assignment.organisation_id is not None
            and assignment.organisation.type == OrganisationType.REGION
            and organisation.path.startswith(assignment.organisation.path)
        )
        if not in_region:
            return f"A chair's appraisal is signed off by the regional talent lead for {region}."
        return None
    if assignment is not None and (
        assignment.role == Role.NATIONAL_ADMIN
        or (assignment.role == Role.ORG_HR and assignment.organisation_id == organisation.pk)
    ):
        return None
    return (
        f"The chair signs off this appraisal; {organisation.name}'s HR and OD lead records the sign-off on the "
        "chair's behalf."
    )


@transaction.atomic
def board_appraisal_sign_off(*, appraisal: BoardAppraisal, by, assignment, signed_off_for: str = "") -> BoardAppraisal:
    """Sign the appraisal off, after which nothing in it changes.

    Refused unless it is at the appraiser's review with at least one EDI objective, every domain rated and an
    overall rating, and unless the acting role may sign it off (``board_appraisal_signer_problem``). When HR
    records a sign-off for the chair, ``signed_off_for`` names the chair.
    """
    appraisal = _locked(appraisal, with_parts=True)
    problem = board_appraisal_signer_problem(appraisal=appraisal, assignment=assignment, user=by)
    if problem:
        raise PermissionDenied(problem)
    problems = board_appraisal_sign_off_problems(appraisal=appraisal)
    if problems:
        raise ValidationError(problems)
    signed_off_for = "" if appraisal.is_chair else signed_off_for.strip()
    if not appraisal.is_chair and not signed_off_for:
        raise ValidationError({"signed_off_for": "Enter the name of the chair you are signing off for."})
    fields = ("state", "signed_off_by", "signed_off_at", "signed_off_for")
    before = _snapshot(appraisal, fields)
    appraisal.state = State.SIGNED_OFF
    appraisal.signed_off_by, appraisal.signed_off_at = by, timezone.now()
    appraisal.signed_off_for = signed_off_for
    appraisal.full_clean(validate_unique=False)
    appraisal.save(update_fields=[*fields, "updated_at"])
    _audit(
        by=by, action=AuditLog.Action.UPDATE, appraisal=appraisal, changes=diff(before, _snapshot(appraisal, fields))
    )
    return appraisal
