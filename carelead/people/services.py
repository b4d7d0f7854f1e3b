"""Writes to people made through pages (imports write through people/importers.py)."""

from django.db import transaction

from carelead.audit.models import AuditLog
from carelead.audit.services import Actor, audit_record, diff
from carelead.people.models import EqualityMonitoring, Person

MONITORING_FIELDS = ("sex", "ethnic_category", "disability", "sexual_orientation", "religion")


@transaction.atomic
def monitoring_update_own(*, person: Person, user, values: dict[str, str]) -> EqualityMonitoring:
    """A person records their own equality monitoring answers (special-category values never reach the log)."""
    monitoring, _ = EqualityMonitoring.objects.select_for_update().get_or_create(person=person)
    before = {f: getattr(monitoring, f) for f in MONITORING_FIELDS}
    for field in MONITORING_FIELDS:
        setattr(monitoring, field, values[field])
    monitoring.updated_by_self = True
    monitoring.full_clean()
    monitoring.save()
    changed = diff(before, {f: values[f] for f in MONITORING_FIELDS})
    if changed:
        audit_record(
            actor=Actor(user=user),
            action=AuditLog.Action.UPDATE,
            object_type="people.EqualityMonitoring",
            object_id=person.staff_id,
            changes={f: ["(changed)", "(changed)"] for f in changed},
            subject_person_id=person.pk,
            organisation_id=person.organisation_id,
        )
    return monitoring
