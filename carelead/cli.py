"""The ``carelead`` command: Django's management commands with CareLead's settings preset."""

import os
import sys


def main() -> None:
    """Entry point of the console script and of ``python -m carelead``."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    from django.core.management import execute_from_command_line

    argv = ["carelead", *sys.argv[1:]]
    if len(argv) == 1:
        argv.append("help")
    execute_from_command_line(argv)
