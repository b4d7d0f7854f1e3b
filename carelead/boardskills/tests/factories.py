"""Factories for board skills: requirements and member skills, on the board members of the boards app."""

import datetime

import factory

from carelead.boardappraisals.tests.factories import BoardMemberFactory
from carelead.boardskills.models import Level, MemberSkill, Priority, SkillRequirement

__all__ = ["BoardMemberFactory", "MemberSkillFactory", "SkillRequirementFactory", "held"]


class SkillRequirementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SkillRequirement

    skill = "finance"
    needed = 1
    level = Level.STRONG
    priority = Priority.ESSENTIAL


class MemberSkillFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MemberSkill

    skill = "finance"
    self_level = Level.NONE


def held(member, skill: str, *, own: int | None = None, validated: int | None = None, by=None) -> MemberSkill:
    """A member's skill: their own level (``own``, assessed on 1 April 2026) and the validated level, if given."""
    return MemberSkillFactory(
        member=member,
        skill=skill,
        self_level=own or 0,
        self_assessed_on=datetime.date(2026, 4, 1) if own is not None else None,
        validated_level=validated,
        validated_on=datetime.date(2026, 5, 1) if validated is not None else None,
        validated_by=by,
        evidence="Seen at interview" if validated is not None else "",
    )
