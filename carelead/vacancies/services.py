"""Every write to vacancies and applications: validated against the state, atomic and audited.

The vacancy workflow: draft → open → shortlisting → interviewing → filled, or withdrawn (with a reason) from any
state before filled. A vacancy is filled only by appointing a candidate, and appointment goes through the
progression gate.

An application moves: applied → shortlisted or not shortlisted; shortlisted → interviewed or not appointed;
interviewed → appointed or not appointed; the applicant may withdraw while it is still in play. Each move is an
``ApplicationDecision`` with its reason, kept for ever. Shortlisting and appointment decisions are copied into the
recruitment data set the equality standards read (WRES 2, WDES 2), keyed ``CL-<application pk>``.
"""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from carelead.audit.models import AuditLog
from carelead.audit.services import Actor, AuditEntry, audit_bulk, audit_record, diff
from carelead.core.choices import LEVEL_ORDER, Level, OrganisationType
from carelead.standards.selectors import management_standards
from carelead.vacancies.models import (
    Application,
    ApplicationDecision,
    ApplicationSource,
    ApplicationStatus,
    Vacancy,
    VacancyStatus,
)

EDITABLE_FIELDS = (
    "title",
    "level",
    "location",
    "opens_on",
    "closes_on",
    "description",
    "required_standards",
    "succession_plan",
)
# Organisations that oversee others employ no one through CareLead vacancies.
NOT_EMPLOYERS = (OrganisationType.NATIONAL, OrganisationType.REGION)

VACANCY_MOVES: dict[str, tuple[str, ...]] = {
    VacancyStatus.DRAFT: (VacancyStatus.OPEN, VacancyStatus.WITHDRAWN),
    VacancyStatus.OPEN: (VacancyStatus.SHORTLISTING, VacancyStatus.WITHDRAWN),
    VacancyStatus.SHORTLISTING: (VacancyStatus.INTERVIEWING, VacancyStatus.WITHDRAWN),
    VacancyStatus.INTERVIEWING: (VacancyStatus.WITHDRAWN,),
    VacancyStatus.FILLED: (),
    VacancyStatus.WITHDRAWN: (),
}

S = ApplicationStatus
APPLICATION_MOVES: dict[str, tuple[str, ...]] = {
    S.APPLIED: (S.SHORTLISTED, S.NOT_SHORTLISTED),
    S.SHORTLISTED: (S.INTERVIEWED, S.NOT_APPOINTED),
    S.INTERVIEWED: (S.APPOINTED, S.NOT_APPOINTED),
}
# Applications still in play: they can be decided on or withdrawn.
IN_PLAY = (S.APPLIED, S.SHORTLISTED, S.INTERVIEWED)
# The vacancy states in which each decision may be made.
DECIDED_WHILE: dict[str, tuple[str, ...]] = {
    S.SHORTLISTED: (VacancyStatus.SHORTLISTING,),
    S.NOT_SHORTLISTED: (VacancyStatus.SHORTLISTING,),
    S.INTERVIEWED: (VacancyStatus.INTERVIEWING,),
    S.NOT_APPOINTED: (VacancyStatus.SHORTLISTING, VacancyStatus.INTERVIEWING),
    S.APPOINTED: (VacancyStatus.INTERVIEWING,),
}
OTHER_CANDIDATE_APPOINTED = "Another candidate was appointed"


def today() -> date:
    return timezone.localdate()


def _label(status: str) -> str:
    return (VacancyStatus(status).label if status in VacancyStatus.values else S(status).label).lower()


# Auditing --------------------------------------------------------------------------------------------------


def _audit_vacancy(by, vacancy: Vacancy, action: str, what: str, changes: dict) -> None:
    audit_record(
        actor=Actor.of(by),
        action=action,
        object_type="vacancies.Vacancy",
        object_id=vacancy.pk,
        object_repr=f"{what}: {vacancy.reference} {vacancy.title}",
        changes=changes,
        organisation_id=vacancy.organisation_id,
    )


