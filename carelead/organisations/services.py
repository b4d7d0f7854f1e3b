"""Writes to organisations."""

from django.db import transaction

from carelead.core.choices import OrganisationType
from carelead.organisations.models import Organisation


@transaction.atomic
def organisation_tree_rebuild() -> int:
    """Recompute every organisation's path, region and ICB from the parent links; returns how many changed."""
    rows = list(Organisation.objects.values("id", "parent_id", "type", "path", "region_id", "icb_id"))
    by_id = {r["id"]: r for r in rows}
    computed: dict[int, tuple[str, int | None, int | None]] = {}

    def compute(org_id: int, trail: frozenset = frozenset()) -> tuple[str, int | None, int | None]:
        if org_id in computed:
            return computed[org_id]
        row = by_id[org_id]
        parent_id = row["parent_id"]
        if parent_id is None or parent_id in trail:
            path, region, icb = f"/{org_id}/", None, None
        else:
            parent_path, region, icb = compute(parent_id, trail | {org_id})
            parent = by_id[parent_id]
            region = parent_id if parent["type"] == OrganisationType.REGION else region
            icb = parent_id if parent["type"] == OrganisationType.ICB else icb
            path = f"{parent_path}{org_id}/"
        computed[org_id] = (path, region, icb)
        return computed[org_id]

    changed = []
    for row in rows:
        path, region, icb = compute(row["id"])
        if row["type"] == OrganisationType.REGION:
            region = row["id"]
        if row["type"] == OrganisationType.ICB:
            icb = row["id"]
        if (path, region, icb) != (row["path"], row["region_id"], row["icb_id"]):
            changed.append(Organisation(id=row["id"], path=path, region_id=region, icb_id=icb))
    Organisation.objects.bulk_update(changed, ["path", "region_id", "icb_id"], batch_size=1000)
    return len(changed)


def organisation_would_cycle(*, org_id: int, parent_id: int) -> bool:
    """True when making parent_id the parent of org_id would put org_id beneath itself."""
    seen = set()
    current = parent_id
    parents = dict(Organisation.objects.values_list("id", "parent_id"))
    while current is not None and current not in seen:
        if current == org_id:
            return True
        seen.add(current)
        current = parents.get(current)
    return False
