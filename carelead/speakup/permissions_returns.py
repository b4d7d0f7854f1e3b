"""Who may read the quarterly speak-up return and its trends.

The return holds counts, never case content, and no page of it opens a case. Guardians read the return of the
organisations in their scope exactly, as they must send it to the National Guardian's Office. Everyone else who
reads it (and guardians looking at the areas above them) sees published figures: small counts hidden and the rest
rounded (``carelead.core.disclosure``). Which scopes a role reaches is decided in ``carelead.speakup.returns``.
"""

from carelead.accounts.permissions import declare
from carelead.accounts.roles import Role

VIEW_RETURN = declare(
    "speakup.view_return",
    "Read the quarterly speak-up return and its trends for the scope (published figures), and for the areas that "
    "contain it; download them",
    {Role.GUARDIAN, Role.NATIONAL_ADMIN, Role.REGIONAL_TALENT, Role.REGULATOR},
)
VIEW_RETURN_EXACT = declare(
    "speakup.view_return_exact",
    "Read the exact quarterly speak-up return of each organisation in the scope",
    {Role.GUARDIAN},
)