def _audit_application(by, application: Application, action: str, what: str, changes: dict) -> None:
    audit_record(
        actor=Actor.of(by),
        action=action,
        object_type="vacancies.Application",
        object_id=application.pk,
        object_repr=f"{what}: {application.person.staff_id} for {application.vacancy.reference}",
        changes=changes,
        subject_person_id=application.person_id,
        organisation_id=application.vacancy.organisation_id,
    )


# Vacancies ---------------------------------------------------------------------------------------------------


def _check_vacancy(values: dict, *, organisation, existing: Vacancy | None = None) -> None:
    errors: dict[str, str] = {}
    for name, label in (("title", "a title"), ("location", "where the role is based")):
        if not str(values.get(name) or "").strip():
            errors[name] = f"Enter {label}."
    if values.get("level") not in LEVEL_ORDER[1:]:
        errors["level"] = "Choose the level of the role: leadership vacancies are for first-line managers or above."
    closes_on, opens_on = values.get("closes_on"), values.get("opens_on")
    if closes_on is None:
        errors["closes_on"] = "Enter the closing date."
    elif (existing is None or existing.closes_on != closes_on) and closes_on < today():
        errors["closes_on"] = "The closing date must be today or later."
    elif opens_on is not None and opens_on > closes_on:
        errors["opens_on"] = "The opening date must be on or before the closing date."
    codes = list(values.get("required_standards") or [])
    if codes:
        known = management_standards()
        unknown = [c for c in codes if c not in known]
        if not known:
            errors["required_standards"] = (
                "No management standards framework is published, so no standard can be named."
            )
        elif unknown:
            errors["required_standards"] = (
                f"Not a standard of the current management framework: {', '.join(sorted(unknown))}."
            )
        elif len(set(codes)) != len(codes):
            errors["required_standards"] = "Name each standard once."
    plan = values.get("succession_plan")
    if plan is not None and plan.organisation_id != organisation.pk:
        errors["succession_plan"] = f"Choose a succession plan of {organisation.name}."
    if existing is not None and values.get("level") != existing.level and existing.applications.exists():
        errors["level"] = "The level cannot change once people have applied."
    if errors:
        raise ValidationError(errors)


def _reference_prefix(organisation, year: int) -> str:
    return f"VAC-{organisation.code}-{year}-"


def _next_reference(organisation, year: int) -> str:
    prefix = _reference_prefix(organisation, year)
    taken = Vacancy.objects.filter(reference__startswith=prefix).values_list("reference", flat=True)
    numbers = [int(ref[len(prefix) :]) for ref in taken if ref[len(prefix) :].isdigit()]
    return f"{prefix}{max(numbers, default=0) + 1:04d}"


@transaction.atomic
def vacancy_create(*, organisation, by, values: dict) -> Vacancy:
    """A draft vacancy at ``organisation`` with a new reference VAC-<org code>-<year>-<number>."""
    if organisation.type in NOT_EMPLOYERS:
        raise ValidationError({"organisation": "Choose the organisation that employs the role, not a region."})
    _check_vacancy(values, organisation=organisation)
    fields = {name: values.get(name) for name in EDITABLE_FIELDS}
    fields["title"], fields["location"] = fields["title"].strip(), fields["location"].strip()
    fields["description"] = (fields["description"] or "").strip()
    fields["required_standards"] = list(fields["required_standards"] or [])
    year = today().year
    for _attempt in range(5):
        vacancy = Vacancy(
            organisation=organisation,
            reference=_next_reference(organisation, year),
            status=VacancyStatus.DRAFT,
            created_by=by,
            **fields,
        )
        vacancy.full_clean(exclude=["reference"])
        try:
            with transaction.atomic():
                vacancy.save()
        except IntegrityError:
            continue  # someone took the same number at the same moment: take the next one
        break
    else:
        raise ValidationError("Could not give the vacancy a reference; try again.")
    _audit_vacancy(
        by,
        vacancy,
        AuditLog.Action.CREATE,
        "Vacancy created",
        {"level": vacancy.level, "closes_on": vacancy.closes_on.isoformat(), "status": vacancy.status},
    )
    return vacancy


