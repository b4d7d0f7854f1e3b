"""carelead export KIND [--format csv|xlsx] [--output FILE]"""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand

from carelead.audit.models import AuditLog
from carelead.audit.services import Actor, audit_record
from carelead.core.exporting import write_csv, write_xlsx
from carelead.imports.registry import KINDS, kind_get


class Command(BaseCommand):
    requires_system_checks: list = []
    help = "Export every record of an import kind with the import's columns (a round trip changes nothing)."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=sorted(KINDS))
        parser.add_argument("--format", choices=["csv", "xlsx"], default="csv")
        parser.add_argument("--output", type=Path, help="file to write (default: standard output for CSV)")

    def handle(self, *args, kind, format, output, **options):
        spec = kind_get(kind)
        if format == "xlsx" and output is None:
            self.stderr.write("--output is required for xlsx")
            sys.exit(2)
        if format == "csv":
            if output is None:
                count = write_csv(spec, sys.stdout)
            else:
                with open(output, "w", newline="", encoding="utf-8") as handle:
                    count = write_csv(spec, handle)
        else:
            count = write_xlsx(spec, output)
        audit_record(
            actor=Actor(system=f"export:{kind}"),
            action=AuditLog.Action.EXPORT,
            object_type=f"export.{kind}",
            object_id=str(output or "stdout")[-64:],
            changes={"rows": count, "format": format},
        )
        if output is not None:
            self.stderr.write(f"{kind}: exported {count:,} rows to {output}")
