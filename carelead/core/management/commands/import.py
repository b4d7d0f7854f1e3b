"""carelead import KIND FILE [--dry-run]"""

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from carelead.audit.services import Actor
from carelead.imports.registry import KINDS
from carelead.imports.services import import_file


class Command(BaseCommand):
    requires_system_checks: list = []
    help = "Import a CSV or XLSX file of one kind, all or nothing (see docs/data-formats.md)."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=sorted(KINDS))
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="check the file and report, writing nothing")
        parser.add_argument("--format", choices=["text", "json"], default="text", help="how to print the report")
        parser.add_argument("--no-progress", action="store_true", help="do not show a progress bar")

    def handle(self, *args, kind, file, dry_run, format, no_progress, **options):
        if not file.is_file():
            raise CommandError(f"{file}: no such file", returncode=2)
        show = not no_progress and format == "text" and sys.stderr.isatty()
        bar = tqdm(
            total=100,
            unit="%",
            desc=f"{kind}",
            disable=not show,
            file=sys.stderr,
            bar_format="{desc}: {percentage:3.0f}%|{bar}| {postfix}",
        )

        def progress(fraction: float, rows: int) -> None:
            bar.n = round(fraction * 100)
            bar.set_postfix_str(f"{rows:,} rows")

        result = import_file(
            kind_name=kind, path=file, actor=Actor(system=f"import:{kind}"), dry_run=dry_run, progress=progress
        )
        bar.close()
        if format == "json":
            self.stdout.write(json.dumps(result.as_dict(), indent=2, default=str))
        else:
            for warning in result.warnings:
                self.stderr.write(f"warning: {warning}")
            for problem in result.problems:
                self.stdout.write(problem.render())
            if result.problem_count > len(result.problems):
                self.stdout.write(f"… and {result.problem_count - len(result.problems):,} more problems")
            if result.ok:
                verb = "would import" if dry_run else "imported"
                self.stdout.write(
                    f"{kind}: {verb} {result.rows:,} rows: {result.counts.created:,} new, "
                    f"{result.counts.updated:,} changed, {result.counts.unchanged:,} unchanged"
                )
            else:
                self.stdout.write(
                    f"{kind}: {result.problem_count:,} problems in {result.rows:,} rows; nothing was written"
                )
        if not result.ok:
            sys.exit(1)
