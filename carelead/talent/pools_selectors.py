"""Reads of talent pools: pool summaries, the member search, the queue, nominations, one's own, the history of a
membership and a pool's composition by group (published figures only).

Every list reads in a fixed number of queries. Filters that depend on other records (readiness, standards met,
mobility) are worked out in bulk over the matching ids; without them, only the page shown is worked out.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from carelead.accounts.permissions import Scope
from carelead.accounts.roles import Role
from carelead.audit.models import AuditLog
from carelead.core.disclosure import published_column, published_share
from carelead.equality.engine import in_post_q
from carelead.equality.monitors import GROUP_LABELS, group_expression
from carelead.people.models import Person
from carelead.standards.selectors import management_standards
from carelead.standards.selectors import standards_evidenced as evidence_of
from carelead.talent.models import LIVE_MEMBERSHIP, MembershipStatus, PoolMembership, Readiness, TalentPool
from carelead.talent.ninebox import latest_appraisals, latest_conversation_rows
from carelead.talent.pools import EXPIRING_DAYS, PoolPolicy

# Appraisal readiness codes in the talent conversation's terms.
APPRAISAL_READINESS = {"now": Readiness.READY_NOW, "1_2_years": Readiness.ONE_TWO, "3_plus": Readiness.THREE_PLUS}

STATUS_FILTERS = [
    ("", "Nominated or approved"),
    ("nominated", "Nominated, waiting for a decision"),
    ("approved", "Approved and current"),
    ("expiring", f"Expiring in the next {EXPIRING_DAYS} days"),
    ("expired", "Expired"),
    ("declined", "Declined"),
    ("withdrawn", "Withdrawn"),
]


def status_q(status: str, on: date) -> Q:
    """Memberships in one of the states the filters offer."""
    soon = on + timedelta(days=EXPIRING_DAYS)
    approved = Q(status=MembershipStatus.APPROVED)
    return {
        "nominated": Q(status=MembershipStatus.NOMINATED),
        "approved": approved & Q(expires_on__gte=on),
        "expiring": approved & Q(expires_on__gte=on, expires_on__lte=soon),
        "expired": approved & Q(expires_on__lt=on),
        "declined": Q(status=MembershipStatus.DECLINED),
        "withdrawn": Q(status=MembershipStatus.WITHDRAWN),
    }.get(status, Q(status__in=LIVE_MEMBERSHIP))


def membership_state(membership: PoolMembership, on: date | None = None) -> tuple[str, str]:
    """(state code, words) for a nomination or membership on a day, expiry included."""
    on = on or timezone.localdate()
    status = membership.status
    if status == MembershipStatus.APPROVED and membership.expires_on is not None:
        day = f"{membership.expires_on.day} {membership.expires_on:%B %Y}"
        if membership.expires_on < on:
            return "expired", f"Expired on {day}"
        if membership.expires_on <= on + timedelta(days=EXPIRING_DAYS):
            return "expiring", f"Member, expires on {day}"
        return "approved", f"Member until {day}"
    return status, {
        MembershipStatus.NOMINATED: "Waiting for a decision",
        MembershipStatus.DECLINED: "Declined",
        MembershipStatus.WITHDRAWN: "Withdrawn",
    }.get(status, membership.get_status_display())


# Readiness, standards met and mobility, in bulk ---------------------------------------------------------------


@dataclass
class Profile:
    """What the member search reads about one person."""

    readiness: str = ""
    readiness_source: str = ""
    standards: set[str] = field(default_factory=set)
    mobility_regions: list[str] = field(default_factory=list)
    mobility_sectors: list[str] = field(default_factory=list)

    @property
    def standards_met(self) -> int:
        return len(self.standards)

    @property
    def readiness_label(self) -> str:
        return Readiness(self.readiness).label if self.readiness else "Not recorded"


def management_standard_codes() -> set[str]:
    """The codes of the published management standards framework's standards."""
    return set(management_standards())


def standards_evidenced(person_ids, *, on: date | None = None, framework: set[str] | None = None) -> dict[int, set]:
    """The management standards each person has evidence for (see ``standards.selectors.standards_evidenced``)."""
    return evidence_of(person_ids, codes=framework, on=on)


def profiles_for(person_ids, *, on: date | None = None, framework: set[str] | None = None) -> dict[int, Profile]:
    """Readiness (latest talent conversation, else latest signed-off appraisal), standards met and mobility."""
    conversations = latest_conversation_rows(person_ids)
    appraisals = latest_appraisals(person_ids)
    standards = standards_evidenced(person_ids, on=on, framework=framework)
    out: dict[int, Profile] = {}
    for pid in set(conversations) | set(appraisals) | set(standards):
        profile = Profile(standards=standards.get(pid, set()))
        conversation, appraisal = conversations.get(pid), appraisals.get(pid)
        if conversation:
            profile.readiness, profile.readiness_source = conversation["readiness"], "talent conversation"
            profile.mobility_regions = list(conversation["mobility_regions"] or [])
            profile.mobility_sectors = list(conversation["mobility_sectors"] or [])
        elif appraisal and appraisal["readiness"] in APPRAISAL_READINESS:
            profile.readiness, profile.readiness_source = APPRAISAL_READINESS[appraisal["readiness"]], "appraisal"
        out[pid] = profile
    return out


