"""Permissions of this app."""

from carelead.accounts.permissions import declare  # noqa: F401
from carelead.accounts.roles import Role  # noqa: F401
