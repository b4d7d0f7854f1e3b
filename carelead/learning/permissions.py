"""Who may post and read completions reported by training providers."""

from carelead.accounts.permissions import declare
from carelead.accounts.roles import Role

POST_COMPLETIONS = declare(
    "learning.post_completions", "Report completions of one's own accredited modules", {Role.PROVIDER}
)
