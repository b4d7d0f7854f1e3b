"""Code lists of the contract and domain (../shared/spec): one place, used by models, imports and forms."""

from django.db import models


class Level(models.TextChoices):
    STAFF = "staff", "Staff"
    FIRST_LINE = "first_line", "First-line manager"
    MIDDLE = "middle", "Middle manager"
    SENIOR = "senior", "Senior manager"
    EXECUTIVE = "executive", "Executive"


LEVEL_ORDER = [c.value for c in Level]


class PayBand(models.TextChoices):
    B1 = "1", "Band 1"
    B2 = "2", "Band 2"
    B3 = "3", "Band 3"
    B4 = "4", "Band 4"
    B5 = "5", "Band 5"
    B6 = "6", "Band 6"
    B7 = "7", "Band 7"
    B8A = "8a", "Band 8a"
    B8B = "8b", "Band 8b"
    B8C = "8c", "Band 8c"
    B8D = "8d", "Band 8d"
    B9 = "9", "Band 9"
    VSM = "VSM", "Very senior manager"
    MEDICAL = "medical", "Medical and dental"
    OTHER = "other", "Other"


class Sex(models.TextChoices):
    FEMALE = "F", "Female"
    MALE = "M", "Male"
    OTHER = "X", "Other"
    UNKNOWN = "U", "Not known or prefer not to say"


class Disability(models.TextChoices):
    YES = "Y", "Disabled"
    NO = "N", "Not disabled"
    UNKNOWN = "U", "Not known or prefer not to say"


# NHS Data Dictionary ETHNIC CATEGORY (2001 census basis); the first character is the national code.
ETHNIC_CATEGORIES = {
    "A": "White - British",
    "B": "White - Irish",
    "C": "White - Any other White background",
    "D": "Mixed - White and Black Caribbean",
    "E": "Mixed - White and Black African",
    "F": "Mixed - White and Asian",
    "G": "Mixed - Any other mixed background",
    "H": "Asian or Asian British - Indian",
    "J": "Asian or Asian British - Pakistani",
    "K": "Asian or Asian British - Bangladeshi",
    "L": "Asian or Asian British - Any other Asian background",
    "M": "Black or Black British - Caribbean",
    "N": "Black or Black British - African",
    "P": "Black or Black British - Any other Black background",
    "R": "Other Ethnic Groups - Chinese",
    "S": "Other Ethnic Groups - Any other ethnic group",
    "Z": "Not stated",
    "99": "Not known",
}
WHITE_CODES = frozenset("ABC")
BME_CODES = frozenset("DEFGHJKLMNPRS")


def ethnic_group(code: str) -> str:
    """The WRES group of a raw ethnic category code: white, bme or unknown."""
    first = (code or "")[:1]
    if code and code != "99" and first in WHITE_CODES:
        return "white"
    if code and code != "99" and first in BME_CODES:
        return "bme"
    return "unknown"


def ethnic_category_label(code: str) -> str:
    """A readable label for a raw code, including local two-character codes."""
    if not code:
        return "Not known"
    if code in ETHNIC_CATEGORIES:
        return ETHNIC_CATEGORIES[code]
    return f"{ETHNIC_CATEGORIES.get(code[0], 'Unknown')} (local code {code})"


def is_valid_ethnic_category(code: str) -> bool:
    """A national letter, a letter plus one local character, 99, or blank."""
    if code in ("", "99"):
        return True
    if len(code) not in (1, 2) or code[0] not in ETHNIC_CATEGORIES:
        return False
    return len(code) == 1 or code[1].isalnum()


class OrganisationType(models.TextChoices):
    NATIONAL = "national", "National body"
    REGION = "region", "Region"
    ICB = "icb", "Integrated care board"
    TRUST = "trust", "NHS trust"
    CARE_PROVIDER = "care_provider", "Care provider"
    LOCAL_AUTHORITY = "local_authority", "Local authority"
    OTHER = "other", "Other organisation"


class Sector(models.TextChoices):
    NHS = "nhs", "NHS"
    SOCIAL_CARE = "social_care", "Adult social care"


class CqcRating(models.TextChoices):
    OUTSTANDING = "outstanding", "Outstanding"
    GOOD = "good", "Good"
    REQUIRES_IMPROVEMENT = "requires_improvement", "Requires improvement"
    INADEQUATE = "inadequate", "Inadequate"


class BoardRole(models.TextChoices):
    CHAIR = "chair", "Chair"
    NON_EXECUTIVE = "non_executive", "Non-executive director"
    EXECUTIVE = "executive", "Executive director"
    ASSOCIATE = "associate", "Associate (non-voting)"


class CapabilityReason(models.TextChoices):
    PERFORMANCE = "performance", "Performance"
    ILL_HEALTH = "ill_health", "Ill health"


class SurveyGroup(models.TextChoices):
    WHITE = "white", "White"
    BME = "bme", "BME"
    DISABLED = "disabled", "Disabled"
    NON_DISABLED = "non_disabled", "Non-disabled"


# ESR staff groups counted as clinical by WRES1 and WDES1 (domain.md section 9).
CLINICAL_STAFF_GROUPS = frozenset(
    {
        "Medical and Dental",
        "Nursing and Midwifery Registered",
        "Allied Health Professionals",
        "Healthcare Scientists",
        "Additional Professional Scientific and Technical",
        "Additional Clinical Services",
    }
)
STAFF_GROUPS = [
    "Additional Professional Scientific and Technical",
    "Additional Clinical Services",
    "Administrative and Clerical",
    "Allied Health Professionals",
    "Estates and Ancillary",
    "Healthcare Scientists",
    "Medical and Dental",
    "Nursing and Midwifery Registered",
    "Students",
]


class AppraisalRating(models.TextChoices):
    """The national four-point overall rating (domain.md section 4); also used for objectives and behaviours."""

    EXCEPTIONAL = "exceptional", "Exceptional"
    GOOD = "good", "Good"
    DEVELOPMENT_NEEDED = "development_needed", "Development needed"
    UNSATISFACTORY = "unsatisfactory", "Unsatisfactory"


# Ratings that count as a favourable appraisal outcome for the fairness monitors.
FAVOURABLE_RATINGS = (AppraisalRating.EXCEPTIONAL, AppraisalRating.GOOD)
