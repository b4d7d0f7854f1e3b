"""carelead logins FILE: print the demo logins written by `carelead demo --logins-json FILE`."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Print the demo logins saved by the demo loader, one per persona."
    requires_system_checks: list = []

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file: Path, **options):
        if not file.is_file():
            raise CommandError(f"{file} does not exist: load the demo with --logins-json {file} first")
        rows = json.loads(file.read_text())
        self.stdout.write("\nDemo logins, one per persona (sign in at http://127.0.0.1:8000/accounts/login/):")
        self.stdout.write(f"  {'persona':<16} {'email':<46} {'password':<30} {'landing page':<13} authenticator secret")
        for row in rows:
            secret = row.get("totp_secret") or "-"
            self.stdout.write(
                f"  {row['persona']:<16} {row['username']:<46} {row['password']:<30} {row['landing']:<13} {secret}"
            )
        self.stdout.write(
            "\nPersonas with an authenticator secret sign in with two factors: add the secret to an authenticator app "
            "(as a time-based key) and enter its 6-digit code after the password.\n"
        )
