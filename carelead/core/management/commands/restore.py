"""carelead restore FILE [--yes] [--force]"""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from carelead.core.backups import (
    VENDOR_NAMES,
    BackupError,
    database_describe,
    manifest_path_for,
    restore_check,
    restore_run,
)


class Command(BaseCommand):
    requires_system_checks: list = []
    help = (
        "Restore a backup written by 'carelead backup' into the configured database, then check every table's "
        "rows against the backup's manifest. Stop the web servers and task workers first."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--yes", action="store_true", help="do not ask for confirmation")
        parser.add_argument(
            "--force", action="store_true", help="replace the database even though it already holds data"
        )

    def handle(self, *args, file, yes, force, **options):
        target = database_describe()
        try:
            manifest = restore_check(path=file)
        except BackupError as exc:
            raise CommandError(str(exc), returncode=2) from None
        if manifest is None:
            self.stderr.write(
                f"warning: no manifest beside {file} ({manifest_path_for(file).name}): the restored tables "
                "cannot be checked"
            )
        else:
            vendor = VENDOR_NAMES.get(manifest["vendor"], manifest["vendor"])
            self.stdout.write(
                f"{file}: a {vendor} backup taken at {manifest['created_at']}, "
                f"{sum(manifest['tables'].values()):,} rows in {len(manifest['tables']):,} tables"
            )
        if not yes:
            if not sys.stdin.isatty():
                raise CommandError("pass --yes to restore without being asked", returncode=2)
            answer = input(f"Restore {file} into the {target}? Type 'yes' to continue: ")
            if answer.strip().lower() != "yes":
                raise CommandError("nothing was restored", returncode=1)
        try:
            result = restore_run(path=file, manifest=manifest, force=force)
        except BackupError as exc:
            raise CommandError(str(exc), returncode=2) from None
        rows = sum(result.counts.values())
        if not result.ok:
            for difference in result.differences:
                self.stderr.write(f"  {difference}")
            raise CommandError(
                f"restored {file} into the {target}, but {len(result.differences)} tables differ from the "
                "manifest (listed above)",
                returncode=1,
            )
        checked = "match the manifest" if manifest is not None else "(not checked: no manifest)"
        self.stdout.write(
            f"Restored {file} into the {target}: {rows:,} rows in {len(result.counts):,} tables {checked}"
        )
        if result.unapplied_migrations:
            self.stdout.write(
                f"The backup predates {result.unapplied_migrations} migrations of this release: "
                "run 'carelead migrate' before starting the service."
            )
