"""Resolving the codes an import row refers to (organisations, staff), in bulk, once per batch.

When the import runs for someone with a limited scope, organisations and people outside it are treated as
unknown to them, with a message that says why.
"""

from collections.abc import Iterable

from carelead.core.importing import BatchContext, Row


def org_ids(ctx: BatchContext) -> dict[str, int]:
    """Organisation code -> id for every organisation the import may touch, loaded once per import."""
    cache = ctx.seen.get("__org_ids__")
    if cache is None:
        from carelead.organisations.models import Organisation

        orgs = Organisation.objects.all()
        if ctx.scope_path:
            orgs = orgs.filter(path__startswith=ctx.scope_path)
        cache = dict(orgs.values_list("code", "id"))
        ctx.seen["__org_ids__"] = cache
    return cache


def unknown_org_message(ctx: BatchContext, code: str) -> str:
    if ctx.scope_path:
        return f"no organisation with the code '{code}' is within the organisation you act for"
    return f"no organisation has the code '{code}'"


def person_ids(staff_ids: Iterable[str], ctx: BatchContext | None = None) -> dict[str, int]:
    """staff_id -> id for those that exist (and, for a scoped import, work within the scope)."""
    from carelead.people.models import Person

    wanted = sorted({s for s in staff_ids if s})
    found: dict[str, int] = {}
    people = Person.objects.all()
    if ctx is not None and ctx.scope_path:
        people = people.filter(organisation__path__startswith=ctx.scope_path)
    for start in range(0, len(wanted), 900):
        chunk = wanted[start : start + 900]
        found.update(people.filter(staff_id__in=chunk).values_list("staff_id", "id"))
    return found


def check_org(row: Row, ctx: BatchContext, column: str = "org_code") -> bool:
    """Report an organisation code that is not held; True when it is."""
    code = row.values[column]
    if code in org_ids(ctx):
        return True
    ctx.problem(row, column, "unknown_reference", unknown_org_message(ctx, code))
    return False


def check_people(rows: list[Row], ctx: BatchContext, column: str = "staff_id", *, optional: bool = False) -> list[Row]:
    """Keep the rows whose staff ID is held; report the others. Stores the ids found on ctx for write_batch."""
    found = person_ids((r.values[column] for r in rows), ctx)
    ctx.seen["__person_ids__"] = found
    valid = []
    for row in rows:
        staff_id = row.values[column]
        if (optional and not staff_id) or staff_id in found:
            valid.append(row)
        else:
            where = " within the organisation you act for" if ctx.scope_path else ""
            ctx.problem(row, column, "unknown_reference", f"no member of staff has the ID '{staff_id}'{where}")
    return valid
