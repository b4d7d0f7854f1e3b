"""The roles of personas.md and the scope each may be granted at."""

from django.db import models


class Role(models.TextChoices):
    STAFF = "staff", "Staff member"
    LINE_MANAGER = "line_manager", "Line manager"
    ORG_HR = "org_hr", "HR and OD lead"
    ORG_ADMIN = "org_admin", "Organisation administrator"
    REGIONAL_TALENT = "regional_talent", "Regional talent lead"
    NED_TEAM = "ned_team", "NED appointments team"
    PROVIDER = "provider", "Training provider"
    REGULATOR = "regulator", "Regulator"
    GUARDIAN = "guardian", "Freedom to Speak Up guardian"
    NATIONAL_ADMIN = "national_admin", "National administrator"


# Which kinds of scope each role may be granted at: None is the whole country.
ROLE_SCOPES: dict[str, set[str | None]] = {
    Role.STAFF: {"trust", "care_provider", "local_authority", "icb", "region", "national", "other"},
    Role.LINE_MANAGER: {"trust", "care_provider", "local_authority", "icb", "region", "national", "other"},
    Role.ORG_HR: {"trust", "care_provider", "local_authority", "icb", "other"},
    Role.ORG_ADMIN: {"trust", "care_provider", "local_authority", "icb", "other"},
    Role.REGIONAL_TALENT: {"region"},
    Role.NED_TEAM: {None, "region"},
    Role.PROVIDER: {"other", "trust", "care_provider", "local_authority"},
    Role.REGULATOR: {None},
    Role.GUARDIAN: {"trust", "care_provider", "local_authority", "icb", "other"},
    Role.NATIONAL_ADMIN: {None},
}

# Order used to pick the default assignment at sign-in: the most specific working role first.
ROLE_PRECEDENCE = [
    Role.NATIONAL_ADMIN,
    Role.ORG_ADMIN,
    Role.ORG_HR,
    Role.REGIONAL_TALENT,
    Role.NED_TEAM,
    Role.GUARDIAN,
    Role.REGULATOR,
    Role.PROVIDER,
    Role.LINE_MANAGER,
    Role.STAFF,
]
