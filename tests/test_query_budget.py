"""Every page and API list the permission table lets someone open makes a pinned number of queries, and the
same number again once there is more data (no N+1).

For each row of the permission table that answers 200 to some persona, the first such persona opens the URL on
the shared world, then again after more records of the kinds the page lists have been added
(``tests/growth.py``). Both counts must be equal, and the first must match ``tests/query_budget.json``.

When a page's count changes on purpose, run this file again with ``UPDATE_QUERY_BUDGET=1`` to rewrite the pinned
numbers, and review the difference. Counts are the same on SQLite and PostgreSQL unless the file records a
difference for a database under ``differences``.
"""

import fcntl
import json
import os
import tempfile
from pathlib import Path

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

import tests.test_permissions as permissions
from conftest import PERSONAS
from tests.growth import grow

# The pinned counts are the same on SQLite and PostgreSQL (the budget's "differences" section is empty), so the
# whole-site check runs once, on SQLite, to keep the PostgreSQL run of the suite short; the hand-picked query-count
# tests of each app still run on both.
pytestmark = pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="query budgets are checked on SQLite; the counts are the same on PostgreSQL",
)

BUDGET = Path(__file__).with_name("query_budget.json")
UPDATE = os.environ.get("UPDATE_QUERY_BUDGET") == "1"
PRIMARY = "sqlite"

# The permission table's own set-up (an import job, a published framework, a prior-learning claim).
job = permissions.job


def _first_reader(expected: dict) -> str | None:
    return next((persona for persona in PERSONAS if expected.get(persona) == 200), None)


ROWS = sorted(
    (name, persona)
    for name, (_, expected) in permissions.TABLE.items()
    if (persona := _first_reader(expected)) is not None
)


def _key(name: str, persona: str) -> str:
    return f"{name} as {persona}"


def _load() -> dict:
    if not BUDGET.exists():
        return {"counts": {}, "differences": {}}
    return json.loads(BUDGET.read_text())


def _pinned(key: str, vendor: str) -> int | None:
    budget = _load()
    return budget.get("differences", {}).get(vendor, {}).get(key, budget["counts"].get(key))


def _record(key: str, vendor: str, count: int) -> None:
    """Write one count into the budget file, under a lock, since several workers may write at once."""
    with open(Path(tempfile.gettempdir()) / "carelead-query-budget.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        budget = _load()
        budget.setdefault("differences", {})
        if vendor == PRIMARY or key not in budget["counts"]:
            budget["counts"][key] = count
        if vendor != PRIMARY:
            own = budget["differences"].setdefault(vendor, {})
            if budget["counts"][key] == count:
                own.pop(key, None)
            else:
                own[key] = count
        budget["counts"] = dict(sorted(budget["counts"].items()))
        budget["differences"] = {v: dict(sorted(d.items())) for v, d in sorted(budget["differences"].items()) if d}
        BUDGET.write_text(json.dumps(budget, indent=2) + "\n")


def _queries(client, path: str) -> int:
    """The queries of one uncached request, after a warm-up request (which may start the session or fill
    per-user records), so that the count is the page's steady cost and repeatable."""
    cache.clear()
    warm = client.get(path)
    if getattr(warm, "streaming", False):
        pytest.skip(f"{path} streams its answer")
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return len(captured)


@pytest.mark.parametrize(("name", "persona"), ROWS, ids=[_key(*row) for row in ROWS])
def test_query_count_is_pinned_and_does_not_grow(name, persona, world, job, client):
    build, _ = permissions.TABLE[name]
    path = build(world)
    client.force_login(world.users[persona])
    namespace = name.split(":")[0]

    grow(world, namespace, 1)
    small = _queries(client, path)
    grow(world, namespace, 3)
    large = _queries(client, path)
    assert large == small, (
        f"{path} as {persona}: {small} queries with little data, {large} with more: a query runs per row"
    )

    key, vendor = _key(name, persona), connection.vendor
    if UPDATE:
        _record(key, vendor, small)
        return
    pinned = _pinned(key, vendor)
    assert pinned == small, (
        f"{path} as {persona} makes {small} queries; {BUDGET.name} pins {pinned}. If the change is intended, "
        f"run `UPDATE_QUERY_BUDGET=1 .venv/bin/pytest tests/test_query_budget.py` and review the new numbers."
    )
