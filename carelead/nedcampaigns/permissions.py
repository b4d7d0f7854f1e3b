"""Who may see and run NED campaigns: the NED appointments team runs them (a regional team for the boards of its
region); national admins read them."""

from carelead.accounts.permissions import declare
from carelead.accounts.roles import Role

VIEW_CAMPAIGNS = declare(
    "nedcampaigns.view",
    "See NED campaigns for boards in the scope: role profiles, longlists, decisions and appointments",
    {Role.NED_TEAM, Role.NATIONAL_ADMIN},
)
RUN_CAMPAIGNS = declare(
    "nedcampaigns.run",
    "Open NED campaigns for boards in the scope, build longlists from the candidate pool, record shortlisting, "
    "interview and appointment decisions with reasons",
    {Role.NED_TEAM},
)
