"""carelead metrics {wres,wdes} --period YYYY-YY [--scope SCOPE] [--disclosure published|full] [--format ...]"""

import csv
import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand

from carelead.core import spreadsheet
from carelead.equality.engine import TWO_YEAR_READINGS, Period, Tree, compute, scope_filter


class Command(BaseCommand):
    help = "Compute the Workforce Race or Disability Equality Standard for a financial year, for every scope."
    requires_system_checks: list = []

    def add_arguments(self, parser):
        parser.add_argument("standard", choices=["wres", "wdes"])
        parser.add_argument("--period", required=True, help="financial year, e.g. 2025-26")
        parser.add_argument("--scope", default="national", help="national, region:CODE, icb:CODE or org:CODE")
        parser.add_argument("--disclosure", choices=["published", "full"], default="published")
        parser.add_argument("--format", choices=["json", "csv", "xlsx"], default="json")
        parser.add_argument("--output", type=Path)
        parser.add_argument(
            "--reading",
            choices=TWO_YEAR_READINGS,
            default=None,
            help="how WRES3/WDES3 read the two years (default: the CARELEAD_TWO_YEAR_READING setting, pooled)",
        )

    def handle(self, *args, standard, period, scope, disclosure, format, output, reading, **options):
        try:
            financial_year = Period.parse(period)
        except ValueError as exc:
            self.stderr.write(str(exc))
            sys.exit(2)
        if scope != "national" and (":" not in scope or scope.split(":")[0] not in ("region", "icb", "org")):
            self.stderr.write(f"'{scope}' is not a scope: use national, region:CODE, icb:CODE or org:CODE")
            sys.exit(2)
        tree = Tree()
        rows = scope_filter(
            compute(standard=standard, period=financial_year, published=disclosure == "published", reading=reading),
            scope,
            tree,
        )
        if scope != "national" and not any(r["scope"] == scope for r in rows):
            self.stderr.write(f"no figures for {scope}: check the code")
            sys.exit(1)
        rows.sort(key=lambda r: (r["scope"] != "national", r["scope"], r["code"]))
        if format == "json":
            text = json.dumps(rows, indent=1, default=str)
            self._emit(text, output)
        elif format == "csv":
            columns = list(dict.fromkeys(k for r in rows for k in r))
            handle = open(output, "w", newline="", encoding="utf-8") if output else sys.stdout  # noqa: SIM115
            writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
            writer.writeheader()
            writer.writerows({k: spreadsheet.neutralise(v) for k, v in row.items()} for row in rows)
            if output:
                handle.close()
        else:
            if output is None:
                self.stderr.write("--output is required for xlsx")
                sys.exit(2)
            self._xlsx(rows, standard, financial_year, disclosure, output)

    def _emit(self, text: str, output: Path | None) -> None:
        if output:
            output.write_text(text + "\n", encoding="utf-8")
        else:
            self.stdout.write(text)

    def _xlsx(self, rows, standard, period, disclosure, output: Path) -> None:
        """One sheet per indicator, scopes down the side, as a return to the regulator is laid out."""
        import openpyxl

        book = openpyxl.Workbook(write_only=True)
        about = book.create_sheet("About")
        about.append([f"{standard.upper()} {period.label}", f"{disclosure} figures"])
        about.append(
            [
                "Values are percentages, relative likelihoods (with 95% confidence intervals) or "
                "percentage-point gaps, as the technical guidance defines each indicator."
            ]
        )
        # The whole standard on one sheet, then a sheet per indicator as the national return lays them out.
        everything = book.create_sheet(standard.upper())
        columns = list(dict.fromkeys(k for r in rows for k in r))
        everything.append(columns)
        for row in rows:
            everything.append([row.get(c) for c in columns])
        by_code: dict[str, list] = {}
        for row in rows:
            by_code.setdefault(row["code"], []).append(row)
        for code, code_rows in sorted(by_code.items()):
            sheet = book.create_sheet(code[:31])
            columns = list(dict.fromkeys(k for r in code_rows for k in r if k != "code"))
            sheet.append(columns)
            for row in code_rows:
                sheet.append([spreadsheet.neutralise(row.get(c)) for c in columns])
        book.save(output)
