"""carelead status_history_sync: add a status history row for every organisation whose current segment or rating
differs from its latest row (after bulk loads such as the demo or an organisations import)."""

from django.core.management.base import BaseCommand

from carelead.audit.services import Actor
from carelead.challenged.services import status_history_sync


class Command(BaseCommand):
    help = "Record a status history row for each organisation whose segment or rating changed in a bulk load."

    def handle(self, *args, **options) -> None:
        written = status_history_sync(actor=Actor(system="status_history_sync"))
        self.stdout.write(f"{written:,} status history rows recorded.")
