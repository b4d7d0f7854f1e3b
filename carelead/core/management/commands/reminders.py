"""carelead reminders [--on YYYY-MM-DD] [--dry-run]: send the reminders that are due and apply the retention
periods (run daily)."""

from datetime import date

from django.core.management.base import BaseCommand

from carelead.appraisals.reminders import appraisal_reminders_send
from carelead.boards.services import board_term_alerts_send
from carelead.core.management.commands.retention_purge import retention_lines
from carelead.feedback.services import feedback_reminders
from carelead.standards.reminders import induction_reminders_send


class Command(BaseCommand):
    help = (
        "Email the national induction and appraisal reminders that are due (each reminder is sent once), and "
        "apply the retention periods (speak-up case content, leavers' equality monitoring, NED candidates, "
        "uploaded import files: see carelead retention_purge)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--on", type=date.fromisoformat, help="the day to act as (default today)")
        parser.add_argument("--dry-run", action="store_true", help="count the reminders without sending them")

    def handle(self, *args, on, dry_run, **options):
        counts = induction_reminders_send(on=on, dry_run=dry_run)
        verb = "would send" if dry_run else "sent"
        self.stdout.write(
            f"induction reminders: {verb} {counts['due_soon']:,} due soon and {counts['overdue']:,} "
            f"overdue ({counts['already_sent']:,} already sent before)"
        )
        counts = appraisal_reminders_send(on=on, dry_run=dry_run)
        self.stdout.write(
            f"appraisal reminders: {verb} {counts['due_soon']:,} due soon and {counts['overdue']:,} "
            f"overdue ({counts['already_sent']:,} already sent before)"
        )
        sent = feedback_reminders(on=on, dry_run=dry_run)
        self.stdout.write(f"360 feedback reminders: {verb} {sent:,}")
        # Board terms of office ending soon (carelead.boards): each seat and term once.
        counts = board_term_alerts_send(on=on, dry_run=dry_run)
        self.stdout.write(
            f"board term alerts: {verb} {counts['emails']:,} emails about {counts['seats']:,} seats "
            f"({counts['already_sent']:,} already sent before, {counts['nobody_to_tell']:,} with nobody to tell)"
        )
        # Every retention rule (carelead/core/retention.py), speak-up case content first.
        for line in retention_lines(on=on, dry_run=dry_run):
            self.stdout.write(line)
