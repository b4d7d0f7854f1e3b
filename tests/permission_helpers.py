"""Shorthand for permission-table rows, shared by the project table and the apps' own rows."""

from conftest import PERSONAS

ALL = set(PERSONAS)
STAFF_READERS = {"org_hr", "org_admin", "regional_talent", "national_admin"}
ADMINS = {"org_admin", "national_admin"}
IMPORTERS = {"org_hr", "national_admin"}
WITH_RECORD = {"staff", "line_manager"}
EQUALITY_READERS = {"org_hr", "regional_talent", "national_admin", "regulator", "ned_team"}


def only(allowed: set[str], ok: int = 200, other: int = 403, anonymous="login") -> dict:
    table = {p: ok if p in allowed else other for p in PERSONAS}
    table["anonymous"] = anonymous
    return table


def everyone(status: int = 200, anonymous="login") -> dict:
    return only(ALL, ok=status, anonymous=anonymous)
