"""Who may read and change standards, the curriculum and gate exceptions."""

from carelead.accounts.permissions import declare
from carelead.accounts.roles import Role

VIEW_STANDARDS = declare("standards.view", "Read the standards frameworks and the curriculum", set(Role.values))
MANAGE_FRAMEWORKS = declare(
    "standards.manage", "Draft and publish frameworks and the curriculum", {Role.NATIONAL_ADMIN}
)
REQUEST_EXCEPTION = declare(
    "standards.request_exception", "Request a progression gate exception for staff in the scope", {Role.ORG_HR}
)
DECIDE_EXCEPTION = declare(
    "standards.decide_exception",
    "Approve or refuse progression gate exceptions in the scope (never one's own request)",
    {Role.REGIONAL_TALENT, Role.NATIONAL_ADMIN},
)
VIEW_EXCEPTIONS = declare(
    "standards.view_exceptions",
    "See how often the progression gate is bypassed, by organisation",
    {Role.ORG_HR, Role.REGIONAL_TALENT, Role.NATIONAL_ADMIN, Role.REGULATOR},
)
CHANGE_LEVEL = declare("people.change_level", "Record a promotion or appointment at a new level", {Role.ORG_HR})
VIEW_INDUCTION = declare(
    "standards.view_induction",
    "See national induction completion in the scope (published figures for roles without record-level rights)",
    {Role.ORG_HR, Role.REGIONAL_TALENT, Role.NATIONAL_ADMIN, Role.REGULATOR},
)
REVIEW_PRIOR_LEARNING = declare(
    "standards.review_prior_learning",
    "Approve or reject recognition of prior learning for staff in the scope (never one's own)",
    {Role.ORG_HR, Role.NATIONAL_ADMIN},
)
VIEW_COMPLIANCE = declare(
    "standards.view_compliance",
    "See which managers in the organisation meet the requirements of their level",
    {Role.ORG_HR},
)
RUN_PROGRAMME = declare(
    "standards.run_programme",
    "Create mid-career cohorts, select applicants with reasons, and record attendance and completion",
    {Role.REGIONAL_TALENT, Role.NATIONAL_ADMIN},
)
