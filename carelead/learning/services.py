"""Completions reported by accredited providers, through the API or as xAPI statements."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction

from carelead.audit.models import AuditLog
from carelead.audit.services import Actor, audit_record
from carelead.learning.models import TrainingRecord
from carelead.people.models import Person


class CompletionsRejected(Exception):
    """A submission with problems: {item index: {field: message}}. Nothing was written."""

    def __init__(self, errors: dict[str, dict[str, str]]):
        super().__init__(f"{len(errors)} completions have problems")
        self.errors = errors


@dataclass
class Completion:
    """One completion as a provider reports it."""

    record_id: str
    staff_id: str
    module: str
    date: date
    completed: bool = True
    expires_on: date | None = None


def provider_for(assignment):
    """The curriculum provider a provider user acts for: linked to their organisation, or sharing its code."""
    from carelead.standards.models import Provider

    if assignment is None or assignment.organisation_id is None:
        return None
    return (
        Provider.objects.filter(organisation_id=assignment.organisation_id).first()
        or Provider.objects.filter(code=assignment.organisation.code).first()
    )


def record_key(provider_code: str, record_id: str) -> str:
    """Providers' record ids are unique per provider, so they are stored under the provider's code."""
    return f"{provider_code}:{record_id}"[:40]


@transaction.atomic
def completions_post(*, provider, completions: list[Completion], by) -> dict[str, Any]:
    """Write a provider's completions all or nothing; each error names its item and field.

    Idempotent: the same record again changes nothing; a changed record is updated.
    """
    from carelead.standards.models import Accreditation

    errors: dict[str, dict[str, str]] = {}
    seen: set[str] = set()
    people = dict(Person.objects.filter(staff_id__in={c.staff_id for c in completions}).values_list("staff_id", "id"))
    accreditations: dict[str, list] = {}
    for a in Accreditation.objects.filter(provider=provider).select_related("module"):
        accreditations.setdefault(a.module.code, []).append(a)
    for index, c in enumerate(completions):
        problems = {}
        if not c.record_id or len(c.record_id) > 30:
            problems["record_id"] = "give your own id for the record, up to 30 characters"
        elif c.record_id in seen:
            problems["record_id"] = "this record id appears twice in the submission"
        seen.add(c.record_id)
        if c.staff_id not in people:
            problems["staff_id"] = f"no member of staff has the ID '{c.staff_id}'"
        modules = accreditations.get(c.module)
        if not modules:
            problems["module"] = f"'{c.module}' is not a module you are accredited to deliver"
        elif not any(a.covers(c.date) for a in modules):
            problems["date"] = f"your accreditation for {c.module} did not cover {c.date.isoformat()}"
        if c.expires_on and c.expires_on < c.date:
            problems["expires_on"] = "the completion cannot expire before it happened"
        if problems:
            errors[str(index)] = problems
    if errors:
        raise CompletionsRejected(errors)
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    keys = [record_key(provider.code, c.record_id) for c in completions]
    existing = {r.record_id: r for r in TrainingRecord.objects.filter(record_id__in=keys)}
    for key, c in zip(keys, completions, strict=True):
        values = {
            "person_id": people[c.staff_id],
            "course_code": c.module,
            "mandatory": False,
            "date": c.date,
            "completed": c.completed,
            "expires_on": c.expires_on,
            "provider_code": provider.code,
        }
        record = existing.get(key)
        if record is None:
            TrainingRecord.objects.create(record_id=key, **values)
            counts["created"] += 1
        elif any(getattr(record, f) != v for f, v in values.items()):
            for f, v in values.items():
                setattr(record, f, v)
            record.save()
            counts["updated"] += 1
        else:
            counts["unchanged"] += 1
    audit_record(
        actor=Actor(user=by),
        action=AuditLog.Action.IMPORT,
        object_type="learning.TrainingRecord",
        object_id=provider.code,
        object_repr=f"{len(completions)} completions from {provider.name}"[:255],
        changes=counts,
    )
    return counts
