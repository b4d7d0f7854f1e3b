"""A board's required mix of skills and experience, and each member's skills against it (domain.md section 7).

The skills are the list the NED candidate pool uses (``carelead.nedpool.models.skill_choices``), so a gap on a
board can be matched against candidates who declare the skill. A member states their own level; the NED team or
the chair validates it. Gaps count validated levels only: a self-assessment shows on the matrix but never closes
a gap on its own.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from carelead.core.models import TimeStampedModel


class Level(models.IntegerChoices):
    """How much of a skill or experience a member brings to the board."""

    NONE = 0, "None"
    WORKING = 1, "Working knowledge"
    STRONG = 2, "Strong"
    EXPERT = 3, "Expert"


class Priority(models.TextChoices):
    ESSENTIAL = "essential", "Essential"
    DESIRABLE = "desirable", "Desirable"


class SkillRequirement(TimeStampedModel):
    """That an organisation's board needs ``needed`` members holding ``skill`` at ``level`` or above."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="board_skill_requirements"
    )
    skill = models.CharField(max_length=40)
    needed = models.PositiveSmallIntegerField(default=1, help_text="How many members should hold the skill")
    level = models.PositiveSmallIntegerField(choices=Level.choices, default=Level.STRONG)
    priority = models.CharField(max_length=10, choices=Priority.choices, default=Priority.ESSENTIAL)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["organisation", "skill"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "skill"], name="boardskills_requirement_unique"),
            models.CheckConstraint(condition=Q(needed__gte=1) & Q(needed__lte=20), name="boardskills_needed_range"),
            models.CheckConstraint(condition=Q(level__gte=1) & Q(level__lte=3), name="boardskills_required_level"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id}: {self.needed} × {self.skill}"


class MemberSkill(TimeStampedModel):
    """One board member's level in one skill: as they assess it, and as validated."""

    member = models.ForeignKey("boards.BoardMember", on_delete=models.CASCADE, related_name="skills")
    skill = models.CharField(max_length=40)
    self_level = models.PositiveSmallIntegerField(choices=Level.choices, default=Level.NONE)
    self_assessed_on = models.DateField(null=True, blank=True)
    validated_level = models.PositiveSmallIntegerField(choices=Level.choices, null=True, blank=True)
    validated_on = models.DateField(null=True, blank=True)
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    evidence = models.TextField(blank=True, help_text="What the validation rests on")

    class Meta:
        ordering = ["member", "skill"]
        constraints = [
            models.UniqueConstraint(fields=["member", "skill"], name="boardskills_member_skill_unique"),
            models.CheckConstraint(condition=Q(self_level__lte=3), name="boardskills_self_level_range"),
            models.CheckConstraint(
                condition=Q(validated_level__isnull=True) | Q(validated_level__lte=3),
                name="boardskills_validated_level_range",
            ),
            models.CheckConstraint(
                condition=Q(validated_level__isnull=True) | Q(validated_on__isnull=False),
                name="boardskills_validated_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member_id}: {self.skill}"