# The member search ------------------------------------------------------------------------------------------


@dataclass
class MemberRow:
    membership: PoolMembership
    profile: Profile
    state: tuple[str, str]


@dataclass
class MemberResults:
    rows: list[MemberRow]
    page: Any
    framework_size: int


PROFILE_FILTERS = ("readiness", "standards_min", "mobility_region", "mobility_sector")


def _profile_matches(profile: Profile, filters: dict) -> bool:
    if filters.get("readiness") and profile.readiness != filters["readiness"]:
        return False
    if filters.get("standards_min") and profile.standards_met < filters["standards_min"]:
        return False
    if filters.get("mobility_region") and filters["mobility_region"] not in profile.mobility_regions:
        return False
    return not (filters.get("mobility_sector") and filters["mobility_sector"] not in profile.mobility_sectors)


def members_queryset(*, pools: QuerySet[TalentPool], filters: dict, on: date) -> QuerySet[PoolMembership]:
    """Nominations and memberships in ``pools`` matching the filters the database can apply."""
    qs = PoolMembership.objects.filter(pool__in=pools).filter(status_q(filters.get("status", ""), on))
    if filters.get("level"):
        qs = qs.filter(pool__level=filters["level"])
    if filters.get("region"):
        qs = qs.filter(pool__region__code__iexact=filters["region"])
    if filters.get("sector"):
        qs = qs.filter(person__organisation__sector=filters["sector"])
    if filters.get("location"):
        code = filters["location"].strip()
        qs = qs.filter(Q(person__organisation__code__iexact=code) | Q(person__organisation__icb__code__iexact=code))
    if filters.get("q"):
        terms = filters["q"].split()
        if len(terms) == 1:
            term = terms[0]
            qs = qs.filter(
                Q(person__staff_id__iexact=term)
                | Q(person__last_name__istartswith=term)
                | Q(person__first_name__istartswith=term)
            )
        else:
            qs = qs.filter(person__first_name__istartswith=terms[0], person__last_name__istartswith=" ".join(terms[1:]))
    return qs.order_by("person__last_name", "person__first_name", "person__staff_id", "pool__level", "pk")


def _with_related(qs: QuerySet[PoolMembership]) -> QuerySet[PoolMembership]:
    return qs.select_related("pool__region", "person__organisation", "person__organisation__icb", "nominated_by")


def member_search(*, pools: QuerySet[TalentPool], filters: dict, page_number, page_size: int = 50) -> MemberResults:
    """One page of the members matching every filter, each with readiness, standards met and mobility."""
    from django.core.paginator import Paginator

    on = timezone.localdate()
    framework = management_standard_codes()
    qs = members_queryset(pools=pools, filters=filters, on=on)
    if any(filters.get(name) for name in PROFILE_FILTERS):
        candidates = list(qs.values_list("pk", "person_id"))
        profiles = profiles_for(qs.values("person_id"), on=on, framework=framework)
        matching = [pk for pk, pid in candidates if _profile_matches(profiles.get(pid, Profile()), filters)]
        page = Paginator(matching, page_size).get_page(page_number)
        chosen = {m.pk: m for m in _with_related(PoolMembership.objects.filter(pk__in=list(page.object_list)))}
        memberships = [chosen[pk] for pk in page.object_list if pk in chosen]
    else:
        page = Paginator(_with_related(qs), page_size).get_page(page_number)
        memberships = list(page.object_list)
        profiles = profiles_for([m.person_id for m in memberships], on=on, framework=framework)
    rows = [MemberRow(m, profiles.get(m.person_id, Profile()), membership_state(m, on)) for m in memberships]
    return MemberResults(rows=rows, page=page, framework_size=len(framework))


# Pools, the queue, nominations and one's own ----------------------------------------------------------------


def pools_with_counts(pools: QuerySet[TalentPool], on: date | None = None) -> QuerySet[TalentPool]:
    """Pools with their numbers of nominations waiting, current members, those expiring soon and expired."""
    on = on or timezone.localdate()
    soon = on + timedelta(days=EXPIRING_DAYS)
    approved = Q(memberships__status=MembershipStatus.APPROVED)
    return pools.annotate(
        waiting=Count("memberships", filter=Q(memberships__status=MembershipStatus.NOMINATED)),
        current=Count("memberships", filter=approved & Q(memberships__expires_on__gte=on)),
        expiring=Count(
            "memberships", filter=approved & Q(memberships__expires_on__gte=on, memberships__expires_on__lte=soon)
        ),
        expired=Count("memberships", filter=approved & Q(memberships__expires_on__lt=on)),
    ).order_by("region__name", "level")


