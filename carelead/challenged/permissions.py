"""Who may record organisations' oversight status, propose and approve incentive packages, and see outcomes."""

from carelead.accounts.permissions import declare
from carelead.accounts.roles import Role

VIEW_CHALLENGED = declare(
    "challenged.view",
    "See challenged organisations, their status history, incentive packages and outcomes in the scope",
    {Role.ORG_HR, Role.REGIONAL_TALENT, Role.NATIONAL_ADMIN, Role.REGULATOR},
)
RECORD_STATUS = declare(
    "challenged.record_status",
    "Record an organisation's oversight segment and CQC rating",
    {Role.REGIONAL_TALENT, Role.NATIONAL_ADMIN},
)
PROPOSE_PACKAGE = declare(
    "challenged.propose_package",
    "Propose an incentive package for a leadership vacancy",
    {Role.ORG_HR, Role.REGIONAL_TALENT},
)
APPROVE_PACKAGE = declare(
    "challenged.approve_package",
    "Approve or decline incentive packages in the region",
    {Role.REGIONAL_TALENT},
)
