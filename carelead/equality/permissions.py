"""Who may see the equality standards, and whether exactly or as published figures."""

from carelead.accounts.permissions import declare
from carelead.accounts.roles import Role

VIEW_EQUALITY = declare(
    "equality.view",
    "See the equality standards (published figures unless the role has record-level rights for the scope)",
    {Role.ORG_HR, Role.REGIONAL_TALENT, Role.NATIONAL_ADMIN, Role.REGULATOR, Role.NED_TEAM},
)
VIEW_EQUALITY_FULL = declare(
    "equality.view_full", "See exact equality figures for the scope", {Role.ORG_HR, Role.NATIONAL_ADMIN}
)
