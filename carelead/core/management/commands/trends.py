"""carelead trends [--no-progress]: recompute every quarterly equality trend series now."""

import sys

from django.core.management.base import BaseCommand
from tqdm import tqdm

from carelead.equality.trends import refresh_trends


class Command(BaseCommand):
    help = "Recompute the quarterly trend series behind the equality charts (normally done by the worker)."

    def add_arguments(self, parser):
        parser.add_argument("--no-progress", action="store_true", help="do not show a progress bar")

    def handle(self, *args, no_progress, **options):
        show = not no_progress and sys.stderr.isatty()
        bar = tqdm(total=0, unit=" quarters", desc="trends", disable=not show, file=sys.stderr)

        def progress(done: int, total: int) -> None:
            bar.total = total
            bar.n = done
            bar.refresh()

        run = refresh_trends(progress=progress)
        bar.close()
        self.stdout.write(f"trend run {run.pk}: {run.total} quarters, {run.points.count()} series points")
