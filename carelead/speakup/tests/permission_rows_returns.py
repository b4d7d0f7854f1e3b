"""Permission-table rows for the quarterly return pages.

Guardians, national administrators, regional talent leads and the regulator read the return; every other role is
refused. The rows ask for RAA's return, which the guardian (of RAA) sees exactly and the others as published
figures; a guardian of another organisation gets a 404 (see test_returns.py).
"""

from django.urls import reverse

from tests.permission_helpers import only

READERS = {"guardian", "national_admin", "regional_talent", "regulator"}


def _row(name: str):
    return (lambda w: reverse(f"speakup_returns:{name}") + "?scope=org:RAA", only(READERS))


ROWS: dict = {
    "speakup_returns:return": _row("return"),
    "speakup_returns:download": _row("download"),
    "speakup_returns:trends": _row("trends"),
}
