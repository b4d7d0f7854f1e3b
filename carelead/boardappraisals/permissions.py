"""Who may follow, record, read and sign off board member appraisals.

The organisation's HR and OD lead records its board appraisals, acting as board secretary; national admins may
too. Who may read an appraisal in full is one rule (``selectors.board_appraisals_readable``): HR and national
admins every appraisal in their scope, regional talent leads the chairs' appraisals of their region (which they
sign off), and a board member their own. The NED appointments team tracks who is due and how far each has got,
never the content. The regulator sees completion counts only, as published figures.
"""

from carelead.accounts.permissions import declare
from carelead.accounts.roles import Role

VIEW_BOARD_APPRAISALS = declare(
    "boardappraisals.view_list",
    "See which board members of organisations in the scope are due an appraisal, when, and how far each has got",
    {Role.ORG_HR, Role.REGIONAL_TALENT, Role.NED_TEAM, Role.NATIONAL_ADMIN},
)
READ_BOARD_APPRAISAL = declare(
    "boardappraisals.read",
    "Read board appraisals in full: HR and national admins in the scope, regional talent leads the chairs'",
    {Role.ORG_HR, Role.REGIONAL_TALENT, Role.NATIONAL_ADMIN},
)
READ_OWN_BOARD_APPRAISAL = declare(
    "boardappraisals.read_own",
    "Read your own board appraisals, when you sit on a board",
    {Role.STAFF, Role.LINE_MANAGER},
)
MANAGE_BOARD_APPRAISALS = declare(
    "boardappraisals.manage",
    "Start the year's board appraisals and record them for organisations in the scope",
    {Role.ORG_HR, Role.NATIONAL_ADMIN},
)
SIGN_OFF_BOARD_APPRAISAL = declare(
    "boardappraisals.sign_off",
    "Sign off board appraisals: the region's chairs (regional talent leads), or other members on the chair's behalf",
    {Role.ORG_HR, Role.REGIONAL_TALENT, Role.NATIONAL_ADMIN},
)
VIEW_BOARD_APPRAISAL_COMPLETION = declare(
    "boardappraisals.view_completion",
    "See board appraisal completion by organisation (counts only; published figures for the regulator)",
    {Role.REGIONAL_TALENT, Role.NED_TEAM, Role.NATIONAL_ADMIN, Role.REGULATOR},
)
