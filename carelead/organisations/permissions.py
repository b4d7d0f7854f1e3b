"""Who may see and change organisations."""

from carelead.accounts.permissions import declare
from carelead.accounts.roles import Role

# The organisation directory holds no personal data: every role may read it.
VIEW_ORGANISATIONS = declare("organisations.view", "Browse organisations and their headline figures", set(Role.values))
