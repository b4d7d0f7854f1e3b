"""Who may read and run succession plans: HR for their organisation, the regional talent team across the region,
national administrators everywhere (read only)."""

from carelead.accounts.permissions import declare
from carelead.accounts.roles import Role

VIEW_SUCCESSION = declare(
    "succession.view",
    "Read succession plans and succession risk in the scope",
    {Role.ORG_HR, Role.REGIONAL_TALENT, Role.NATIONAL_ADMIN},
)
MANAGE_SUCCESSION = declare(
    "succession.manage",
    "Create succession plans and manage their candidates in the scope",
    {Role.ORG_HR, Role.REGIONAL_TALENT},
)
VIEW_SUCCESSION_RISK = declare(
    "succession.view_risk",
    "Compare succession risk across the organisations of a region (or of England)",
    {Role.REGIONAL_TALENT, Role.NATIONAL_ADMIN},
)
