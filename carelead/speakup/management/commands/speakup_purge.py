"""carelead speakup_purge [--on YYYY-MM-DD] [--dry-run] [--no-progress]: delete closed cases' content after the
retention period (``CARELEAD_SPEAKUP_RETENTION_DAYS``), keeping only what the quarterly return counts."""

import sys
from datetime import date

from django.core.management.base import BaseCommand
from tqdm import tqdm

from carelead.speakup.services import cases_purge, purge_before, retention_days


def purge_summary(counts: dict[str, int], *, dry_run: bool) -> str:
    """One line saying what the purge did or would do, in counts."""
    if dry_run:
        return (
            f"speak-up retention: would delete the content of {counts['cases']:,} closed cases "
            f"({counts['attachments']:,} files) and {counts['orphan_files']:,} unreferenced files"
        )
    return (
        f"speak-up retention: deleted the content of {counts['cases']:,} closed cases "
        f"({counts['messages']:,} messages, {counts['notes']:,} notes, {counts['escalations']:,} escalations, "
        f"{counts['identity_accesses']:,} identity records, {counts['attachments']:,} files) "
        f"and {counts['orphan_files']:,} unreferenced files"
    )


class Command(BaseCommand):
    help = (
        "Delete the content of speak-up cases closed longer ago than the retention period, keeping only the "
        "figures of the quarterly return. Each case is deleted whole or not at all; running it again is safe."
    )

    def add_arguments(self, parser):
        parser.add_argument("--on", type=date.fromisoformat, help="the day to act as (default today)")
        parser.add_argument("--dry-run", action="store_true", help="count what would be deleted, delete nothing")
        parser.add_argument("--no-progress", action="store_true", help="do not show a progress bar")

    def handle(self, *args, on, dry_run, no_progress, **options):
        self.stdout.write(
            f"speak-up retention: {retention_days():,} days after closure "
            f"(cases closed before {purge_before(on=on).isoformat()})"
        )
        show = not no_progress and not dry_run and sys.stderr.isatty()
        bar = tqdm(total=0, unit=" cases", desc="speak-up purge", disable=not show, file=sys.stderr)

        def progress(done: int, due: int) -> None:
            bar.total = due
            bar.update(done - bar.n)

        try:
            counts = cases_purge(on=on, dry_run=dry_run, progress=progress)
        finally:
            bar.close()
        self.stdout.write(purge_summary(counts, dry_run=dry_run))
