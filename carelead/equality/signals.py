"""Cached equality figures expire when any record they are computed from changes, whichever page or API wrote it.

Imports and the demo loader write in bulk (no signals) and call ``data_changed`` themselves; this covers the
single writes: a promotion on a staff record, a person's own monitoring answers, a gate exception or programme
decision, a completion posted by a provider.
"""

from django.db import transaction
from django.db.models.signals import post_delete, post_save

WATCHED = [
    "people.Person",
    "people.EqualityMonitoring",
    "people.EmploymentChange",
    "learning.TrainingRecord",
    "equality.RecruitmentDecision",
    "equality.DisciplinaryCase",
    "equality.CapabilityCase",
    "equality.SurveyResult",
    "boards.BoardMember",
    "boards.BoardMemberMonitoring",
    "standards.CohortApplication",
    "standards.GateException",
    "standards.Accreditation",
]


def _changed(sender, **kwargs) -> None:
    from carelead.equality.selectors import data_changed

    transaction.on_commit(data_changed)


def connect() -> None:
    from django.apps import apps

    for label in WATCHED:
        model = apps.get_model(label)
        post_save.connect(_changed, sender=model, dispatch_uid=f"equality-changed-{label}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"equality-deleted-{label}")
