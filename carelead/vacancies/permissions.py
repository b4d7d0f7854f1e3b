"""Who may see, apply for and run leadership vacancies."""

from carelead.accounts.permissions import declare
from carelead.accounts.roles import Role

APPLY = declare(
    "vacancies.apply",
    "See open leadership vacancies and progression routes, and apply",
    {Role.STAFF, Role.LINE_MANAGER, Role.ORG_HR, Role.REGIONAL_TALENT, Role.NATIONAL_ADMIN},
)
MANAGE_VACANCIES = declare(
    "vacancies.manage",
    "Create vacancies and decide shortlisting, interview and appointment in the scope",
    {Role.ORG_HR, Role.REGIONAL_TALENT},
)
MATCH = declare(
    "vacancies.match",
    "Rank the region's pool against a vacancy and invite candidates",
    {Role.REGIONAL_TALENT},
)
VIEW_RECRUITMENT = declare(
    "vacancies.view_recruitment",
    "Read vacancies, applications and recruitment decisions in the scope (national administrators read only)",
    {Role.ORG_HR, Role.REGIONAL_TALENT, Role.NATIONAL_ADMIN},
)
INVITE = declare(
    "vacancies.invite",
    "Invite someone in the region to apply for a vacancy there",
    {Role.REGIONAL_TALENT},
)
