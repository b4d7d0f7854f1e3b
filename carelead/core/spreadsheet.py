"""Cells that a spreadsheet would run as a formula are written as text.

A value starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is a formula to Excel, LibreOffice and
Google Sheets, so a name such as ``=HYPERLINK(...)`` or ``=cmd|' /C calc'!A0`` typed into CareLead could act on the
computer of whoever opens an export (CSV injection, OWASP). Every CSV and XLSX that CareLead writes passes its
cells through ``neutralise``, which puts a single quote in front of such text (numbers such as -3.5 are left as
they are). The importers take that quote off again, so an exported file imports back to the same values.
"""

import csv
import re
from typing import Any

_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


_QUOTED_FORMULA = re.compile(r"^'*[=+\-@\t\r]")


def neutralise(value: Any) -> Any:
    """The value, with a leading quote when it is text a spreadsheet would read as a formula (or text that
    already starts with quotes before such a character, so that ``restore`` gives it back unchanged)."""
    if isinstance(value, str) and _QUOTED_FORMULA.match(value) and not _NUMBER.match(value):
        return "'" + value
    return value


def restore(text: str) -> str:
    """An imported cell as it was before ``neutralise`` (its leading quote removed)."""
    if text.startswith("'") and _QUOTED_FORMULA.match(text):
        return text[1:]
    return text


class SafeWriter:
    """A csv.writer whose every cell passes through ``neutralise``."""

    def __init__(self, handle, **options):
        self._writer = csv.writer(handle, **options)

    def writerow(self, row):
        return self._writer.writerow([neutralise(cell) for cell in row])

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)


def csv_writer(handle, **options) -> SafeWriter:
    return SafeWriter(handle, **options)
