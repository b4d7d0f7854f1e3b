"""Every path that changes an organisation's oversight segment or CQC rating one record at a time (an edit page,
the admin, a script) leaves a row in the status history. The status service writes its own row first, so the
row here is written only when the values differ from the latest row. Bulk writes send no signals: imports call
``status_history_sync`` instead."""

from django.db.models.signals import post_save, pre_save

WATCHED_FIELDS = frozenset({"oversight_segment", "cqc_rating"})
SKIP = "skip"


def _remember(sender, instance, raw=False, update_fields=None, **kwargs) -> None:
    """Keep the values before the save, so the save after can tell whether they changed."""
    if raw or instance.pk is None:
        instance._status_before = None
    elif update_fields is not None and not WATCHED_FIELDS & set(update_fields):
        instance._status_before = SKIP
    else:
        instance._status_before = (
            sender.objects.filter(pk=instance.pk).values_list("oversight_segment", "cqc_rating").first()
        )


def _record(sender, instance, created, raw=False, **kwargs) -> None:
    if raw:
        return
    before = getattr(instance, "_status_before", None)
    if not created:
        if before is None or before == SKIP:
            return
        if (before[0], before[1] or "") == (instance.oversight_segment, instance.cqc_rating or ""):
            return
    from carelead.challenged.services import status_change_from_record

    status_change_from_record(organisation=instance)


def connect() -> None:
    from carelead.organisations.models import Organisation

    pre_save.connect(_remember, sender=Organisation, dispatch_uid="challenged-status-before")
    post_save.connect(_record, sender=Organisation, dispatch_uid="challenged-status-history")
