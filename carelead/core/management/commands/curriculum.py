"""carelead curriculum [--format json]: the active requirements, their modules and accredited providers."""

import json

from django.core.management.base import BaseCommand

from carelead.standards.gate import curriculum_document


class Command(BaseCommand):
    help = "List the curriculum's requirements by level, with the modules that meet them and their providers."
    requires_system_checks: list = []

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args, format, **options):
        document = curriculum_document()
        if format == "json":
            self.stdout.write(json.dumps(document, indent=2))
            return
        for requirement in document:
            gate = "gating" if requirement["gating"] else "not gating"
            self.stdout.write(f"{requirement['level']:<11} {requirement['code']:<22} {requirement['title']} ({gate})")
            for module in requirement["modules"]:
                providers = ", ".join(dict.fromkeys(p["code"] for p in module["providers"])) or "no provider"
                self.stdout.write(f"{'':<11}   {module['code']:<10} {module['title']} [{providers}]")
