"""carelead barring_load FILE.csv: load the barring list of senior managers, all or nothing."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from carelead.audit.services import Actor
from carelead.fitproper.services import BARRING_COLUMNS, barring_load


class Command(BaseCommand):
    help = (
        "Load the barring list of senior managers from a CSV file with the columns "
        + ", ".join(BARRING_COLUMNS)
        + " (date_of_birth may be blank). Nothing is written if any row is wrong."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path, help="The CSV file, saved as UTF-8")

    def handle(self, *args, **options) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"There is no file at {path}.")
        result = barring_load(path=path, actor=Actor(system="barring_load"))
        if not result.ok:
            for problem in result.problems:
                self.stderr.write(problem)
            raise CommandError(f"{len(result.problems):,} problems found; nothing was loaded.")
        self.stdout.write(
            f"Barring list loaded: {result.created:,} added, {result.updated:,} updated, "
            f"{result.unchanged:,} unchanged."
        )
