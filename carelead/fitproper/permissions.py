"""Who may record, sign off, submit and follow the fit and proper person test of board members.

The organisation's HR and OD lead (as board secretary) and the NED appointments team record the checks and the
member's self-attestation. The chair signs each member off; the NED appointments team records the sign-off for
the chair when the chair has no account, and for the chair's own test. Being the chair is not a role: it is
the signed-in person being the chair in post of the organisation's board (``selectors.chaired_organisation_ids``),
whatever role they are acting in. Evidence files and Board Member References are read only by the NED
appointments team and the chair. Regional and national teams follow completeness by organisation; the regulator
sees it as published figures.
"""

from carelead.accounts.permissions import declare
from carelead.accounts.roles import Role

RECORD_FPP = declare(
    "fitproper.record",
    "Record the fit and proper person checks and self-attestations of board members: HR of the organisation, "
    "or the NED appointments team in its scope",
    {Role.ORG_HR, Role.NED_TEAM},
)
SIGN_OFF_FPP = declare(
    "fitproper.sign_off",
    "Sign off a board member as fit and proper for the chair, where the chair has no account (the chair signs "
    "off in person, whatever their role)",
    {Role.NED_TEAM},
)
SUBMIT_FPP = declare(
    "fitproper.submit",
    "Submit an organisation's year of fit and proper person tests to its region",
    {Role.ORG_HR, Role.NED_TEAM},
)
READ_FPP_RESTRICTED = declare(
    "fitproper.read_restricted",
    "Download fit and proper evidence files and read Board Member References (the chair may too, for their board)",
    {Role.NED_TEAM},
)
VIEW_FPP_DASHBOARD = declare(
    "fitproper.view_dashboard",
    "See fit and proper completeness by organisation across a region (published figures for the regulator)",
    {Role.REGIONAL_TALENT, Role.NED_TEAM, Role.NATIONAL_ADMIN, Role.REGULATOR},
)
VIEW_FPP_DASHBOARD_EXACT = declare(
    "fitproper.view_dashboard_exact",
    "See fit and proper completeness as exact counts rather than published figures",
    {Role.REGIONAL_TALENT, Role.NED_TEAM, Role.NATIONAL_ADMIN},
)
