"""Board committees for the demo: the usual committees of an NHS board, each chaired by a non-executive, with
non-executives and the relevant executives as members. Written in bulk; deterministic for a seed."""

import random

from django.db.models import Q
from django.utils import timezone

from carelead.boards.models import BoardMember, Committee, CommitteeMembership
from carelead.core.choices import BoardRole

COMMITTEES = [
    ("Audit and risk committee", Committee.Kind.AUDIT, "Assurance on internal control, risk and the annual accounts."),
    ("Quality and safety committee", Committee.Kind.QUALITY, "Assurance on the safety and quality of care."),
    ("Finance and performance committee", Committee.Kind.FINANCE, "Oversight of the financial plan and performance."),
    ("People committee", Committee.Kind.PEOPLE, "Oversight of the workforce plan, culture and equality."),
    ("Remuneration and nominations committee", Committee.Kind.REMUNERATION, "Pay and appointments of directors."),
]
CHUNK = 5_000


def committees_create(*, seed: int) -> dict[str, int]:
    """Give every board with at least three non-executives in post its committees; returns rows by model."""
    rnd = random.Random(f"carelead-demo:{seed}:committees")
    today = timezone.localdate()
    in_post = BoardMember.objects.filter(Q(end_date__isnull=True) | Q(end_date__gte=today), start_date__lte=today)
    boards: dict[int, list[tuple[int, str, object]]] = {}
    for pk, organisation_id, role, start in in_post.order_by("organisation_id", "pk").values_list(
        "pk", "organisation_id", "role", "start_date"
    ):
        boards.setdefault(organisation_id, []).append((pk, role, start))
    have = set(Committee.objects.values_list("organisation_id", flat=True))
    committees, plan = [], []
    for organisation_id, members in boards.items():
        neds = [m for m in members if m[1] == BoardRole.NON_EXECUTIVE]
        executives = [m for m in members if m[1] == BoardRole.EXECUTIVE]
        if organisation_id in have or len(neds) < 3:
            continue
        for name, kind, purpose in COMMITTEES:
            committee = Committee(organisation_id=organisation_id, name=name, kind=kind, purpose=purpose)
            committees.append(committee)
            chosen = rnd.sample(neds, 3)
            if kind != Committee.Kind.REMUNERATION and executives:
                chosen += rnd.sample(executives, min(2, len(executives)))
            plan.append((committee, [(m[0], i == 0, m[2]) for i, m in enumerate(chosen)]))
    Committee.objects.bulk_create(committees, batch_size=CHUNK)
    places = [
        CommitteeMembership(committee=committee, member_id=pk, chairs=chairs, starts_on=start)
        for committee, members in plan
        for pk, chairs, start in members
    ]
    CommitteeMembership.objects.bulk_create(places, batch_size=CHUNK)
    return {Committee._meta.label: len(committees), CommitteeMembership._meta.label: len(places)}
