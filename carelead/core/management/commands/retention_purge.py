"""carelead retention_purge [--on YYYY-MM-DD] [--dry-run] [--only RULE] [--no-progress]: apply every retention
rule (carelead/core/retention.py), or one, and print what each did."""

import sys
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from tqdm import tqdm

from carelead.core.retention import RULES, RULES_BY_CODE, Rule, retention_run


def retention_lines(*, on: date | None = None, dry_run: bool = False, only: str | None = None, progress=None):
    """Run the rules and return one summary line per rule (for this command and the daily job)."""
    return [result.summary for result in retention_run(on=on, dry_run=dry_run, only=only, progress_for=progress)]


class Command(BaseCommand):
    help = (
        "Apply the retention periods: delete, anonymise or reduce the personal data whose period has passed. Each "
        "rule runs whole or not at all, is audited in counts, and running it again changes nothing. Rules: "
        + ", ".join(rule.code for rule in RULES)
        + "."
    )

    def add_arguments(self, parser):
        parser.add_argument("--on", type=date.fromisoformat, help="the day to act as (default today)")
        parser.add_argument("--dry-run", action="store_true", help="count what would change, change nothing")
        parser.add_argument("--only", choices=sorted(RULES_BY_CODE), help="run this rule only")
        parser.add_argument("--no-progress", action="store_true", help="do not show progress bars")

    def handle(self, *args, on, dry_run, only, no_progress, **options):
        show = not no_progress and not dry_run and sys.stderr.isatty()
        bars: list[tqdm] = []

        def progress_for(rule: Rule):
            if not show:
                return None
            bar = tqdm(total=0, unit=" records", desc=rule.code, file=sys.stderr)
            bars.append(bar)

            def progress(done: int, due: int) -> None:
                bar.total = due
                bar.update(done - bar.n)

            return progress

        day = on or timezone.localdate()
        for rule in [RULES_BY_CODE[only]] if only else RULES:
            self.stdout.write(
                f"{rule.code}: {rule.days():,} days ({rule.setting}), so before {rule.cutoff(day).isoformat()}"
            )
        try:
            lines = retention_lines(on=on, dry_run=dry_run, only=only, progress=progress_for)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        finally:
            for bar in bars:
                bar.close()
        for line in lines:
            self.stdout.write(line)
