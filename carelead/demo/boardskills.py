"""Board skills for the demo: each board's required mix and its members' skills.

Every organisation with board members in post gets the standard NHS mix (finance, clinical, audit and risk,
workforce, digital, legal, lived experience of the communities served, quality improvement) with a little variation.
Most members in post assess themselves; many are validated by the NED appointments team. About two boards in three
meet their mix; the rest have realistic gaps: a skill nobody holds, or holders whose own assessment has not been
validated yet. Members who have left keep the skills they had, so the pages show that those do not count.

Rows go in with ``bulk_create`` in chunks; two reads (the seats, and what is already there) whatever the size, so a
national demo of some 250 boards and a few thousand seats takes a second or two. The same seed gives the same rows.
"""

import random
from collections import defaultdict
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from carelead.boards.models import BoardMember
from carelead.boards.selectors import OVERSEERS
from carelead.boardskills.models import Level, MemberSkill, Priority, SkillRequirement
from carelead.core.choices import BoardRole
from carelead.nedpool.models import skill_choices

CHUNK = 2000
ESSENTIAL, DESIRABLE = Priority.ESSENTIAL, Priority.DESIRABLE
# skill, members needed, level, priority
STANDARD_MIX = [
    ("finance", 2, Level.STRONG, ESSENTIAL),
    ("clinical", 2, Level.STRONG, ESSENTIAL),
    ("audit_risk", 1, Level.STRONG, ESSENTIAL),
    ("workforce", 1, Level.STRONG, ESSENTIAL),
    ("digital", 1, Level.STRONG, DESIRABLE),
    ("legal", 1, Level.WORKING, DESIRABLE),
    ("lived_experience", 1, Level.WORKING, ESSENTIAL),
    ("quality_improvement", 1, Level.STRONG, DESIRABLE),
]
# What members of each role tend to bring: executives their own profession, non-executives a career's worth.
ROLE_LEANINGS = {
    BoardRole.EXECUTIVE: ["clinical", "finance", "workforce", "digital", "quality_improvement"],
    BoardRole.CHAIR: ["finance", "legal", "audit_risk", "workforce", "commercial"],
    BoardRole.NON_EXECUTIVE: [
        "finance",
        "audit_risk",
        "legal",
        "digital",
        "lived_experience",
        "clinical",
        "commercial",
    ],
    BoardRole.ASSOCIATE: ["lived_experience", "digital", "quality_improvement", "clinical"],
}
EVIDENCE = [
    "Appointment interview and references",
    "Professional registration checked",
    "Qualification certificate seen; chairs the audit committee",
    "Board development review with the chair",
    "Career history in the application, confirmed at interview",
]


def _mix(rnd: random.Random, listed: set[str]) -> list[tuple[str, int, int, str]]:
    """The standard mix with a little variation: some boards need more of a skill, or rate it differently."""
    mix = []
    for skill, needed, level, priority in STANDARD_MIX:
        if skill not in listed:
            continue
        if priority == DESIRABLE and rnd.random() < 0.15:
            continue  # not every board asks for every desirable skill
        if rnd.random() < 0.2:
            needed += 1
        if rnd.random() < 0.1:
            level = min(Level.EXPERT, level + 1)
        if rnd.random() < 0.1:
            priority = DESIRABLE if priority == ESSENTIAL else ESSENTIAL
        mix.append((skill, needed, int(level), priority))
    return mix


def _profile(rnd: random.Random, role: str, listed: list[str]) -> dict[str, int]:
    """A member's true levels: one to three strengths, a working knowledge of one or two more."""
    leanings = [s for s in ROLE_LEANINGS.get(role, listed) if s in listed] or listed
    strengths = rnd.sample(leanings, k=min(len(leanings), rnd.randint(1, 3)))
    levels = {skill: rnd.choice([Level.STRONG, Level.STRONG, Level.EXPERT]) for skill in strengths}
    for skill in rnd.sample(listed, k=min(len(listed), rnd.randint(1, 2))):
        levels.setdefault(skill, Level.WORKING)
    return {skill: int(level) for skill, level in levels.items()}


def _day(rnd: random.Random, start: date, today: date) -> date:
    """A day since the member joined the board, within the last two years."""
    earliest = max(start, today - timedelta(days=730))
    if earliest >= today:
        return today
    return earliest + timedelta(days=rnd.randint(0, (today - earliest).days))


