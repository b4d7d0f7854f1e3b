"""Who may see and manage the NED candidate pool.

Anyone may register interest through the public form. The NED appointments team reads and manages the pool: a
national team every candidate, a regional team the candidates who named its region. National admins read the
pool and change nothing. Equality monitoring answers are never shown for one candidate, to anyone; the pool's
composition is shown as published figures.
"""

from carelead.accounts.permissions import declare
from carelead.accounts.roles import Role

VIEW_CANDIDATES = declare(
    "nedpool.view_candidates",
    "See the NED candidate pool, candidates' assessments and their development routes (a region's team: the "
    "candidates who named the region)",
    {Role.NED_TEAM, Role.NATIONAL_ADMIN},
)
MANAGE_CANDIDATES = declare(
    "nedpool.manage_candidates",
    "Assess and tag NED candidates, and record NExT Director placements and aspiring chair programme places",
    {Role.NED_TEAM},
)
