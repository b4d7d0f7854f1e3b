"""carelead eligibility STAFF_ID --level LEVEL [--on YYYY-MM-DD] [--format json]"""

import json
import sys
from datetime import date

from django.core.management.base import BaseCommand

from carelead.core.choices import LEVEL_ORDER
from carelead.people.models import Person
from carelead.standards.gate import eligibility_for_level


class Command(BaseCommand):
    help = "Say whether a person may be appointed at a level on a day and, if not, exactly what is missing."
    requires_system_checks: list = []

    def add_arguments(self, parser):
        parser.add_argument("staff_id")
        parser.add_argument("--level", required=True, help=", ".join(LEVEL_ORDER))
        parser.add_argument("--on", help="the appointment date, YYYY-MM-DD (default today)")
        parser.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args, staff_id, level, on, format, **options):
        if level not in LEVEL_ORDER:
            self.stderr.write(f"'{level}' is not a level; use one of {', '.join(LEVEL_ORDER)}")
            sys.exit(1)
        try:
            day = date.fromisoformat(on) if on else None
        except ValueError:
            self.stderr.write(f"'{on}' is not a date in the form YYYY-MM-DD")
            sys.exit(2)
        person = Person.objects.filter(staff_id=staff_id).first()
        if person is None:
            self.stderr.write(f"no member of staff has the ID '{staff_id}'")
            sys.exit(1)
        result = eligibility_for_level(person=person, level=level, on=day)
        if format == "json":
            self.stdout.write(json.dumps(result.as_dict(), indent=2))
            return
        verdict = "eligible" if result.eligible else "NOT eligible"
        self.stdout.write(f"{person.full_name} ({person.staff_id}) is {verdict} for {level} on {result.on}.")
        for outcome in result.met:
            self.stdout.write(f"  met      {outcome.requirement.code}: {outcome.reason}")
        for outcome in result.missing:
            self.stdout.write(f"  missing  {outcome.requirement.code} {outcome.requirement.title}: {outcome.reason}")
            for module in outcome.suggestions[:3]:
                self.stdout.write(
                    f"           take {module['module']} {module['title']} ({module['hours']:g} hours; "
                    f"{', '.join(module['providers'])})"
                )
        if result.exception is not None:
            self.stdout.write(f"  An approved exception allows the appointment until {result.exception.expires_on}.")
