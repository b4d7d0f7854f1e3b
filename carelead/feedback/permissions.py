"""Who may do what with 360 feedback (personas.md).

Nobody's role reaches an individual answer: the person reads their own combined report, their line manager
approves the rater list and reads the combined scores, and HR and national administrators see how many were
asked and, once a group is large enough to be shown, how many answered. Which requests a user reaches is
decided by ``selectors.feedback_request_get``, from who the request is about and who approves it.
"""

from carelead.accounts.permissions import declare
from carelead.accounts.roles import Role

ASK_FEEDBACK = declare(
    "feedback.own",
    "Ask for 360 feedback about oneself, choose the raters and read one's own combined report",
    set(Role.values),
)
APPROVE_RATERS = declare(
    "feedback.approve",
    "Approve or send back the rater lists of the people one line manages, and read their combined scores",
    {Role.LINE_MANAGER},
)
VIEW_RESPONSE_RATES = declare(
    "feedback.response_rates",
    "See how many raters were asked and answered for 360 requests in the scope, group by group, never who",
    {Role.ORG_HR, Role.NATIONAL_ADMIN},
)
SET_RULES = declare(
    "feedback.set_rules",
    "Set the organisation's fewest and most 360 raters per group (groups under three are never shown)",
    {Role.ORG_HR},
)
