"""carelead backup [--output FILE]"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from carelead.core.backups import BackupError, backup_create, database_describe


class Command(BaseCommand):
    requires_system_checks: list = []
    help = (
        "Write a consistent backup of the database while the service runs (SQLite's online backup, or pg_dump's "
        "custom format), with a manifest beside it that 'carelead restore' checks (docs/operator-guide.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            type=Path,
            help="the backup file (default: <data dir>/backups/carelead-<sqlite|postgresql>-<UTC time>.<sqlite3|dump>)",
        )

    def handle(self, *args, output, **options):
        try:
            backup = backup_create(output=output)
        except BackupError as exc:
            raise CommandError(str(exc), returncode=2) from None
        tables = backup.manifest["tables"]
        self.stdout.write(
            f"Backed up the {database_describe()} to {backup.path} ({_size(backup.size)}; "
            f"{len(tables):,} tables, {sum(tables.values()):,} rows)"
        )
        self.stdout.write(f"Manifest: {backup.manifest_path}")


def _size(n: int) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:,} {unit}" if unit == "bytes" else f"{n:,.1f} {unit}"
        n /= 1024
    return f"{n:,.1f} TB"