def _locked_vacancy(vacancy: Vacancy) -> Vacancy:
    return Vacancy.objects.select_for_update(of=("self",)).select_related("organisation").get(pk=vacancy.pk)


@transaction.atomic
def vacancy_change(*, vacancy: Vacancy, by, values: dict) -> Vacancy:
    """Change a draft or open vacancy's details (its organisation and reference never change)."""
    vacancy = _locked_vacancy(vacancy)
    if vacancy.status not in (VacancyStatus.DRAFT, VacancyStatus.OPEN):
        raise ValidationError(f"{vacancy.reference} is {_label(vacancy.status)}: only draft or open vacancies change.")
    merged = {name: values.get(name, getattr(vacancy, name)) for name in EDITABLE_FIELDS}
    _check_vacancy(merged, organisation=vacancy.organisation, existing=vacancy)
    before = {name: getattr(vacancy, name) for name in EDITABLE_FIELDS}
    merged["title"], merged["location"] = merged["title"].strip(), merged["location"].strip()
    merged["description"] = (merged["description"] or "").strip()
    merged["required_standards"] = list(merged["required_standards"] or [])
    for name, value in merged.items():
        setattr(vacancy, name, value)
    vacancy.full_clean()
    vacancy.save(update_fields=[*EDITABLE_FIELDS, "updated_at"])
    changes = diff(before, {name: getattr(vacancy, name) for name in EDITABLE_FIELDS})
    if "description" in changes:
        changes["description"] = ["(changed)", "(changed)"]
    _audit_vacancy(by, vacancy, AuditLog.Action.UPDATE, "Vacancy changed", changes)
    return vacancy


def vacancy_moves(vacancy: Vacancy) -> tuple[str, ...]:
    """The statuses a vacancy may be moved to by hand (filled comes only from an appointment)."""
    return VACANCY_MOVES[vacancy.status]


@transaction.atomic
def vacancy_status_change(*, vacancy: Vacancy, to: str, by, reason: str = "") -> Vacancy:
    """Move a vacancy along its workflow; withdrawing needs a reason."""
    vacancy = _locked_vacancy(vacancy)
    reason = (reason or "").strip()
    current = vacancy.status
    if to == VacancyStatus.FILLED:
        raise ValidationError({"to": "A vacancy is filled by appointing a candidate from its applications."})
    if to not in VacancyStatus.values:
        raise ValidationError({"to": "Choose a status from the list."})
    if not VACANCY_MOVES[current]:
        raise ValidationError({"to": f"{vacancy.reference} is {_label(current)}, so its status cannot change."})
    if to not in VACANCY_MOVES[current]:
        allowed = " or ".join(_label(s) for s in VACANCY_MOVES[current])
        raise ValidationError(
            {"to": f"A vacancy that is {_label(current)} cannot become {_label(to)}; it can become {allowed}."}
        )
    changes: dict = {"status": [current, to]}
    if to == VacancyStatus.WITHDRAWN:
        if not reason:
            raise ValidationError({"reason": "Say why the vacancy is withdrawn."})
        changes["reason"] = reason
        vacancy.withdrawn_reason = reason
    if to == VacancyStatus.OPEN:
        if vacancy.closes_on < today():
            raise ValidationError({"to": "The closing date has passed: change it before opening the vacancy."})
        if vacancy.opens_on is None or vacancy.opens_on > today():
            changes["opens_on"] = [vacancy.opens_on.isoformat() if vacancy.opens_on else None, today().isoformat()]
            vacancy.opens_on = today()
    if to == VacancyStatus.INTERVIEWING:
        waiting = vacancy.applications.filter(status=S.APPLIED).count()
        if waiting:
            raise ValidationError(
                {"to": f"Decide the shortlisting of every application first: {waiting} still waiting."}
            )
        if not vacancy.applications.filter(status=S.SHORTLISTED).exists():
            raise ValidationError({"to": "Nobody is shortlisted, so there is nobody to interview."})
    vacancy.status = to
    vacancy.save(update_fields=["status", "opens_on", "withdrawn_reason", "updated_at"])
    _audit_vacancy(by, vacancy, AuditLog.Action.UPDATE, f"Vacancy {_label(to)}", changes)
    return vacancy


