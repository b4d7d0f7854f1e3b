"""Actions are validated, audited and their progress log is append-only; overdue is worked out, never stored."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from carelead.actionplans import catalogue
from carelead.actionplans.models import Action, ActionUpdate
from carelead.actionplans.selectors import actions_for, progress_summary
from carelead.actionplans.services import action_change, action_create, action_progress_record
from carelead.actionplans.tests.factories import ActionFactory, ActionUpdateFactory
from carelead.audit.models import AuditLog

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


def new_action(world, **overrides):
    values = {
        "organisation": world.orgs["RAA"],
        "by": world.users["org_hr"],
        "measure_code": "WRES2",
        "title": "Diverse interview panels",
        "description": "A trained BME panel member on every panel for band 8a and above.",
        "success_measure": "WRES2 below 1.25 by March 2027",
        "owner_name": "Priya Patel",
        "owner_role": "Director of People",
        "start_on": TODAY - 30 * DAY,
        "due_on": TODAY + 200 * DAY,
    }
    return action_create(**{**values, **overrides})


def test_creating_an_action_is_audited(world):
    action = new_action(world)
    assert action.status == Action.Status.PLANNED and action.created_by == world.users["org_hr"]
    entry = AuditLog.objects.get(object_type="actionplans.Action", object_id=str(action.pk))
    assert entry.action == AuditLog.Action.CREATE and entry.organisation_id == world.orgs["RAA"].pk
    assert entry.actor == world.users["org_hr"]
    assert entry.changes["measure_code"] == [None, "WRES2"]
    assert entry.changes["success_measure"] == [None, "WRES2 below 1.25 by March 2027"]


def test_the_due_date_must_come_after_the_start(world):
    with pytest.raises(ValidationError) as caught:
        new_action(world, start_on=TODAY, due_on=TODAY - DAY)
    assert "due_on" in caught.value.error_dict
    with pytest.raises(ValidationError):
        new_action(world, start_on=TODAY, due_on=TODAY)
    assert not Action.objects.exists()


def test_the_measure_must_be_in_the_catalogue(world):
    with pytest.raises(ValidationError) as caught:
        new_action(world, measure_code="WRES99")
    assert "measure_code" in caught.value.error_dict
    assert new_action(world, measure_code="WDES4a").measure.title == "Harassment from the public"


def test_a_new_action_cannot_start_done(world):
    with pytest.raises(ValidationError):
        new_action(world, status=Action.Status.DONE)
    assert new_action(world, status=Action.Status.IN_PROGRESS).status == Action.Status.IN_PROGRESS


def test_the_database_refuses_a_due_date_before_the_start_and_a_dropped_action_without_reason(world):
    action = ActionFactory(organisation=world.orgs["RAA"])
    with pytest.raises(IntegrityError), transaction.atomic():
        Action.objects.filter(pk=action.pk).update(due_on=action.start_on - DAY)
    with pytest.raises(IntegrityError), transaction.atomic():
        Action.objects.filter(pk=action.pk).update(status=Action.Status.DROPPED, dropped_reason="")


def test_dropping_needs_a_reason_and_the_reason_is_kept(world):
    action = new_action(world)
    with pytest.raises(ValidationError) as caught:
        action_progress_record(action=action, by=world.users["org_hr"], on=TODAY, note="  ", status="dropped")
    assert "note" in caught.value.error_dict
    assert not ActionUpdate.objects.exists()
    action_progress_record(
        action=action, by=world.users["org_hr"], on=TODAY, note="Replaced by a system-wide scheme", status="dropped"
    )
    action.refresh_from_db()
    assert (action.status, action.dropped_reason) == ("dropped", "Replaced by a system-wide scheme")
    action.dropped_reason = ""
    with pytest.raises(ValidationError):
        action.full_clean()


def test_status_changes_are_logged_and_audited(world):
    hr = world.users["org_hr"]
    action = new_action(world)
    action_progress_record(action=action, by=hr, on=TODAY - 5 * DAY, note="Panel training booked", status="in_progress")
    action_progress_record(action=action, by=hr, on=TODAY - 2 * DAY, note="First panels held", status="in_progress")
    action_progress_record(action=action, by=hr, on=TODAY, note="", status="done")
    action.refresh_from_db()
    assert action.status == "done" and action.completed_on == TODAY and action.done_on_time
    log = list(action.updates.all())
    assert [(u.status_before, u.status) for u in log] == [
        ("in_progress", "done"),
        ("in_progress", "in_progress"),
        ("planned", "in_progress"),
    ]
    assert [u.status_changed for u in log] == [True, False, True]
    status_entries = AuditLog.objects.filter(object_type="actionplans.Action", action=AuditLog.Action.UPDATE)
    assert sorted(e.changes["status"][1] for e in status_entries) == ["done", "in_progress"]
    assert AuditLog.objects.filter(object_type="actionplans.ActionUpdate", action=AuditLog.Action.CREATE).count() == 3


def test_an_update_must_say_something_and_cannot_be_dated_in_the_future(world):
    action = new_action(world)
    with pytest.raises(ValidationError) as caught:
        action_progress_record(action=action, by=world.users["org_hr"], on=TODAY, note="", status="planned")
    assert "note" in caught.value.error_dict
    with pytest.raises(ValidationError) as caught:
        action_progress_record(action=action, by=world.users["org_hr"], on=TODAY + DAY, note="x", status="planned")
    assert "date" in caught.value.error_dict


def test_reopening_a_done_action_clears_its_completion(world):
    action = new_action(world)
    action_progress_record(action=action, by=world.users["org_hr"], on=TODAY, note="", status="done")
    action_progress_record(
        action=action, by=world.users["org_hr"], on=TODAY, note="Target missed", status="in_progress"
    )
    action.refresh_from_db()
    assert action.completed_on is None and action.status == "in_progress"


def test_the_progress_log_is_append_only(world):
    update = ActionUpdateFactory(action=ActionFactory(organisation=world.orgs["RAA"]))
    update.note = "Rewritten history"
    with pytest.raises(PermissionDenied):
        update.save()
    with pytest.raises(PermissionDenied):
        update.delete()
    with pytest.raises(PermissionDenied):
        ActionUpdate.objects.filter(pk=update.pk).update(note="x")
    with pytest.raises(PermissionDenied):
        ActionUpdate.objects.all().delete()
    # Below the application too: the database refuses to change a row.
    with pytest.raises(Exception, match="cannot be changed"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE actionplans_actionupdate SET note = 'x' WHERE id = %s", [update.pk])
    assert ActionUpdate.objects.get(pk=update.pk).note == "Panel members trained."


def test_editing_an_action_is_audited_with_before_and_after(world):
    action = new_action(world)
    action_change(action=action, by=world.users["national_admin"], title="Diverse panels, all bands", owner=None)
    entry = AuditLog.objects.filter(object_type="actionplans.Action", action=AuditLog.Action.UPDATE).get()
    assert entry.changes == {"title": ["Diverse interview panels", "Diverse panels, all bands"]}
    # No change, no entry.
    action_change(action=action, by=world.users["national_admin"], title="Diverse panels, all bands")
    assert AuditLog.objects.filter(object_type="actionplans.Action", action=AuditLog.Action.UPDATE).count() == 1
    with pytest.raises(ValueError, match="status"):
        action_change(action=action, by=world.users["national_admin"], status="done")
    with pytest.raises(ValidationError):
        action_change(action=action, by=world.users["national_admin"], due_on=action.start_on)


def test_overdue_is_computed_from_today(world):
    raa = world.orgs["RAA"]
    late = ActionFactory(organisation=raa, start_on=TODAY - 90 * DAY, due_on=TODAY - DAY)
    due_today = ActionFactory(organisation=raa, start_on=TODAY - 90 * DAY, due_on=TODAY)
    done_late = ActionFactory(
        organisation=raa, start_on=TODAY - 90 * DAY, due_on=TODAY - 10 * DAY, status="done", completed_on=TODAY - DAY
    )
    dropped = ActionFactory(
        organisation=raa, start_on=TODAY - 90 * DAY, due_on=TODAY - DAY, status="dropped", dropped_reason="Merged"
    )
    assert late.is_overdue and not due_today.is_overdue and not done_late.is_overdue and not dropped.is_overdue
    assert late.is_overdue_on(TODAY - 5 * DAY) is False
    assert not done_late.done_on_time
    summary = progress_summary(raa)
    assert summary["overdue"] == 1 and summary["done"] == 1 and summary["done_on_time"] == 0


def test_progress_summary_counts_by_status(world):
    raa = world.orgs["RAA"]
    ActionFactory(organisation=raa, measure_code="WRES2")
    ActionFactory(organisation=raa, measure_code="WRES2", status="in_progress")
    ActionFactory(
        organisation=raa,
        measure_code="WDES3",
        status="done",
        start_on=TODAY - 60 * DAY,
        due_on=TODAY + DAY,
        completed_on=TODAY,
    )
    ActionFactory(organisation=world.orgs["RBB"], measure_code="WRES3")
    assert progress_summary(raa) == {
        "total": 3,
        "planned": 1,
        "in_progress": 1,
        "done": 1,
        "dropped": 0,
        "overdue": 0,
        "done_on_time": 1,
        "measures": 2,
    }
    assert progress_summary(world.orgs["QZZ"])["total"] == 0
    assert progress_summary(world.orgs["QZZ"], beneath=True)["total"] == 4


def test_actions_for_lists_one_organisations_actions_in_catalogue_order(world):
    raa = world.orgs["RAA"]
    wdes = ActionFactory(organisation=raa, measure_code="WDES10")
    wres9 = ActionFactory(organisation=raa, measure_code="WRES9")
    wres2 = ActionFactory(organisation=raa, measure_code="WRES2")
    ActionFactory(organisation=world.orgs["RBB"], measure_code="WRES2")
    assert actions_for(raa) == [wres2, wres9, wdes]
    assert actions_for(raa, measure_codes=["WRES9", "WDES10"]) == [wres9, wdes]
    assert actions_for(raa, measure_codes=[]) == []


def test_the_catalogue_falls_back_to_the_standards_without_the_fairness_monitors(monkeypatch):
    def missing():
        raise ModuleNotFoundError("No module named 'carelead.equality.monitors'", name="carelead.equality.monitors")

    monkeypatch.setattr(catalogue.equality_measures, "all_measures", missing)
    codes = [m.code for m in catalogue.measure_catalogue()]
    assert codes[0] == "WRES1" and "WDES10" in codes
    assert [name for name, _ in catalogue.measure_groups()] == [
        "Workforce Race Equality Standard (WRES)",
        "Workforce Disability Equality Standard (WDES)",
    ]


def test_the_catalogue_includes_whatever_all_measures_gives(monkeypatch):
    from carelead.equality.measures import MEASURES, Measure

    monitor = Measure("FM-PROMOTION-ETH", "fairness", "Promotion by ethnicity", "d", "likelihood", "parity")
    monkeypatch.setattr(catalogue.equality_measures, "all_measures", lambda: [*MEASURES.values(), monitor])
    assert catalogue.measure_lookup("FM-PROMOTION-ETH") == monitor
    assert catalogue.measure_groups()[-1] == ("Fairness monitors", [monitor])
