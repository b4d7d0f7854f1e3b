"""The demo's board skills: a mix for every board with members in post, members' skills, gaps on some boards,
the same rows for the same seed, and nothing written twice."""

import datetime

import pytest
from django.utils import timezone

from carelead.boards.models import BoardMember
from carelead.boardskills.models import MemberSkill, SkillRequirement
from carelead.boardskills.selectors import board_skill_gaps
from carelead.core.choices import BoardRole, OrganisationType
from carelead.demo.boardskills import board_skills_create
from carelead.organisations.models import Organisation
from carelead.organisations.services import organisation_tree_rebuild

BOARDS = 30


def _boards(world) -> list[Organisation]:
    """``BOARDS`` trusts with twelve seats in post each, one leaver and one member starting next month; and one
    trust whose only member has left."""
    icb = world.orgs["QZZ"]
    orgs = [
        Organisation.objects.create(code=f"D{i:03d}", name=f"Demo Trust {i}", type=OrganisationType.TRUST, parent=icb)
        for i in range(BOARDS)
    ]
    empty = Organisation.objects.create(code="DEMPTY", name="No Board Trust", type=OrganisationType.TRUST, parent=icb)
    organisation_tree_rebuild()
    today = timezone.localdate()
    roles = [BoardRole.CHAIR] + [BoardRole.NON_EXECUTIVE] * 6 + [BoardRole.EXECUTIVE] * 5
    seats = []
    for org in orgs:
        for n, role in enumerate(roles):
            seats.append(
                BoardMember(
                    member_id=f"{org.code}-{n}",
                    organisation=org,
                    name=f"Member {n}",
                    role=role,
                    voting=True,
                    start_date=datetime.date(2022, 4, 1),
                )
            )
        seats.append(
            BoardMember(
                member_id=f"{org.code}-L",
                organisation=org,
                name="Leaver",
                role=BoardRole.NON_EXECUTIVE,
                voting=True,
                start_date=datetime.date(2018, 4, 1),
                end_date=today - datetime.timedelta(days=10),
            )
        )
        seats.append(
            BoardMember(
                member_id=f"{org.code}-F",
                organisation=org,
                name="Starter",
                role=BoardRole.NON_EXECUTIVE,
                voting=True,
                start_date=today + datetime.timedelta(days=20),
            )
        )
    seats.append(
        BoardMember(
            member_id="DEMPTY-L",
            organisation=empty,
            name="Gone",
            role=BoardRole.CHAIR,
            voting=True,
            start_date=datetime.date(2018, 4, 1),
            end_date=today - datetime.timedelta(days=10),
        )
    )
    BoardMember.objects.bulk_create(seats)
    return orgs


def _snapshot() -> tuple:
    requirements = list(
        SkillRequirement.objects.order_by("organisation__code", "skill").values_list(
            "organisation__code", "skill", "needed", "level", "priority"
        )
    )
    skills = list(
        MemberSkill.objects.order_by("member__member_id", "skill").values_list(
            "member__member_id", "skill", "self_level", "validated_level", "evidence"
        )
    )
    return requirements, skills


def test_the_demo_sets_a_mix_and_skills_with_gaps_on_some_boards(world, django_assert_max_num_queries):
    orgs = _boards(world)
    ned = world.users["ned_team"]
    # Inserts go in batches (about a hundred rows each on SQLite): fewer queries than boards, never one per board.
    with django_assert_max_num_queries(BOARDS - 1):
        written = board_skills_create(seed=7, ned_user=ned)
    assert written == SkillRequirement.objects.count() + MemberSkill.objects.count()
    assert set(SkillRequirement.objects.values_list("organisation__code", flat=True)) == {o.code for o in orgs}
    assert MemberSkill.objects.filter(member__member_id__endswith="-L").exists()  # leavers keep their skills
    assert MemberSkill.objects.filter(self_assessed_on__isnull=False).count() > MemberSkill.objects.count() / 2
    assert MemberSkill.objects.filter(validated_level__isnull=False, validated_by=ned).exists()
    for record in MemberSkill.objects.filter(validated_level__isnull=False)[:50]:
        assert record.validated_on is not None and record.evidence
    short = [o for o in orgs if any(g.short for g in board_skill_gaps(organisation=o))]
    assert BOARDS / 6 <= len(short) <= BOARDS * 2 / 3
    skills = {s for s, _ in SkillRequirement.objects.values_list("skill", "priority")}
    assert {"finance", "clinical", "audit_risk", "workforce", "lived_experience"} <= skills
    # Nothing more is written the second time.
    assert board_skills_create(seed=7, ned_user=ned) == 0


@pytest.mark.parametrize("seed", [7])
def test_the_same_seed_gives_the_same_rows(world, seed):
    _boards(world)
    board_skills_create(seed=seed, ned_user=world.users["ned_team"])
    first = _snapshot()
    SkillRequirement.objects.all().delete()
    MemberSkill.objects.all().delete()
    board_skills_create(seed=seed, ned_user=world.users["ned_team"])
    assert _snapshot() == first
    SkillRequirement.objects.all().delete()
    MemberSkill.objects.all().delete()
    board_skills_create(seed=seed + 1, ned_user=world.users["ned_team"])
    assert _snapshot() != first