def board_skills_create(*, seed: int, ned_user) -> int:
    """Create each board's required mix and its members' skills; returns how many rows were written."""
    rnd = random.Random(f"carelead-demo:{seed}:board-skills")
    today = timezone.localdate()
    listed_codes = [code for code, _ in skill_choices()]
    listed = set(listed_codes)
    seats: dict[int, list[tuple]] = defaultdict(list)
    for row in (
        BoardMember.objects.exclude(organisation__type__in=OVERSEERS)
        .order_by("organisation_id", "pk")
        .values_list("pk", "organisation_id", "role", "start_date", "end_date")
    ):
        seats[row[1]].append(row)
    has_mix = set(SkillRequirement.objects.values_list("organisation_id", flat=True).distinct())
    has_skills = set(MemberSkill.objects.values_list("member_id", flat=True).distinct())
    requirements: list[SkillRequirement] = []
    skills: list[MemberSkill] = []
    written = 0

    def flush(force: bool = False) -> None:
        nonlocal written
        for rows, model in ((requirements, SkillRequirement), (skills, MemberSkill)):
            if rows and (force or len(rows) >= CHUNK):
                model.objects.bulk_create(rows, batch_size=CHUNK)
                written += len(rows)
                rows.clear()

    with transaction.atomic():
        for organisation_id in sorted(seats):
            in_post = [s for s in seats[organisation_id] if s[3] <= today and (s[4] is None or s[4] >= today)]
            if not in_post or organisation_id in has_mix:
                continue
            mix = _mix(rnd, listed)
            gappy = rnd.random() < 1 / 3
            # true levels, then what each member says and what has been validated
            truth = {seat[0]: _profile(rnd, seat[2], listed_codes) for seat in seats[organisation_id]}
            own: dict[int, dict[str, int]] = {pk: {} for pk in truth}
            checked: dict[int, dict[str, int]] = {pk: {} for pk in truth}
            for pk, levels in truth.items():
                assesses = rnd.random() < 0.85
                for skill, level in levels.items():
                    if assesses:
                        own[pk][skill] = min(Level.EXPERT, level + (1 if rnd.random() < 0.15 else 0))
                    if rnd.random() < 0.7:
                        checked[pk][skill] = level
            in_post_pks = [s[0] for s in in_post]
            for skill, needed, level, _priority in mix:
                holders = [pk for pk in in_post_pks if checked[pk].get(skill, -1) >= level]
                if gappy:
                    continue
                # A board without gaps: members make up what is missing, validated at the level needed.
                others = [pk for pk in in_post_pks if pk not in holders]
                rnd.shuffle(others)
                for pk in others[: max(0, needed - len(holders))]:
                    truth[pk][skill] = max(truth[pk].get(skill, 0), level)
                    checked[pk][skill] = truth[pk][skill]
                    own[pk].setdefault(skill, truth[pk][skill])
            if gappy:
                # One or two required skills fall short: nobody has been validated in them yet, though some say so.
                essentials = [m for m in mix if m[3] == ESSENTIAL] or mix
                for skill, _needed, _level, _priority in rnd.sample(
                    essentials, k=min(len(essentials), rnd.randint(1, 2))
                ):
                    for pk in in_post_pks:
                        checked[pk].pop(skill, None)
            for skill, needed, level, priority in mix:
                requirements.append(
                    SkillRequirement(
                        organisation_id=organisation_id,
                        skill=skill,
                        needed=needed,
                        level=level,
                        priority=priority,
                        updated_by=ned_user,
                    )
                )
            for pk, _organisation_id, _role, start, _end in seats[organisation_id]:
                if pk in has_skills:
                    continue
                for skill in sorted(set(own[pk]) | set(checked[pk])):
                    validated = checked[pk].get(skill)
                    skills.append(
                        MemberSkill(
                            member_id=pk,
                            skill=skill,
                            self_level=own[pk].get(skill, Level.NONE),
                            self_assessed_on=_day(rnd, start, today) if skill in own[pk] else None,
                            validated_level=validated,
                            validated_on=_day(rnd, start, today) if validated is not None else None,
                            validated_by=ned_user if validated is not None else None,
                            evidence=rnd.choice(EVIDENCE) if validated is not None else "",
                        )
                    )
            flush()
        flush(force=True)
    return written
