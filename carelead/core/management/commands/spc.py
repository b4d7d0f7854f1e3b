"""carelead spc FILE --improvement {increase,decrease,neutral} [--target X] [--baseline N] [--format json]"""

import csv
import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand

from carelead.equality.spc import Point, spc_analyse


class Command(BaseCommand):
    help = "Analyse a date,value series as a Making Data Count XmR chart."
    requires_system_checks: list = []

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--improvement", required=True, choices=["increase", "decrease", "neutral"])
        parser.add_argument("--target", type=float)
        parser.add_argument("--baseline", type=int, help="compute the limits from the first N points")
        parser.add_argument("--format", choices=["json", "text"], default="json")

    def handle(self, *args, file, improvement, target, baseline, format, **options):
        points, problems = [], []
        try:
            with open(file, newline="", encoding="utf-8-sig") as handle:
                reader = csv.DictReader(handle)
                fields = [f.strip().lower() for f in reader.fieldnames or []]
                missing = [c for c in ("date", "value") if c not in fields]
                if missing:
                    problems.append(f"header, column {missing[0]}: this required column is missing")
                else:
                    for number, raw in enumerate(reader, start=1):
                        row = {k.strip().lower(): (v or "").strip() for k, v in raw.items() if k}
                        try:
                            points.append(Point(row["date"], float(row["value"])))
                        except ValueError:
                            problems.append(f"row {number}, column value: '{row['value']}' is not a number")
        except (OSError, UnicodeDecodeError) as exc:
            problems.append(f"the file cannot be read ({exc})")
        if baseline is not None and baseline < 2:
            problems.append("--baseline must be at least 2")
        if not problems:
            try:
                result = spc_analyse(points, improvement=improvement, target=target, baseline=baseline)
            except ValueError as exc:
                problems.append(str(exc))
        if problems:
            for problem in problems:
                self.stderr.write(problem)
            sys.exit(1)
        if format == "json":
            self.stdout.write(json.dumps(result, indent=1))
        else:
            self.stdout.write(
                f"mean {result['mean']:.3f}, limits {result['lower']:.3f}–{result['upper']:.3f}"
                f"{' (provisional)' if result['provisional'] else ''}; variation {result['variation']}; "
                f"assurance {result['assurance']}"
            )