# Applications ------------------------------------------------------------------------------------------------


@transaction.atomic
def application_create(
    *,
    vacancy: Vacancy,
    person,
    by,
    source: str = ApplicationSource.APPLIED,
    statement: str = "",
    on: date | None = None,
) -> Application:
    """An application by ``person`` to ``vacancy``.

    ``source=applied``: the person applies for themselves while the vacancy is open and on or before its closing
    date. ``source=invited``: the talent team invites the person while the vacancy is open or shortlisting (the
    caller has already checked that the vacancy and the person are within their scope).
    """
    on = on or today()
    vacancy = _locked_vacancy(vacancy)
    if source == ApplicationSource.APPLIED:
        if getattr(by, "person_id", None) != person.pk:
            raise PermissionDenied("People apply for vacancies themselves; the talent team invites others.")
        if vacancy.status != VacancyStatus.OPEN:
            raise ValidationError(f"{vacancy.reference} is not open for applications.")
        if vacancy.closes_on < on:
            raise ValidationError(f"{vacancy.reference} closed on {vacancy.closes_on.day} {vacancy.closes_on:%B %Y}.")
    elif source == ApplicationSource.INVITED:
        if vacancy.status not in (VacancyStatus.OPEN, VacancyStatus.SHORTLISTING):
            raise ValidationError(
                f"Invitations to {vacancy.reference} are possible only while it is open or shortlisting."
            )
    else:
        raise ValidationError({"source": "Choose applied or invited."})
    if not person.in_post:
        raise ValidationError(f"{person.full_name} is no longer in post, so cannot apply.")
    duplicate = f"{person.full_name} has already applied for {vacancy.reference}."
    if Application.objects.filter(vacancy=vacancy, person=person).exists():
        raise ValidationError(duplicate)
    application = Application(
        vacancy=vacancy, person=person, source=source, applied_on=on, statement=(statement or "").strip()
    )
    try:
        with transaction.atomic():
            application.save()
    except IntegrityError:
        raise ValidationError(duplicate) from None
    _audit_application(
        by,
        application,
        AuditLog.Action.CREATE,
        "Invited" if source == ApplicationSource.INVITED else "Applied",
        {"source": source, "applied_on": on.isoformat()},
    )
    return application


def application_moves(application: Application) -> tuple[str, ...]:
    """The decisions that may be made on an application now, given its status and its vacancy's."""
    return tuple(
        to for to in APPLICATION_MOVES.get(application.status, ()) if application.vacancy.status in DECIDED_WHILE[to]
    )


def _locked_application(application: Application) -> Application:
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("vacancy__organisation", "person")
        .get(pk=application.pk)
    )


def _check_decision(application: Application, to: str, reason: str, by) -> None:
    if getattr(by, "person_id", None) is not None and by.person_id == application.person_id:
        raise PermissionDenied("Nobody decides on their own application.")
    if to == S.WITHDRAWN:
        raise ValidationError({"to": "Only the applicant can withdraw an application."})
    if to not in S.values or to == S.APPLIED:
        raise ValidationError({"to": "Choose a decision from the list."})
    moves = APPLICATION_MOVES.get(application.status, ())
    if to not in moves:
        if not moves:
            raise ValidationError({"to": f"This application is {_label(application.status)}: it is decided."})
        allowed = " or ".join(_label(s) for s in moves)
        raise ValidationError(
            {"to": f"An application that is {_label(application.status)} can next be {allowed}, not {_label(to)}."}
        )
    vacancy = application.vacancy
    if vacancy.status not in DECIDED_WHILE[to]:
        while_ = " or ".join(_label(s) for s in DECIDED_WHILE[to])
        now = _label(vacancy.status)
        raise ValidationError(
            {"to": f"{S(to).label} is decided while the vacancy is {while_}; {vacancy.reference} is {now}."}
        )
    if not reason:
        raise ValidationError({"reason": "Give the reason for the decision; the applicant sees it."})


