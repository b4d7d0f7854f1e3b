"""carelead population_load FILE.csv: load many organisations' population reference figures, all or nothing."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from carelead.audit.services import Actor
from carelead.boarddiversity.services import POPULATION_COLUMNS, population_load


class Command(BaseCommand):
    help = (
        "Load population reference figures from a CSV file with the columns "
        + ", ".join(POPULATION_COLUMNS)
        + " (see docs/users/board-diversity.md). For each organisation and dimension in the file, its figures "
        "replace those held. Nothing is written if any row is wrong."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path, help="The CSV file, saved as UTF-8")
        parser.add_argument("--no-progress", action="store_true", help="do not show a progress bar")

    def handle(self, *args, file: Path, no_progress: bool, **options) -> None:
        if not file.is_file():
            raise CommandError(f"There is no file at {file}.")
        show = not no_progress and sys.stderr.isatty()
        bar = tqdm(total=0, unit=" rows", desc="population figures", disable=not show, file=sys.stderr)

        def progress(done: int, total: int) -> None:
            bar.total = total
            bar.n = done
            bar.refresh()

        result = population_load(path=file, actor=Actor(system="population_load"), progress=progress)
        bar.close()
        if not result.ok:
            for problem in result.problems:
                self.stderr.write(problem)
            raise CommandError(f"{len(result.problems):,} problems found in {result.rows:,} rows; nothing was loaded.")
        counts = result.counts
        self.stdout.write(
            f"Population figures loaded for {result.organisations:,} organisations from {result.rows:,} rows: "
            f"{counts.created:,} added, {counts.updated:,} changed, {counts.deleted:,} removed, "
            f"{counts.unchanged:,} unchanged."
        )
