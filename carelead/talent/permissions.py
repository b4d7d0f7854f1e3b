"""Who may hold and read talent conversations.

A talent conversation belongs to the person it is about: they start it, see everything recorded and comment on
it. Their line managers (direct and indirect) may hold one with them and read it.
"""

from carelead.accounts.permissions import declare
from carelead.accounts.roles import Role

HOLD_CONVERSATIONS = declare(
    "talent.hold_conversations",
    "Hold talent conversations with the people one manages and read theirs",
    {Role.LINE_MANAGER},
)