def _shortlisted_after(previous: str, to: str) -> bool:
    """Whether the application reached the shortlist, from the move just made."""
    if to in (S.SHORTLISTED, S.INTERVIEWED, S.APPOINTED):
        return True
    if to == S.NOT_SHORTLISTED:
        return False
    return previous in (S.SHORTLISTED, S.INTERVIEWED)


def _recruitment_records(moves: list[tuple[Application, bool]], on: date, by) -> None:
    """Upsert the recruitment data set's rows for these applications, with the applicants' monitoring."""
    from carelead.core.bulk import bulk_upsert
    from carelead.equality.models import RecruitmentDecision
    from carelead.people.models import EqualityMonitoring

    if not moves:
        return
    monitoring = {
        m["person_id"]: m
        for m in EqualityMonitoring.objects.filter(person_id__in=[a.person_id for a, _ in moves]).values(
            "person_id", "ethnic_category", "disability", "sex"
        )
    }
    records = []
    for application, shortlisted in moves:
        answers = monitoring.get(application.person_id, {})
        records.append(
            {
                "application_id": application.recruitment_id,
                "vacancy_id": application.vacancy.reference,
                "organisation_id": application.vacancy.organisation_id,
                "date": on,
                "shortlisted": shortlisted,
                "appointed": application.status == S.APPOINTED,
                "ethnic_category": answers.get("ethnic_category") or "",
                "disability": answers.get("disability") or "U",
                "sex": answers.get("sex") or "",
                "level": application.vacancy.level,
            }
        )
    bulk_upsert(
        model=RecruitmentDecision,
        key_fields=("application_id",),
        records=records,
        actor=Actor.of(by),
        source="vacancies",
        redact=frozenset({"ethnic_category", "disability", "sex"}),
        audit_org=lambda rec: rec["organisation_id"],
    )


def _decide(application: Application, to: str, reason: str, by) -> ApplicationDecision:
    decision = ApplicationDecision.objects.create(application=application, status=to, reason=reason, by=by)
    application.status = to
    application.save(update_fields=["status", "updated_at"])
    return decision


@transaction.atomic
def application_decide(*, application: Application, to: str, reason: str, by, barring_cleared: str = "") -> Application:
    """Record a shortlisting or interview decision with its reason (appointing goes through ``application_appoint``)."""
    if to == S.APPOINTED:
        return application_appoint(application=application, reason=reason, by=by, barring_cleared=barring_cleared)
    application = _locked_application(application)
    reason = (reason or "").strip()
    _check_decision(application, to, reason, by)
    previous = application.status
    _decide(application, to, reason, by)
    if to in (S.SHORTLISTED, S.NOT_SHORTLISTED, S.NOT_APPOINTED):
        _recruitment_records([(application, _shortlisted_after(previous, to))], today(), by)
    _audit_application(
        by, application, AuditLog.Action.UPDATE, S(to).label, {"status": [previous, to], "reason": reason}
    )
    return application


def gate_refusal_message(eligibility) -> str:
    """The gate's explanation of a refusal: what is missing and the quickest modules that would meet it."""
    person = eligibility.person
    parts = [f"The progression gate does not allow appointing {person.full_name} yet: {eligibility.explain()}."]
    quickest = []
    for outcome in eligibility.missing:
        if outcome.suggestions:
            module = outcome.suggestions[0]
            quickest.append(
                f"{outcome.requirement.code}: {module['module']} {module['title']} "
                f"({module['hours']:g} hours, with {', '.join(module['providers'])})"
            )
        else:
            quickest.append(f"{outcome.requirement.code}: no accredited module is offered at the moment")
    if quickest:
        parts.append("Quickest modules: " + "; ".join(quickest) + ".")
    return " ".join(parts)


