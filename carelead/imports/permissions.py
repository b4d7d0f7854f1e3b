"""Who may import and export data."""

from carelead.accounts.permissions import declare
from carelead.accounts.roles import Role

IMPORT_DATA = declare(
    "imports.run",
    "Upload staff and workforce files for the organisations in the scope",
    {Role.ORG_HR, Role.NATIONAL_ADMIN},
)
IMPORT_ORGANISATIONS = declare(
    "imports.organisations", "Load and change the organisation hierarchy", {Role.NATIONAL_ADMIN}
)
