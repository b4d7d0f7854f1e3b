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

VIEW_NINEBOX = declare(
    "talent.view_ninebox",
    "See the 9-box for one's team (managers), organisation (HR) or region's pools (regional talent)",
    {Role.LINE_MANAGER, Role.ORG_HR, Role.REGIONAL_TALENT, Role.NATIONAL_ADMIN},
)
CALIBRATE_NINEBOX = declare(
    "talent.calibrate_ninebox",
    "Calibrate 9-box placements, keeping the originals",
    {Role.ORG_HR, Role.REGIONAL_TALENT},
)
NOMINATE_TO_POOL = declare(
    "talent.nominate",
    "Nominate people one manages (or in one's organisation, for HR) to a regional talent pool",
    {Role.LINE_MANAGER, Role.ORG_HR},
)
RUN_POOLS = declare(
    "talent.run_pools",
    "Run the region's talent pools: approve, decline, renew and search",
    {Role.REGIONAL_TALENT},
)
VIEW_POOLS = declare(
    "talent.view_pools",
    "Read talent pools and their membership",
    {Role.REGIONAL_TALENT, Role.NATIONAL_ADMIN},
)
