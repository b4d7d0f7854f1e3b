"""Population reference figures for the demo: every NHS trust and ICB gets ethnicity, sex and disability shares
near the 2021 census figures for its region, varied a little from one organisation to the next."""

import random
from decimal import Decimal

from carelead.boarddiversity.models import Dimension, PopulationReference
from carelead.organisations.models import Organisation

SOURCE = "Census 2021 (illustrative)"
YEAR = 2021
# Approximate census shares by NHS England region (percent): mixed, asian, black, other (Chinese counted in other,
# as in the NHS ethnic category codes), and the share of people disabled under the Equality Act.
REGION_SHARES = {
    "Y56": {"mixed": 5.7, "asian": 19.0, "black": 13.5, "other": 8.0, "disabled": 15.7},  # London
    "Y58": {"mixed": 2.2, "asian": 2.0, "black": 1.1, "other": 1.1, "disabled": 18.9},  # South West
    "Y59": {"mixed": 3.0, "asian": 6.5, "black": 2.4, "other": 1.8, "disabled": 17.0},  # South East
    "Y60": {"mixed": 3.0, "asian": 10.8, "black": 3.4, "other": 1.8, "disabled": 18.3},  # Midlands
    "Y61": {"mixed": 3.0, "asian": 5.5, "black": 3.1, "other": 1.9, "disabled": 17.1},  # East of England
    "Y62": {"mixed": 2.1, "asian": 8.6, "black": 2.1, "other": 1.6, "disabled": 19.2},  # North West
    "Y63": {"mixed": 2.0, "asian": 7.0, "black": 1.6, "other": 1.5, "disabled": 19.3},  # North East and Yorkshire
}
ENGLAND = {"mixed": 3.0, "asian": 9.3, "black": 4.2, "other": 2.7, "disabled": 17.7}
ONE_PLACE = Decimal("0.1")


def _pct(value: float) -> Decimal:
    return Decimal(str(round(value, 1))).quantize(ONE_PLACE)


def population_references_create(*, seed: int) -> int:
    """Write the population figures of every NHS trust and ICB; returns how many figures were written. The same
    seed gives the same figures."""
    rnd = random.Random(f"carelead-demo:{seed}:population-references")
    organisations = (
        Organisation.objects.filter(type__in=["trust", "icb"]).order_by("code").values_list("id", "region__code")
    )
    rows: list[PopulationReference] = []
    for org_id, region_code in organisations:
        base = REGION_SHARES.get(region_code, ENGLAND)
        # A trust or ICB serves part of its region: more or less diverse than the region as a whole.
        spread = rnd.uniform(0.55, 1.5)
        minority = {
            group: _pct(base[group] * spread * rnd.uniform(0.85, 1.15))
            for group in ("mixed", "asian", "black", "other")
        }
        white = Decimal(100) - sum(minority.values(), Decimal(0))
        female = _pct(rnd.uniform(50.4, 51.6))
        disabled = _pct(base["disabled"] * rnd.uniform(0.9, 1.1))

        shares = [
            (Dimension.ETHNICITY, "white", white),
            *((Dimension.ETHNICITY, group, share) for group, share in minority.items()),
            (Dimension.SEX, "female", female),
            (Dimension.SEX, "male", Decimal(100) - female),
            (Dimension.DISABILITY, "disabled", disabled),
            (Dimension.DISABILITY, "non_disabled", Decimal(100) - disabled),
        ]
        rows.extend(
            PopulationReference(
                organisation_id=org_id, dimension=dimension, group=group, share=share, source=SOURCE, year=YEAR
            )
            for dimension, group, share in shares
        )
    PopulationReference.objects.bulk_create(rows, batch_size=2000)
    return len(rows)
