"""The audit log's permission is declared in accounts.permissions (VIEW_AUDIT) as it spans every app."""

from carelead.accounts.permissions import VIEW_AUDIT

__all__ = ["VIEW_AUDIT"]