def _move_organisation(*, person, vacancy: Vacancy, on: date, by) -> None:
    """The appointee now works for the vacancy's organisation; their new line manager is set there later."""
    from carelead.people.models import EmploymentChange, Person

    person = (
        Person.objects.select_for_update(of=("self",)).select_related("organisation", "line_manager").get(pk=person.pk)
    )
    before = {
        "organisation": person.organisation.code,
        "job_title": person.job_title,
        "line_manager": person.line_manager.staff_id if person.line_manager else None,
    }
    person.organisation, person.job_title, person.line_manager = vacancy.organisation, vacancy.title, None
    person.full_clean()
    person.save(update_fields=["organisation", "job_title", "line_manager", "updated_at"])
    EmploymentChange.objects.create(
        person=person,
        effective_on=on,
        kind=EmploymentChange.Kind.CHANGED,
        organisation=vacancy.organisation,
        pay_band=person.pay_band,
        level=person.level,
        job_title=person.job_title,
        previous=before,
        source=f"vacancy:{vacancy.reference}"[:100],
    )
    audit_record(
        actor=Actor.of(by),
        action=AuditLog.Action.UPDATE,
        object_type="people.Person",
        object_id=person.staff_id,
        object_repr=f"Appointed to {vacancy.reference} at {vacancy.organisation.code}",
        changes={
            "organisation": [before["organisation"], vacancy.organisation.code],
            "job_title": [before["job_title"], person.job_title],
            "line_manager": [before["line_manager"], None],
        },
        subject_person_id=person.pk,
        organisation_id=vacancy.organisation_id,
    )


# Board-level directors and their direct reports: the roles the barring list of senior managers covers.
BARRING_LEVELS = (Level.SENIOR, Level.EXECUTIVE)


def _barring_hold(*, application: Application, person, vacancy: Vacancy, cleared: str, by) -> list:
    """Refuse an appointment to a senior or executive role while the barring list names someone who may be the
    appointee, unless the person appointing says how they established it is someone else (audited)."""
    from carelead.fitproper.selectors import barring_check, barring_refusal

    if vacancy.level not in BARRING_LEVELS:
        return []
    # Matched by name only: the date of birth CareLead holds is for fairness monitoring and is not used here.
    entries = barring_check(name=person.full_name)
    if not entries:
        return []
    cleared = (cleared or "").strip()
    if not cleared:
        raise ValidationError(barring_refusal(name=person.full_name, entries=entries), code="barring")
    audit_record(
        actor=Actor(user=by),
        action=AuditLog.Action.UPDATE,
        object_type="vacancies.Application",
        object_id=application.pk,
        object_repr=f"Barring list match set aside for {vacancy.reference}"[:255],
        changes={"barring_matches": [None, [e.reference for e in entries]], "checked": [None, cleared]},
        subject_person_id=person.pk,
        organisation_id=vacancy.organisation_id,
    )
    return entries


