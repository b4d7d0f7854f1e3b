"""Who may see boards, terms of office and term endings, and who records terms.

Boards of NHS bodies are public, so every role that sees a board sees its members' names (never their
monitoring answers). What a role reaches is its scope: an HR and OD lead their own organisation, a regional
talent lead or regional NED appointments team their region, the national teams and the regulator England
(``selectors.board_members_visible``).
"""

from carelead.accounts.permissions import declare
from carelead.accounts.roles import Role

VIEW_BOARDS = declare(
    "boards.view",
    "See the boards of organisations in the scope: seats, terms of office and total tenure",
    {Role.NED_TEAM, Role.NATIONAL_ADMIN, Role.REGIONAL_TALENT, Role.ORG_HR, Role.REGULATOR},
)
VIEW_TERM_ENDINGS = declare(
    "boards.view_term_endings",
    "See every seat in the scope whose term of office ends soon, and download the list",
    {Role.NED_TEAM, Role.NATIONAL_ADMIN, Role.REGIONAL_TALENT},
)
MANAGE_TERMS = declare(
    "boards.manage_terms",
    "Record terms of office and tenure reviews, and end seats, for boards in the scope",
    {Role.NED_TEAM, Role.ORG_HR},
)
