"""Who may see the diversity of boards, and who records the population figures they are compared with.

What a role reaches is its scope, as for the board pages (``carelead.boards.selectors``). Whether it sees a
board's exact counts or published figures follows the equality pages' rule: exact only for roles with
record-level rights over the organisation (``carelead.equality.selectors.full_figures_allowed``).
"""

from carelead.accounts.permissions import declare
from carelead.accounts.roles import Role

VIEW_BOARD_DIVERSITY = declare(
    "boarddiversity.view",
    "See a board's composition by ethnicity, disability and sex beside its workforce and the population it serves",
    {Role.NED_TEAM, Role.NATIONAL_ADMIN, Role.REGIONAL_TALENT, Role.ORG_HR, Role.REGULATOR},
)
VIEW_BOARD_DIVERSITY_OVERVIEW = declare(
    "boarddiversity.view_overview",
    "Compare the diversity of every board in the scope with its workforce, as published figures",
    {Role.NED_TEAM, Role.NATIONAL_ADMIN, Role.REGIONAL_TALENT, Role.REGULATOR},
)
MANAGE_POPULATION_REFERENCES = declare(
    "boarddiversity.manage_references",
    "Record the population reference figures of organisations in the scope",
    {Role.NED_TEAM, Role.NATIONAL_ADMIN},
)
