"""Writes to talent conversations: validated, atomic and audited; only the person and their managers write."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from carelead.audit.models import AuditLog
from carelead.audit.services import Actor, audit_record, diff
from carelead.core.keys import keys_q
from carelead.talent.models import TalentConversation

FIELDS = (
    "held_on",
    "coach_name",
    "impact",
    "growth",
    "growth_direction",
    "readiness",
    "mobility_regions",
    "mobility_sectors",
    "aspiration",
    "development_plan",
)


def _audit(by, conversation: TalentConversation, action: str, changes: dict) -> None:
    audit_record(
        actor=Actor.of(by),
        action=action,
        object_type="talent.TalentConversation",
        object_id=conversation.pk,
        object_repr=f"Talent conversation with {conversation.person.staff_id} on {conversation.held_on}",
        changes=changes,
        subject_person_id=conversation.person_id,
        organisation_id=conversation.person.organisation_id,
    )


def _check(values: dict) -> None:
    if values["held_on"] > timezone.localdate():
        raise ValidationError({"held_on": "A conversation cannot be dated in the future."})


@transaction.atomic
def conversation_record(*, person, held_with, by, values: dict) -> TalentConversation:
    """Record a conversation about ``person``, held with their manager (``held_with``) or a named coach."""
    _check(values)
    conversation = TalentConversation(person=person, held_with=held_with, recorded_by=by, **values)
    conversation.full_clean()
    conversation.save()
    _audit(by, conversation, AuditLog.Action.CREATE, {"held_on": values["held_on"].isoformat()})
    return conversation


@transaction.atomic
def conversation_change(*, conversation: TalentConversation, by, values: dict) -> TalentConversation:
    conversation = TalentConversation.objects.select_for_update().get(pk=conversation.pk)
    _check(values)
    before = {f: getattr(conversation, f) for f in FIELDS}
    for name, value in values.items():
        setattr(conversation, name, value)
    conversation.full_clean()
    conversation.save()
    _audit(by, conversation, AuditLog.Action.UPDATE, diff(before, {f: getattr(conversation, f) for f in FIELDS}))
    return conversation


@transaction.atomic
def conversation_comment(*, conversation: TalentConversation, by, text: str) -> TalentConversation:
    """The person's own comments on what was recorded about them."""
    if by.person_id != conversation.person_id:
        raise PermissionDenied("Only the person the conversation is about comments on it.")
    conversation = TalentConversation.objects.select_for_update().get(pk=conversation.pk)
    conversation.person_comments = text.strip()
    conversation.save(update_fields=["person_comments", "updated_at"])
    _audit(by, conversation, AuditLog.Action.UPDATE, {"person_comments": "(changed)"})
    return conversation


def latest_conversations(person_ids) -> dict[int, TalentConversation]:
    """Each person's latest talent conversation, for matching and succession planning: the structured answers
    only (the free-text fields are left unread, and load on first use)."""
    latest: dict[int, TalentConversation] = {}
    rows = (
        TalentConversation.objects.filter(keys_q("person_id", person_ids))
        .defer("aspiration", "development_plan", "person_comments", "coach_name")
        .order_by("person_id", "-held_on", "-pk")
    )
    for conversation in rows:
        latest.setdefault(conversation.person_id, conversation)
    return latest


def today() -> date:
    return timezone.localdate()
