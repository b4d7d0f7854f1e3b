"""Who may read and record EDI action plans.

Action plans say what an organisation will do about its equality measures, who owns each action and by when;
they hold no staff records or equality monitoring answers, so every role that follows equality reads them in
full, each within the scope of its assignment.
"""

from carelead.accounts.permissions import declare
from carelead.accounts.roles import Role

VIEW_ACTIONS = declare(
    "actionplans.view",
    "Read the EDI action plans of organisations in the scope",
    {Role.ORG_HR, Role.REGIONAL_TALENT, Role.NATIONAL_ADMIN, Role.REGULATOR, Role.NED_TEAM},
)
MANAGE_ACTIONS = declare(
    "actionplans.manage",
    "Record EDI actions and their progress for organisations in the scope",
    {Role.ORG_HR, Role.NATIONAL_ADMIN},
)
VIEW_ACTION_SUMMARY = declare(
    "actionplans.view_summary",
    "Compare action-plan progress across the organisations in the scope",
    {Role.REGIONAL_TALENT, Role.NATIONAL_ADMIN, Role.REGULATOR, Role.NED_TEAM},
)
