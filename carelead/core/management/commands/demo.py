"""carelead demo --size {tiny,region,national} [--seed N] [--logins-json FILE] [--if-empty]"""

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from carelead.demo.generate import DEFAULT_SEED, DemoConflict, demo_database_has_data, demo_load
from carelead.demo.plan import SIZES


class Command(BaseCommand):
    requires_system_checks: list = []
    help = "Load reproducible synthetic demo data into an empty database and create one login per persona."

    def add_arguments(self, parser):
        parser.add_argument(
            "--size",
            choices=list(SIZES),
            default="region",
            help="tiny: one trust of about 500 staff; region: about 150,000 staff; "
            "national: 1.5 million staff (use PostgreSQL)",
        )
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="same seed, same data")
        parser.add_argument("--logins-json", type=Path, help="also write the persona logins to this JSON file")
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="do nothing (and succeed) when the database already holds data",
        )
        parser.add_argument("--no-progress", action="store_true", help="do not show a progress bar")

    def handle(self, *args, size, seed, logins_json, if_empty, no_progress, **options):
        if demo_database_has_data():
            if if_empty:
                self.stdout.write(
                    "Demo data is already loaded (the database holds organisations or staff); nothing to do."
                )
                return
            raise CommandError(
                "The database already holds organisations or staff, so no demo data were loaded. "
                "Use an empty database ('carelead migrate' on a fresh CARELEAD_DATA_DIR or DATABASE_URL), "
                "or pass --if-empty to skip loading when data exist.",
                returncode=1,
            )
        show = not no_progress and sys.stderr.isatty()
        bar = tqdm(total=0, unit=" staff", unit_scale=True, desc=f"demo {size}", disable=not show, file=sys.stderr)

        def progress(done: int, planned: int) -> None:
            bar.total = planned
            bar.update(done - bar.n)

        try:
            result = demo_load(size=size, seed=seed, progress=progress)
            from carelead.equality.selectors import data_changed

            data_changed()
        except DemoConflict as error:
            raise CommandError(f"{error}; no demo data were loaded.", returncode=1) from None
        finally:
            bar.close()

        people = result.counts.get("people.Person", 0)
        organisations = result.counts.get("organisations.Organisation", 0)
        self.stdout.write(
            f"Loaded the {size} demo data set (seed {seed}) in {result.seconds:.1f} s: "
            f"{organisations:,} organisations, {people:,} people, "
            f"{sum(result.counts.values()):,} rows in all."
        )
        self.stdout.write("Demo logins (persona, email, password, landing page, authenticator secret):")
        width = max(len(login.persona) for login in result.logins)
        email_width = max(len(login.username) for login in result.logins)
        password_width = max(len(login.password) for login in result.logins)
        for login in result.logins:
            persona, username = f"{login.persona:<{width}}", f"{login.username:<{email_width}}"
            password, secret = f"{login.password:<{password_width}}", login.totp_secret or "-"
            self.stdout.write(f"  {persona}  {username}  {password}  {login.landing}  {secret}")
        if logins_json is not None:
            logins_json.parent.mkdir(parents=True, exist_ok=True)
            logins_json.write_text(
                json.dumps([login.as_dict() for login in result.logins], indent=2) + "\n", encoding="utf-8"
            )
            self.stdout.write(f"Wrote the logins to {logins_json}")
