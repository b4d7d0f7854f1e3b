"""carelead feedback_reminders [--on YYYY-MM-DD] [--dry-run]: the daily 360 feedback job."""

from datetime import date

from django.core.management.base import BaseCommand

from carelead.feedback.services import feedback_reminders, feedback_requests_close_due


class Command(BaseCommand):
    help = (
        "Close 360 feedback requests whose deadline has passed, and remind raters who have not answered, once, "
        "from three days before the deadline."
    )

    def add_arguments(self, parser):
        parser.add_argument("--on", type=date.fromisoformat, help="the day to act as (default today)")
        parser.add_argument("--dry-run", action="store_true", help="count the reminders; send and close nothing")

    def handle(self, *args, on, dry_run, **options):
        closed = 0 if dry_run else feedback_requests_close_due(on=on)
        reminded = feedback_reminders(on=on, dry_run=dry_run)
        verb = "would send" if dry_run else "sent"
        self.stdout.write(
            f"360 feedback: closed {closed:,} requests past their deadline; {verb} {reminded:,} reminders"
        )
