"""Alerts before terms end: who is told, each seat and term once, and the daily reminders command."""

from io import StringIO

from django.core import mail
from django.core.management import call_command

from carelead.accounts.tests.factories import RoleAssignmentFactory, UserFactory
from carelead.boards.models import Term, TermAlert, add_months, years_end
from carelead.boards.services import board_term_alerts_send


def _chair_with_account(world, boards):
    """Link RAA's chair to a staff record with a user account."""
    chair = boards["chair"]
    chair.person = world.people["exec"]
    chair.save(update_fields=["person"])
    return UserFactory(email="carol.chair@example.org", person=world.people["exec"])


def _regional_ned_team(world, code: str):
    user = UserFactory(email=f"ned.{code.lower()}@example.org")
    RoleAssignmentFactory(user=user, role="ned_team", organisation=world.orgs[code])
    return user


def _inbox() -> dict[str, str]:
    return {message.to[0]: message.body for message in mail.outbox}


def test_the_team_and_the_chair_are_told_once_per_seat_and_term(world, boards):
    _chair_with_account(world, boards)
    _regional_ned_team(world, "Y98")
    counts = board_term_alerts_send(on=boards.today)
    # Within 6 months: RAA's chair (2) and Nina (4), RBB's NED (1), RCC's chair (5); not Larry (10) or Ada (20).
    assert counts == {"seats": 4, "emails": 3, "already_sent": 0, "nobody_to_tell": 0}
    inbox = _inbox()
    assert set(inbox) == {"ned_team@example.org", "carol.chair@example.org", "ned.y98@example.org"}
    national = inbox["ned_team@example.org"]
    for name in ("Carol Chair", "Nina Nonexec", "Ned Rbb", "Faye Farchair"):
        assert name in national
    assert "Larry Later" not in national and "Ada Associate" not in national
    assert "term 3 ends" in national and "Not possible: 9-year limit".lower() in national
    # The chair hears about their own board; the other region's team about theirs only.
    assert "Nina Nonexec" in inbox["carol.chair@example.org"] and "Ned Rbb" not in inbox["carol.chair@example.org"]
    assert "Faye Farchair" in inbox["ned.y98@example.org"] and "Nina Nonexec" not in inbox["ned.y98@example.org"]
    assert TermAlert.objects.count() == 4

    mail.outbox.clear()
    again = board_term_alerts_send(on=boards.today)
    assert again == {"seats": 0, "emails": 0, "already_sent": 4, "nobody_to_tell": 0}
    assert mail.outbox == []


def test_a_new_term_is_alerted_again_when_it_ends(world, boards):
    board_term_alerts_send(on=boards.today)
    ned = boards["ned"]
    first_end = years_end(ned.start_date, 3)
    Term.objects.create(member=ned, number=1, starts_on=ned.start_date, ends_on=first_end)
    Term.objects.create(member=ned, number=2, starts_on=add_months(first_end, 1), ends_on=years_end(first_end, 3))
    mail.outbox.clear()
    later = add_months(years_end(first_end, 3), -1)
    counts = board_term_alerts_send(on=later)
    assert counts["seats"] == 1 and "Nina Nonexec" in mail.outbox[0].body


def test_dry_run_counts_without_sending_and_nobody_to_tell_is_counted(world, boards):
    world.users["ned_team"].assignments.update(is_active=False)
    counts = board_term_alerts_send(on=boards.today, dry_run=True)
    assert counts == {"seats": 0, "emails": 0, "already_sent": 0, "nobody_to_tell": 4}
    world.users["ned_team"].assignments.update(is_active=True)
    counts = board_term_alerts_send(on=boards.today, dry_run=True)
    assert counts["seats"] == 4 and counts["emails"] == 1
    assert mail.outbox == [] and not TermAlert.objects.exists()


def test_the_daily_reminders_command_sends_them(world, boards):
    out = StringIO()
    call_command("reminders", "--on", boards.today.isoformat(), stdout=out)
    assert "board term alerts: sent 1 emails about 4 seats (0 already sent before, 0 with nobody to tell)" in (
        out.getvalue()
    )
    out = StringIO()
    call_command("reminders", "--on", boards.today.isoformat(), stdout=out)
    assert "board term alerts: sent 0 emails about 0 seats (4 already sent before" in out.getvalue()