def nomination_queue(*, pools: QuerySet[TalentPool]) -> QuerySet[PoolMembership]:
    """Nominations waiting for a decision, oldest first."""
    return _with_related(
        PoolMembership.objects.filter(pool__in=pools, status=MembershipStatus.NOMINATED).order_by("nominated_on", "pk")
    )


def nominations_for(*, policy: PoolPolicy, status: str = "") -> QuerySet[PoolMembership]:
    """The nominations a manager made, or HR's organisation's, newest first."""
    if policy.role == Role.LINE_MANAGER:
        qs = PoolMembership.objects.filter(nominated_by=policy.user)
    elif policy.role == Role.ORG_HR:
        qs = PoolMembership.objects.filter(Scope.of(policy.assignment).organisations_q("person__organisation__"))
    else:
        qs = PoolMembership.objects.none()
    if status:
        qs = qs.filter(status_q(status, timezone.localdate()))
    return _with_related(qs).order_by("-nominated_on", "-pk")


def memberships_of(*, person: Person, limit: int = 100) -> list[PoolMembership]:
    """A person's own nominations and memberships, newest first."""
    return list(
        PoolMembership.objects.filter(person=person)
        .select_related("pool__region", "nominated_by", "decided_by")
        .order_by("-nominated_on", "-pk")[:limit]
    )


STEP_WORDS = {
    "nominate": "Nominated",
    "approve": "Approved",
    "decline": "Declined",
    "renew": "Renewed",
    "withdraw": "Withdrawn",
}


def membership_history(memberships: list[PoolMembership]) -> dict[int, list[dict[str, Any]]]:
    """Each membership's steps, oldest first, with the reason given at each: one query for them all."""
    if not memberships:
        return {}
    entries = (
        AuditLog.objects.filter(
            subject_person_id__in={m.person_id for m in memberships},
            object_type="talent.PoolMembership",
            object_id__in=[str(m.pk) for m in memberships],
        )
        .order_by("at", "pk")
        .values("object_id", "at", "changes")
    )
    out: dict[int, list[dict[str, Any]]] = {}
    for entry in entries:
        changes = entry["changes"] or {}
        expires = changes.get("expires_on")
        if isinstance(expires, list):
            expires = expires[-1]
        out.setdefault(int(entry["object_id"]), []).append(
            {
                "at": entry["at"],
                "step": STEP_WORDS.get(changes.get("step", ""), "Changed"),
                "reason": changes.get("reason", ""),
                "expires_on": date.fromisoformat(expires) if expires else None,
            }
        )
    return out


# Composition by group, published ----------------------------------------------------------------------------

COMPOSITION = [
    ("ethnicity", "Ethnicity", ["white", "bme", "unknown"]),
    ("disability", "Disability", ["disabled", "non_disabled", "unknown"]),
    ("sex", "Sex", ["female", "male", "unknown"]),
]
UNKNOWN_LABEL = {
    "ethnicity": "Not known or not stated",
    "disability": "Not known or prefer not to say",
    "sex": "Other, not known or prefer not to say",
}


def _group_counts(people: QuerySet[Person], on: date) -> dict[str, dict[str, int]]:
    """Counts by group for every characteristic, from one GROUP BY."""
    groups = {f"g_{code}": group_expression(code, "monitoring__", on) for code, _, _ in COMPOSITION}
    rows = people.annotate(**groups).values(*groups).annotate(n=Count("pk")).order_by()
    out: dict[str, dict[str, int]] = {code: {} for code, _, _ in COMPOSITION}
    for row in rows:
        for code, _, _ in COMPOSITION:
            group = row[f"g_{code}"]
            out[code][group] = out[code].get(group, 0) + row["n"]
    return out


def pool_composition(*, pool: TalentPool, on: date | None = None) -> dict[str, Any]:
    """The pool's current members by ethnicity, disability and sex beside the region's workforce in post at the
    pool's level (bank staff left out, as in the equality standards), as published figures: small numbers
    hidden, others rounded. Two queries."""
    from carelead.talent.ninebox import pool_people

    on = on or timezone.localdate()
    members = pool_people(pool=pool, on=on)
    workforce = Person.objects.filter(in_post_q(on), organisation__region_id=pool.region_id, level=pool.level)
    member_counts, workforce_counts = _group_counts(members, on), _group_counts(workforce, on)
    tables = []
    for code, title, order in COMPOSITION:
        in_pool, pool_total = published_column(member_counts[code], order)
        in_work, work_total = published_column(workforce_counts[code], order)
        tables.append(
            {
                "code": code,
                "title": title,
                "rows": [
                    {
                        "label": GROUP_LABELS.get(g) if g != "unknown" else UNKNOWN_LABEL[code],
                        "pool": in_pool[g],
                        "pool_percent": published_share(in_pool[g], pool_total),
                        "workforce": in_work[g],
                        "workforce_percent": published_share(in_work[g], work_total),
                    }
                    for g in order
                ],
                "pool_total": pool_total,
                "workforce_total": work_total,
            }
        )
    return {"tables": tables, "on": on}
