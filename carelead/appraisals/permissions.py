"""Who may take part in, run and follow appraisals.

Everyone with a staff record does their own appraisal; line managers appraise the people whose appraisals name
them; HR runs the organisation's cycle and calibration; national admins publish the template. Completion
figures (counts, never content) are for HR, regional teams, national admins and the regulator.
"""

from carelead.accounts.permissions import declare
from carelead.accounts.roles import Role

APPRAISE = declare(
    "appraisals.appraise", "Appraise the people whose appraisals name you as appraiser", {Role.LINE_MANAGER}
)
RUN_CYCLE = declare(
    "appraisals.run_cycle",
    "Open and close the organisation's appraisal cycle, reassign appraisers, see overdue appraisals, calibrate",
    {Role.ORG_HR},
)
PUBLISH_TEMPLATE = declare(
    "appraisals.publish_template", "Publish the national appraisal template", {Role.NATIONAL_ADMIN}
)
VIEW_COMPLETION = declare(
    "appraisals.view_completion",
    "See appraisal completion by organisation, ICB and region (counts only)",
    {Role.ORG_HR, Role.REGIONAL_TALENT, Role.NATIONAL_ADMIN, Role.REGULATOR},
)
