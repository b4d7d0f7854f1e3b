"""Filtering by a long list of keys.

``field__in=[...]`` sends one placeholder per key, and with thousands of keys the driver and the ORM spend more
time on the placeholders than the database spends on the query. On PostgreSQL the keys go as one array
parameter instead; other databases get the plain list.
"""

from collections.abc import Iterable

from django.db import connection
from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL

# Below this many keys the plain list is as quick and keeps the SQL simple to read.
ARRAY_FROM = 200


def keys_q(field: str, keys: Iterable[int]) -> Q:
    """Q matching rows whose ``field`` (an integer key) is one of ``keys`` (a subquery is used as it is)."""
    if isinstance(keys, QuerySet):
        return Q(**{f"{field}__in": keys})
    keys = list(keys)
    if connection.vendor == "postgresql" and len(keys) >= ARRAY_FROM:
        return Q(**{f"{field}__in": RawSQL("SELECT unnest(%s::bigint[])", [keys])})
    return Q(**{f"{field}__in": keys})
