"""Reads of board skills: the matrix of members against the required mix, and the gaps that drive campaigns.

Pages reach members' skills only through here. ``skills_access`` is the one rule for what the acting person may
do with one organisation's board: the role's permissions within its scope (as on the board pages), plus the chair
in post, whatever role they act in. Gaps count validated levels of members in post only: members who have left,
or have been appointed but not started, do not count, and a self-assessment never closes a gap on its own.
"""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import (
    Count,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from carelead.accounts.permissions import Scope, assignment_has
from carelead.audit.models import AuditLog
from carelead.boardappraisals.selectors import in_post_q
from carelead.boards.models import BoardMember
from carelead.boards.selectors import OVERSEERS, ROLE_ORDER, open_seats_q
from carelead.boardskills.models import Level, MemberSkill, Priority, SkillRequirement
from carelead.boardskills.permissions import (
    ASSESS_FOR_MEMBER,
    MANAGE_REQUIREMENTS,
    VALIDATE_SKILLS,
    VIEW_BOARD_SKILLS,
    VIEW_MEMBER_SKILLS,
    VIEW_SKILL_GAPS,
)
from carelead.fitproper.selectors import chaired_organisation_ids
from carelead.nedpool.models import skill_choices, skill_label
from carelead.organisations.models import Organisation

# How member skill changes are filed in the audit log: one entry per save, keyed by the board member.
AUDIT_MEMBER_SKILLS = "boardskills.MemberSkill"
AUDIT_REQUIREMENTS = "boardskills.SkillRequirement"
HISTORY_SHOWN = 50


@dataclass(frozen=True)
class SkillGap:
    """One required skill of a board and how far the members in post fall short of it."""

    skill: str
    label: str
    needed: int
    level: int
    priority: str
    validated: int  # members in post whose validated level reaches ``level``
    self_assessed: int  # members in post who say they reach ``level`` but are not (yet) validated at it

    @property
    def short(self) -> int:
        """How many more validated holders the board needs (0 when the requirement is met)."""
        return max(0, self.needed - self.validated)

    @property
    def level_label(self) -> str:
        return Level(self.level).label


def board_skill_gaps(*, organisation: Organisation, on: date | None = None) -> list[SkillGap]:
    """Every skill the board requires, with how many members in post on ``on`` hold it, most pressing first.

    Two queries whatever the board's size: the requirements, and the skills of members in post.
    """
    on = on or timezone.localdate()
    requirements = list(SkillRequirement.objects.filter(organisation=organisation).order_by("skill"))
    if not requirements:
        return []
    in_post = BoardMember.objects.filter(open_seats_q(on=on), organisation=organisation, start_date__lte=on)
    held = MemberSkill.objects.filter(member__in=in_post, skill__in=[r.skill for r in requirements]).values_list(
        "skill", "self_level", "validated_level"
    )
    validated: dict[str, list[int]] = {}
    claimed: dict[str, list[int]] = {}
    for skill, self_level, validated_level in held:
        validated.setdefault(skill, []).append(validated_level or 0)
        claimed.setdefault(skill, []).append(self_level if validated_level is None else 0)
    gaps = [
        SkillGap(
            skill=r.skill,
            label=skill_label(r.skill),
            needed=r.needed,
            level=r.level,
            priority=r.priority,
            validated=sum(1 for v in validated.get(r.skill, []) if v >= r.level),
            self_assessed=sum(1 for v in claimed.get(r.skill, []) if v >= r.level),
        )
        for r in requirements
    ]
    return sorted(gaps, key=lambda g: (g.short == 0, g.priority != "essential", -g.short, g.label))


# Who may do what ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Access:
    """What the acting person may do with one organisation's board skills."""

    view: bool = False  # the board's page
    members: bool = False  # members' levels, and exact counts
    manage: bool = False  # the required mix
    validate: bool = False
    assess_for: bool = False  # enter a member's self-assessment on their behalf
    chair: bool = False


def skills_access(*, assignment, user, organisation: Organisation, chaired: set[int] | None = None) -> Access:
    """The one rule: what the acting role, and the person if they chair this board, may do with its skills."""
    if organisation.type in OVERSEERS:
        return Access()
    if chaired is None:
        chaired = chaired_organisation_ids(user=user)
    chair = organisation.pk in chaired
    in_scope = assignment is not None and Scope.of(assignment).contains_path(organisation.path)

    def role(code: str) -> bool:
        return in_scope and assignment_has(assignment, code)

    return Access(
        view=role(VIEW_BOARD_SKILLS) or chair,
        members=role(VIEW_MEMBER_SKILLS) or chair,
        manage=role(MANAGE_REQUIREMENTS),
        validate=role(VALIDATE_SKILLS) or chair,
        assess_for=role(ASSESS_FOR_MEMBER),
        chair=chair,
    )


def own_seats(*, user, on: date | None = None) -> QuerySet[BoardMember]:
    """The signed-in person's board seats not yet given up (in post, or appointed and about to join)."""
    if user is None or not getattr(user, "person_id", None):
        return BoardMember.objects.none()
    on = on or timezone.localdate()
    return (
        BoardMember.objects.filter(open_seats_q(on=on), person_id=user.person_id)
        .exclude(organisation__type__in=OVERSEERS)
        .select_related("organisation")
        .order_by("-start_date", "pk")
    )


def skills_may_open_boards(*, assignment, user) -> bool:
    """Whether the acting person may open any board's skills page (else a plain 403)."""
    return assignment_has(assignment, VIEW_BOARD_SKILLS) or bool(chaired_organisation_ids(user=user))


def skills_may_open_members(*, assignment, user) -> bool:
    """Whether the acting person may open any member's skills page (else a plain 403)."""
    return (
        assignment_has(assignment, VIEW_MEMBER_SKILLS)
        or assignment_has(assignment, ASSESS_FOR_MEMBER)
        or bool(chaired_organisation_ids(user=user))
        or own_seats(user=user).exists()
    )


def skills_organisation_get(*, assignment, user, code: str) -> tuple[Organisation, Access]:
    """An organisation whose board skills the acting person may see, with what they may do (404 otherwise)."""
    organisation = (
        Organisation.objects.exclude(type__in=OVERSEERS)
        .select_related("region")
        .filter(code=code.strip().upper())
        .first()
    )
    if organisation is None:
        raise Http404("No such organisation")
    access = skills_access(assignment=assignment, user=user, organisation=organisation)
    if not access.view:
        raise Http404("No such organisation")
    return organisation, access


@dataclass(frozen=True)
class MemberAccess:
    """What the acting person may do with one board member's skills."""

    board: Access
    own: bool  # the signed-in person holds this seat
    open: bool  # the seat has not been given up, so its skills may still change

    @property
    def self_assess(self) -> bool:
        return self.open and (self.own or self.board.assess_for)

    @property
    def on_behalf(self) -> bool:
        """Entering the self-assessment for someone else (audited as such)."""
        return self.self_assess and not self.own

    @property
    def validate(self) -> bool:
        """Nobody validates their own skills, the chair included."""
        return self.open and self.board.validate and not self.own


def member_access(*, assignment, user, member: BoardMember, today: date | None = None) -> MemberAccess:
    """What the acting person may do with ``member``'s skills."""
    today = today or timezone.localdate()
    own = bool(getattr(user, "person_id", None)) and member.person_id == user.person_id
    return MemberAccess(
        board=skills_access(assignment=assignment, user=user, organisation=member.organisation),
        own=own,
        open=member.end_date is None or member.end_date >= today,
    )


def skills_member_get(*, assignment, user, pk: int) -> tuple[BoardMember, MemberAccess]:
    """A board member whose skills the acting person may see: their own seat, or one they reach (404 otherwise)."""
    member = BoardMember.objects.select_related("organisation", "organisation__region").filter(pk=pk).first()
    if member is None:
        raise Http404("No such board member")
    access = member_access(assignment=assignment, user=user, member=member)
    if not (access.own or access.board.members):
        raise Http404("No such board member")
    return member, access


# One board ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    """One member's standing in one required skill."""

    skill: str
    required_level: int
    self_level: int | None  # None: not assessed
    validated_level: int | None  # None: not validated

    @property
    def meets(self) -> bool:
        """Validated at the required level or above: counts towards the requirement."""
        return self.validated_level is not None and self.validated_level >= self.required_level

    @property
    def claims(self) -> bool:
        """Says they reach the required level but is not validated at it (does not count yet)."""
        return not self.meets and self.validated_level is None and (self.self_level or 0) >= self.required_level

    @property
    def self_label(self) -> str:
        return "Not assessed" if self.self_level is None else Level(self.self_level).label

    @property
    def validated_label(self) -> str:
        return "Not validated" if self.validated_level is None else Level(self.validated_level).label


@dataclass(frozen=True)
class MatrixRow:
    member: BoardMember
    cells: list[Cell]


def board_skill_matrix(*, organisation: Organisation, gaps: list, on: date | None = None) -> list[MatrixRow]:
    """Members in post on ``on`` (chair first) against the required skills in ``gaps``, in two queries."""
    on = on or timezone.localdate()
    if not gaps:
        return []
    members = sorted(
        BoardMember.objects.filter(in_post_q(on=on), organisation=organisation),
        key=lambda m: (ROLE_ORDER.get(m.role, len(ROLE_ORDER)), m.name, m.pk),
    )
    held = {
        (row["member_id"], row["skill"]): row
        for row in MemberSkill.objects.filter(
            member__in=[m.pk for m in members], skill__in=[g.skill for g in gaps]
        ).values("member_id", "skill", "self_level", "self_assessed_on", "validated_level")
    }
    rows = []
    for member in members:
        cells = []
        for gap in gaps:
            row = held.get((member.pk, gap.skill))
            cells.append(
                Cell(
                    skill=gap.skill,
                    required_level=gap.level,
                    self_level=row["self_level"] if row and row["self_assessed_on"] else None,
                    validated_level=row["validated_level"] if row else None,
                )
            )
        rows.append(MatrixRow(member=member, cells=cells))
    return rows


def board_members_waiting(*, organisation: Organisation, on: date | None = None) -> int:
    """How many members have been appointed to the board but not yet started (they do not count yet)."""
    on = on or timezone.localdate()
    return BoardMember.objects.filter(open_seats_q(on=on), organisation=organisation, start_date__gt=on).count()


def requirements_of(*, organisation: Organisation) -> dict[str, SkillRequirement]:
    """The board's required mix, by skill."""
    return {r.skill: r for r in SkillRequirement.objects.filter(organisation=organisation)}


@dataclass
class SkillLine:
    """One skill on a member's page: their levels, and what the board requires of it."""

    skill: str
    label: str
    record: MemberSkill | None
    requirement: SkillRequirement | None
    listed: bool = True  # on the skills list in force (a skill since taken off the list shows by its code)
    extra: dict = field(default_factory=dict)

    @property
    def self_level(self) -> int | None:
        return self.record.self_level if self.record and self.record.self_assessed_on else None

    @property
    def validated_level(self) -> int | None:
        return self.record.validated_level if self.record else None


def member_skill_lines(*, member: BoardMember) -> list[SkillLine]:
    """Every skill on the list, required ones first, with the member's levels; two queries."""
    records = {r.skill: r for r in MemberSkill.objects.filter(member=member).select_related("validated_by")}
    requirements = requirements_of(organisation=member.organisation)
    listed = skill_choices()
    codes = [code for code, _ in listed]
    lines = [
        SkillLine(skill=code, label=label, record=records.get(code), requirement=requirements.get(code))
        for code, label in listed
    ]
    lines += [
        SkillLine(
            skill=code, label=skill_label(code), record=records[code], requirement=requirements.get(code), listed=False
        )
        for code in sorted(records)
        if code not in codes
    ]
    return sorted(lines, key=lambda line: line.requirement is None)


def member_skill_history(*, member: BoardMember, limit: int = HISTORY_SHOWN) -> list[AuditLog]:
    """The latest changes to a member's skills, newest first, from the audit log."""
    return list(
        AuditLog.objects.filter(object_type=AUDIT_MEMBER_SKILLS, object_id=str(member.pk))
        .select_related("actor")
        .order_by("-at", "-pk")[:limit]
    )


def history_lines(*, changes: dict) -> list[dict]:
    """An audit entry's changes as lines a page can show: the skill, what changed, before and after."""
    lines = []
    for key, value in sorted(changes.items()):
        skill, _, part = key.partition(".")
        if part not in ("self_level", "validated_level") or not isinstance(value, list) or len(value) != 2:
            continue
        blank = "Not assessed" if part == "self_level" else "Not validated"
        before, after = (blank if v is None else Level(v).label for v in value)
        lines.append(
            {
                "label": skill_label(skill),
                "what": "Self-assessed" if part == "self_level" else "Validated",
                "before": before,
                "after": after,
            }
        )
    return lines


# Boards with gaps across a scope -------------------------------------------------------------------------------


def gaps_may_see_exact(*, assignment) -> bool:
    """Whether the overview shows exact counts (record-level rights) rather than published figures."""
    return assignment_has(assignment, VIEW_MEMBER_SKILLS)


def gaps_may_view(*, assignment) -> bool:
    return assignment_has(assignment, VIEW_SKILL_GAPS)


def _requirements_in_scope(*, assignment) -> QuerySet[SkillRequirement]:
    return SkillRequirement.objects.filter(Scope.of(assignment).organisations_q("organisation__")).exclude(
        organisation__type__in=OVERSEERS
    )


def requirement_shortfalls(
    *,
    assignment,
    skill: str = "",
    region: Organisation | None = None,
    essential_only: bool = False,
    on: date | None = None,
) -> QuerySet[SkillRequirement]:
    """Unmet requirements of boards in the scope, each annotated with ``held`` (validated holders in post) and
    ``short`` (how many more the board needs). The counting is one correlated subquery per requirement row, done by
    the database."""
    on = on or timezone.localdate()
    holders = (
        MemberSkill.objects.filter(
            in_post_q(on=on, prefix="member__"),
            member__organisation=OuterRef("organisation"),
            skill=OuterRef("skill"),
            validated_level__gte=OuterRef("level"),
        )
        .order_by()
        .values("skill")
        .annotate(n=Count("pk"))
        .values("n")
    )
    requirements = _requirements_in_scope(assignment=assignment)
    if skill:
        requirements = requirements.filter(skill=skill)
    if region is not None:
        requirements = requirements.filter(organisation__region=region)
    if essential_only:
        requirements = requirements.filter(priority=Priority.ESSENTIAL)
    return (
        requirements.annotate(held=Coalesce(Subquery(holders, output_field=IntegerField()), Value(0)))
        .filter(held__lt=F("needed"))
        .annotate(short=ExpressionWrapper(F("needed") - F("held"), output_field=IntegerField()))
    )


def gap_boards(*, shortfalls: QuerySet[SkillRequirement]) -> QuerySet:
    """One row per board with unmet requirements: its total shortfall, how many requirements are unmet and how many
    of those are essential; largest shortfall first. One query (two when paginated)."""
    return (
        shortfalls.values(
            "organisation_id",
            "organisation__code",
            "organisation__name",
            "organisation__type",
            "organisation__region__name",
        )
        .annotate(
            total_short=Sum("short"),
            unmet=Count("pk"),
            essential_unmet=Count("pk", filter=Q(priority=Priority.ESSENTIAL)),
        )
        .order_by("-total_short", "-essential_unmet", "organisation__name", "organisation_id")
    )


def gap_skills_by_board(*, shortfalls: QuerySet[SkillRequirement], organisation_ids: list[int] | None = None) -> dict:
    """The unmet requirements of each board, essential first then largest shortfall: {organisation id: [dict]}.
    One query."""
    rows = shortfalls if organisation_ids is None else shortfalls.filter(organisation_id__in=organisation_ids)
    by_board: dict[int, list[dict]] = {}
    for row in rows.order_by().values("organisation_id", "skill", "priority", "level", "needed", "short"):
        row["label"] = skill_label(row["skill"])
        by_board.setdefault(row["organisation_id"], []).append(row)
    for skills in by_board.values():
        skills.sort(key=lambda r: (r["priority"] != Priority.ESSENTIAL, -r["short"], r["label"]))
    return by_board


def gap_coverage(*, assignment, region: Organisation | None = None) -> int:
    """How many boards in the scope (or the region) have a required mix set."""
    requirements = _requirements_in_scope(assignment=assignment)
    if region is not None:
        requirements = requirements.filter(organisation__region=region)
    return requirements.values("organisation_id").distinct().count()
