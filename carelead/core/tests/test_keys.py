"""Filtering by many keys gives the same rows whichever way the keys are sent."""

import pytest

from carelead.core.keys import ARRAY_FROM, keys_q
from carelead.organisations.models import Organisation

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("extra", [0, ARRAY_FROM + 50])
def test_keys_q_matches_the_plain_list(world, extra):
    wanted = [world.orgs["RAA"].pk, world.orgs["RCC"].pk]
    # keys that match nothing, enough of them to cross to the array form on PostgreSQL
    keys = wanted + list(range(10_000_000, 10_000_000 + extra))
    found = set(Organisation.objects.filter(keys_q("pk", keys)).values_list("pk", flat=True))
    assert found == set(wanted)
    assert not Organisation.objects.filter(keys_q("pk", [])).exists()
