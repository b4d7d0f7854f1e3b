"""Writes to EDI action plans: every one validated, atomic and audited."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from carelead.actionplans.models import Action, ActionUpdate
from carelead.audit.models import AuditLog
from carelead.audit.services import Actor, audit_record, diff

# The fields a manager edits on the action's own form; status moves only through the progress log.
DETAIL_FIELDS = (
    "measure_code",
    "title",
    "description",
    "success_measure",
    "owner_name",
    "owner_role",
    "owner",
    "start_on",
    "due_on",
)


def _snapshot(action: Action, fields) -> dict:
    return {name: getattr(action, name) for name in fields}


def _audit(*, by, action: str, target: Action, object_type: str, object_id, changes: dict) -> None:
    audit_record(
        actor=Actor(user=by),
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_repr=f"{target.organisation.code} {target.measure_code}: {target.title}",
        changes=changes,
        organisation_id=target.organisation_id,
    )


@transaction.atomic
def action_create(
    *,
    organisation,
    by,
    measure_code: str,
    title: str,
    description: str,
    success_measure: str,
    owner_name: str,
    owner_role: str,
    start_on: date,
    due_on: date,
    owner=None,
    status: str = Action.Status.PLANNED,
) -> Action:
    """Record a new action in an organisation's plan; it starts planned or in progress."""
    if status not in Action.OPEN:
        raise ValidationError({"status": "A new action is either planned or in progress."})
    action = Action(
        organisation=organisation,
        measure_code=measure_code,
        title=title.strip(),
        description=description.strip(),
        success_measure=success_measure.strip(),
        owner_name=owner_name.strip(),
        owner_role=owner_role.strip(),
        owner=owner,
        start_on=start_on,
        due_on=due_on,
        status=status,
        created_by=by,
    )
    action.full_clean()
    action.save()
    _audit(
        by=by,
        action=AuditLog.Action.CREATE,
        target=action,
        object_type="actionplans.Action",
        object_id=action.pk,
        changes=diff({}, _snapshot(action, (*DETAIL_FIELDS, "status"))),
    )
    return action


@transaction.atomic
def action_change(*, action: Action, by, **values) -> Action:
    """Change what an action says (measure, wording, owner, dates); returns it unchanged when nothing differs."""
    unknown = set(values) - set(DETAIL_FIELDS)
    if unknown:
        raise ValueError(f"not editable here: {', '.join(sorted(unknown))}")
    action = Action.objects.select_for_update(of=("self",)).select_related("organisation").get(pk=action.pk)
    before = _snapshot(action, DETAIL_FIELDS)
    for name, value in values.items():
        setattr(action, name, value.strip() if isinstance(value, str) else value)
    changes = diff(before, _snapshot(action, DETAIL_FIELDS))
    if not changes:
        return action
    action.full_clean()
    action.save(update_fields=[*values, "updated_at"])
    _audit(
        by=by,
        action=AuditLog.Action.UPDATE,
        target=action,
        object_type="actionplans.Action",
        object_id=action.pk,
        changes=changes,
    )
    return action


@transaction.atomic
def action_progress_record(*, action: Action, by, on: date, note: str, status: str) -> ActionUpdate:
    """Add an entry to an action's progress log, moving its status when the entry says so.

    Done records the entry's date as the completion date; dropped needs the note as its reason; moving away
    from done or dropped clears them, and the log keeps what was said before.
    """
    action = Action.objects.select_for_update(of=("self",)).select_related("organisation").get(pk=action.pk)
    note = note.strip()
    errors = {}
    if status not in Action.Status.values:
        errors["status"] = "Choose a status."
    if on > timezone.localdate():
        errors["date"] = "The date of the update must be today or in the past."
    if status == action.status and not note:
        errors["note"] = "Say what has happened, or change the status."
    if status == Action.Status.DROPPED and status != action.status and not note:
        errors["note"] = "Give the reason for dropping the action."
    if errors:
        raise ValidationError(errors)

    update = ActionUpdate(action=action, date=on, note=note, status_before=action.status, status=status, recorded_by=by)
    update.full_clean()
    update.save()
    _audit(
        by=by,
        action=AuditLog.Action.CREATE,
        target=action,
        object_type="actionplans.ActionUpdate",
        object_id=update.pk,
        changes={"action": [None, action.pk], "date": [None, on.isoformat()], "note": [None, note]},
    )

    if status != action.status:
        before = _snapshot(action, ("status", "completed_on", "dropped_reason"))
        action.status = status
        action.completed_on = on if status == Action.Status.DONE else None
        action.dropped_reason = note if status == Action.Status.DROPPED else ""
        action.full_clean()
        action.save(update_fields=["status", "completed_on", "dropped_reason", "updated_at"])
        _audit(
            by=by,
            action=AuditLog.Action.UPDATE,
            target=action,
            object_type="actionplans.Action",
            object_id=action.pk,
            changes=diff(before, _snapshot(action, ("status", "completed_on", "dropped_reason"))),
        )
    return update


def action_plan_exported(*, organisation, by, rows: int) -> None:
    """Record that an organisation's plan left CareLead as a file."""
    audit_record(
        actor=Actor(user=by),
        action=AuditLog.Action.EXPORT,
        object_type="actionplans.Action",
        object_repr=f"Action plan of {organisation.code} ({rows} actions)",
        organisation_id=organisation.pk,
    )