@transaction.atomic
def application_appoint(
    *, application: Application, reason: str, by, on: date | None = None, barring_cleared: str = ""
) -> Application:
    """Appoint an interviewed applicant, if the progression gate allows it on ``on`` (default today).

    The vacancy is filled; every other application still in play becomes not appointed; the appointee moves to
    the vacancy's organisation when it is another one, and to the vacancy's level when it is higher (through the
    standards app's level change, which records the promotion).
    """
    from carelead.standards.gate import eligibility_for_level
    from carelead.standards.services import person_change_level

    on = on or today()
    if on > today():
        raise ValidationError({"on": "An appointment cannot be dated in the future."})
    application = _locked_application(application)
    vacancy = application.vacancy
    reason = (reason or "").strip()
    _check_decision(application, S.APPOINTED, reason, by)
    person = application.person
    if not person.in_post:
        raise ValidationError(f"{person.full_name} is no longer in post, so cannot be appointed.")
    eligibility = eligibility_for_level(person=person, level=vacancy.level, on=on)
    if not eligibility.appointable:
        raise ValidationError(gate_refusal_message(eligibility), code="gate")
    _barring_hold(application=application, person=person, vacancy=vacancy, cleared=barring_cleared, by=by)
    vacancy = _locked_vacancy(vacancy)
    application.vacancy = vacancy

    _decide(application, S.APPOINTED, reason, by)
    others = list(
        Application.objects.select_for_update(of=("self",))
        .filter(vacancy=vacancy, status__in=IN_PLAY)
        .exclude(pk=application.pk)
        .select_related("person")
    )
    ApplicationDecision.objects.bulk_create(
        [
            ApplicationDecision(application=o, status=S.NOT_APPOINTED, reason=OTHER_CANDIDATE_APPOINTED, by=by)
            for o in others
        ]
    )
    previous = {o.pk: o.status for o in others}
    moves = [(application, True)]
    for other in others:
        moves.append((other, _shortlisted_after(other.status, S.NOT_APPOINTED)))
        other.vacancy, other.status = vacancy, S.NOT_APPOINTED
    Application.objects.filter(pk__in=[o.pk for o in others]).update(status=S.NOT_APPOINTED, updated_at=timezone.now())
    _recruitment_records(moves, on, by)

    vacancy.status, vacancy.appointed, vacancy.filled_on = VacancyStatus.FILLED, person, on
    vacancy.save(update_fields=["status", "appointed", "filled_on", "updated_at"])

    if person.organisation_id != vacancy.organisation_id:
        _move_organisation(person=person, vacancy=vacancy, on=on, by=by)
        person.refresh_from_db()
    if LEVEL_ORDER.index(vacancy.level) > LEVEL_ORDER.index(person.level):
        person_change_level(
            person=person,
            level=vacancy.level,
            pay_band=person.pay_band,
            job_title=vacancy.title,
            effective_on=on,
            by=by,
        )

    _audit_application(
        by,
        application,
        AuditLog.Action.UPDATE,
        "Appointed",
        {
            "status": [S.INTERVIEWED, S.APPOINTED],
            "reason": reason,
            "gate": "exception" if not eligibility.eligible else "eligible",
        },
    )
    _audit_vacancy(
        by,
        vacancy,
        AuditLog.Action.UPDATE,
        "Vacancy filled",
        {"status": [VacancyStatus.INTERVIEWING, VacancyStatus.FILLED], "appointed": person.staff_id},
    )
    audit_bulk(
        actor=Actor.of(by),
        entries=[
            AuditEntry(
                action=AuditLog.Action.UPDATE,
                object_type="vacancies.Application",
                object_id=str(o.pk),
                object_repr=f"Not appointed: {o.person.staff_id} for {vacancy.reference}",
                changes={"status": [previous[o.pk], S.NOT_APPOINTED], "reason": OTHER_CANDIDATE_APPOINTED},
                subject_person_id=o.person_id,
                organisation_id=vacancy.organisation_id,
            )
            for o in others
        ],
    )
    return application


@transaction.atomic
def application_withdraw(*, application: Application, by, reason: str = "") -> Application:
    """The applicant withdraws an application that is still in play."""
    application = _locked_application(application)
    if getattr(by, "person_id", None) != application.person_id:
        raise PermissionDenied("Only the applicant can withdraw an application.")
    if application.status not in IN_PLAY:
        raise ValidationError(f"This application is {_label(application.status)}, so it can no longer be withdrawn.")
    reason = (reason or "").strip() or "Withdrawn by the applicant"
    previous = application.status
    _decide(application, S.WITHDRAWN, reason, by)
    _audit_application(by, application, AuditLog.Action.UPDATE, "Withdrawn", {"status": [previous, S.WITHDRAWN]})
    return application
