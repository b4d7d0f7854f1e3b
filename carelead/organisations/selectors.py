"""Reads of organisations and their headline figures."""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from carelead.accounts.permissions import Scope, assignment_has
from carelead.core.choices import OrganisationType
from carelead.core.disclosure import Figure, count_exact, count_published
from carelead.organisations.models import Organisation, challenged_q


def organisation_list(
    *, q: str = "", type: str = "", region: str = "", sector: str = "", challenged: str = ""
) -> QuerySet[Organisation]:
    """Organisations matching the filters, with their parent and region loaded."""
    orgs = Organisation.objects.select_related("parent", "region")
    if q:
        orgs = orgs.filter(Q(name__icontains=q) | Q(code__iexact=q))
    if type:
        orgs = orgs.filter(type=type)
    if region:
        orgs = orgs.filter(Q(region__code=region) | Q(code=region, type=OrganisationType.REGION))
    if sector:
        orgs = orgs.filter(sector=sector)
    if challenged == "yes":
        orgs = orgs.filter(challenged_q())
    elif challenged == "no":
        orgs = orgs.exclude(challenged_q())
    return orgs.order_by("name", "code")


def region_choices() -> list[tuple[str, str]]:
    return list(Organisation.objects.filter(type=OrganisationType.REGION).order_by("name").values_list("code", "name"))


def organisation_get(*, code: str) -> Organisation:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(Organisation.objects.select_related("parent", "region", "icb"), code=code)


def organisation_children(*, organisation: Organisation) -> QuerySet[Organisation]:
    return organisation.children.order_by("type", "name")


def organisation_child_counts(*, organisation: Organisation) -> list[dict]:
    """How many direct children of each type."""
    return list(organisation.children.values("type").annotate(n=Count("id")).order_by("type"))


@dataclass(frozen=True)
class Headline:
    label: str
    figure: Figure


def organisation_headlines(*, organisation: Organisation, assignment) -> tuple[list[Headline], bool]:
    """Headline workforce figures for the organisation and everything beneath it.

    Exact for roles with record-level rights over the organisation; published (disclosure-controlled)
    otherwise. Returns the figures and whether they are exact.
    """
    from carelead.boards.models import BoardMember
    from carelead.people.models import Person
    from carelead.people.permissions import VIEW_STAFF

    today = timezone.localdate()
    year_ago = today - timedelta(days=365)
    in_post = Q(start_date__lte=today) & (Q(end_date__isnull=True) | Q(end_date__gte=today))
    people = Person.objects.filter(organisation__path__startswith=organisation.path)
    counts = people.aggregate(
        staff_in_post=Count("id", filter=in_post & Q(bank=False)),
        bank_in_post=Count("id", filter=in_post & Q(bank=True)),
        joiners=Count("id", filter=Q(start_date__gt=year_ago, start_date__lte=today, bank=False)),
        leavers=Count("id", filter=Q(end_date__gte=year_ago, end_date__lt=today, bank=False)),
    )
    board = BoardMember.objects.filter(
        Q(organisation=organisation), Q(start_date__lte=today), Q(end_date__isnull=True) | Q(end_date__gte=today)
    ).count()
    exact = assignment_has(assignment, VIEW_STAFF) and Scope.of(assignment).contains_path(organisation.path)
    national = organisation.type == OrganisationType.NATIONAL

    def show(n: int) -> Figure:
        return count_exact(n) if exact else count_published(n, national=national)

    return [
        Headline("Staff in post (excluding bank)", show(counts["staff_in_post"])),
        Headline("Bank staff", show(counts["bank_in_post"])),
        Headline("Joined in the last 12 months", show(counts["joiners"])),
        Headline("Left in the last 12 months", show(counts["leavers"])),
        Headline("Board members in post", show(board)),
    ], exact
