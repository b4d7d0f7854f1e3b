"""Who may read and change standards, the curriculum and gate exceptions."""

from carelead.accounts.permissions import declare
from carelead.accounts.roles import Role

VIEW_STANDARDS = declare("standards.view", "Read the standards frameworks and the curriculum", set(Role.values))
MANAGE_FRAMEWORKS = declare(
    "standards.manage", "Draft and publish frameworks and the curriculum", {Role.NATIONAL_ADMIN}
)
