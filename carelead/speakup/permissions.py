"""Who may see and do what with speak-up cases.

Anyone may raise a concern and follow it with a receipt code and secret, signed in or not; those pages ask for no
permission and never look at who is signed in. Case content is open to one role only: the Freedom to Speak Up
guardians of the organisation a case was raised with (or of an organisation above it). No other role reaches it,
however wide its scope: not HR, not administrators, not the regulator.
"""

from carelead.accounts.permissions import declare
from carelead.accounts.roles import Role

HANDLE = declare(
    "speakup.handle",
    "Triage and handle the speak-up cases of the organisations in the scope: read them, reply to reporters, keep "
    "notes, escalate, record feedback and detriment, close, and reveal a confidential reporter's identity",
    {Role.GUARDIAN},
)
