"""Who may see staff records and special-category data (personas.md)."""

from carelead.accounts.permissions import declare
from carelead.accounts.roles import Role

VIEW_STAFF = declare(
    "people.view_staff",
    "Search and read staff records in the scope",
    {Role.ORG_HR, Role.ORG_ADMIN, Role.REGIONAL_TALENT, Role.NATIONAL_ADMIN},
)
VIEW_SPECIAL_CATEGORY = declare(
    "people.view_special_category",
    "Read staff equality monitoring (special-category) data in the scope; every read is audited",
    {Role.ORG_HR, Role.NATIONAL_ADMIN},
)
VIEW_TEAM = declare("people.view_team", "See the people one manages, directly and down the tree", {Role.LINE_MANAGER})
VIEW_OWN_RECORD = declare("people.view_own", "See and correct one's own record", set(Role.values))
