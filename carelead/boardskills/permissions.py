"""Who may see a board's skills matrix, set its required mix, validate members' skills and assess their own.

Scope follows the board pages (``carelead.boards.selectors``): an HR and OD lead reaches their own organisation,
a regional talent lead or regional NED appointments team their region, the national teams and the regulator
England. A member's self-assessed and validated levels are a record about that person, so the regulator sees
the board's gaps only, as published figures, and never the members' levels.

Two parts belong to people rather than roles, whatever role they are acting in (``selectors.skills_access``):
the chair in post of a board validates its members' skills (but not their own), and a board member records their
own self-assessment.
"""

from carelead.accounts.permissions import declare
from carelead.accounts.roles import Role

VIEW_BOARD_SKILLS = declare(
    "boardskills.view",
    "See the skills matrix and skill gaps of boards in the scope (the regulator: the gaps only, as published figures)",
    {Role.NED_TEAM, Role.NATIONAL_ADMIN, Role.REGIONAL_TALENT, Role.ORG_HR, Role.REGULATOR},
)
VIEW_MEMBER_SKILLS = declare(
    "boardskills.view_members",
    "See each board member's self-assessed and validated skills, and exact counts, for boards in the scope",
    {Role.NED_TEAM, Role.NATIONAL_ADMIN, Role.REGIONAL_TALENT, Role.ORG_HR},
)
MANAGE_REQUIREMENTS = declare(
    "boardskills.manage_requirements",
    "Set the mix of skills and experience a board in the scope needs",
    {Role.NED_TEAM, Role.ORG_HR},
)
VALIDATE_SKILLS = declare(
    "boardskills.validate",
    "Validate board members' skills for boards in the scope (the chair of a board may too, for its members)",
    {Role.NED_TEAM},
)
ASSESS_FOR_MEMBER = declare(
    "boardskills.assess_for_member",
    "Enter a board member's self-assessment on their behalf, for boards in the scope",
    {Role.NED_TEAM, Role.ORG_HR},
)
VIEW_SKILL_GAPS = declare(
    "boardskills.view_gaps",
    "See the boards in the scope with unmet skill requirements, and download the list",
    {Role.NED_TEAM, Role.NATIONAL_ADMIN, Role.REGIONAL_TALENT, Role.REGULATOR},
)
