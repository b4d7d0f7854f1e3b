"""Reference tables for the demo generator: regions, workforce mix, job titles, courses, survey baselines.

Figures are rounded from public NHS workforce statistics and staff survey results so that the demo looks
like England; none of them is a fact about a real organisation.
"""

from datetime import date

# Every generated date is relative to this day, so a rerun with the same seed gives the same data.
AS_OF = date(2026, 3, 31)
# The financial years with equality records (cases, recruitment, CPD, survey, promotions): five, so trend
# charts have a history (WRES3 and WDES3 pool each year with the one before).
PERIODS = tuple(
    (f"{year}-{(year + 1) % 100:02d}", date(year, 4, 1), date(year + 1, 3, 31)) for year in range(2021, 2026)
)
WINDOW_START = PERIODS[0][1]
# Leavers left in the last two of those years (about 8% of NHS staff leave each year).
LEAVERS_FROM = PERIODS[-2][1]
HISTORY_YEARS = 20

NATIONAL = ("X24", "NHS England")
TRAINING_PROVIDER = ("XLC", "CareLead Leadership College")

# NHS England regions: code, name, ICBs, trusts (at national size), share of staff who are BME.
REGIONS = (
    ("Y56", "London", 5, 36, 0.52),
    ("Y58", "South West", 7, 22, 0.16),
    ("Y59", "South East", 6, 30, 0.27),
    ("Y60", "Midlands", 11, 40, 0.33),
    ("Y61", "East of England", 6, 20, 0.30),
    ("Y62", "North West", 3, 32, 0.25),
    ("Y63", "North East and Yorkshire", 4, 30, 0.18),
)

AFC_BANDS = ("1", "2", "3", "4", "5", "6", "7", "8a", "8b", "8c", "8d", "9")
LEVELS = ("staff", "first_line", "middle", "senior", "executive")
STAFF, FIRST_LINE, MIDDLE, SENIOR, EXECUTIVE = range(5)


def level_for_band(band: str) -> int:
    """CareLead's default band-to-level heuristic (domain.md section 2) as an index into LEVELS."""
    if band in ("7",):
        return FIRST_LINE
    if band in ("8a", "8b"):
        return MIDDLE
    if band in ("8c", "8d", "9"):
        return SENIOR
    if band == "VSM":
        return EXECUTIVE
    return STAFF


NMR = "Nursing and Midwifery Registered"
ACS = "Additional Clinical Services"
ADMIN = "Administrative and Clerical"
AHP = "Allied Health Professionals"
ESTATES = "Estates and Ancillary"
HCS = "Healthcare Scientists"
MEDICAL = "Medical and Dental"
APST = "Additional Professional Scientific and Technical"
STUDENTS = "Students"

# Reporting lines follow professions: each stream is led by the executives named in EXECUTIVES.
STREAM_OF_GROUP = {
    NMR: "nursing",
    ACS: "nursing",
    STUDENTS: "nursing",
    MEDICAL: "medical",
    AHP: "clinical_support",
    HCS: "clinical_support",
    APST: "clinical_support",
    ADMIN: "corporate",
    ESTATES: "estates",
}

# Share of each staff group in the workforce of an organisation kind (executives come on top).
GROUP_MIX: dict[str, dict[str, float]] = {
    "acute": {MEDICAL: 12, NMR: 30, ACS: 20, ADMIN: 19, AHP: 7, APST: 5, HCS: 3, ESTATES: 3.5, STUDENTS: 0.5},
    "mental_health": {
        MEDICAL: 5,
        NMR: 28,
        ACS: 24,
        ADMIN: 20,
        AHP: 6,
        APST: 12,
        HCS: 0.5,
        ESTATES: 4,
        STUDENTS: 0.5,
    },
    "community": {
        MEDICAL: 3,
        NMR: 32,
        ACS: 18,
        ADMIN: 22,
        AHP: 18,
        APST: 4,
        HCS: 1,
        ESTATES: 1.5,
        STUDENTS: 0.5,
    },
    "ambulance": {MEDICAL: 0.5, NMR: 3, ACS: 25, ADMIN: 30, AHP: 37, APST: 0.5, ESTATES: 4},
    "specialist": {MEDICAL: 14, NMR: 30, ACS: 14, ADMIN: 20, AHP: 8, APST: 6, HCS: 5, ESTATES: 3},
    "icb": {MEDICAL: 3, NMR: 8, ADMIN: 82, APST: 4, AHP: 2, ESTATES: 1},
}

# Agenda for Change band mix within each staff group.
BAND_MIX: dict[str, dict[str, float]] = {
    NMR: {"5": 44, "6": 31, "7": 17, "8a": 5, "8b": 2, "8c": 0.7, "8d": 0.3},
    ACS: {"2": 22, "3": 52, "4": 21, "5": 4, "6": 1},
    STUDENTS: {"3": 60, "other": 40},
    ADMIN: {
        "2": 9,
        "3": 28,
        "4": 24,
        "5": 13,
        "6": 9,
        "7": 8,
        "8a": 4.5,
        "8b": 2.2,
        "8c": 1.2,
        "8d": 0.7,
        "9": 0.4,
    },
    AHP: {"5": 24, "6": 38, "7": 27, "8a": 7, "8b": 2.5, "8c": 1, "8d": 0.5},
    APST: {"2": 3, "3": 12, "4": 14, "5": 18, "6": 20, "7": 20, "8a": 8, "8b": 3.5, "8c": 1.2, "8d": 0.3},
    HCS: {"2": 4, "3": 12, "4": 10, "5": 18, "6": 25, "7": 22, "8a": 6, "8b": 2, "8c": 1},
    ESTATES: {"1": 2, "2": 52, "3": 24, "4": 9, "5": 6, "6": 3.5, "7": 2, "8a": 1, "8b": 0.5},
}

# Job titles by staff group and band: (titles for people who manage a team, titles for those who do not).
Titles = tuple[tuple[str, ...], tuple[str, ...]]
TITLES: dict[str, dict[str, Titles]] = {
    NMR: {
        "5": ((), ("Staff Nurse", "Registered Nurse", "Midwife", "Community Staff Nurse")),
        "6": (
            (),
            ("Senior Staff Nurse", "Deputy Ward Sister", "Community Nurse", "Midwife", "Practice Educator"),
        ),
        "7": (
            ("Ward Manager", "Ward Sister", "Charge Nurse", "Community Team Leader", "Midwifery Team Leader"),
            ("Clinical Nurse Specialist", "Practice Development Nurse", "Specialist Midwife"),
        ),
        "8a": (("Matron", "Lead Nurse"), ("Advanced Nurse Practitioner", "Advanced Clinical Practitioner")),
        "8b": (("Senior Matron", "Head of Midwifery"), ("Consultant Nurse",)),
        "8c": (("Head of Nursing",), ("Consultant Nurse",)),
        "8d": (("Divisional Director of Nursing", "Deputy Director of Nursing"), ()),
        "9": (("Deputy Chief Nurse",), ()),
    },
    ACS: {
        "2": ((), ("Healthcare Assistant", "Healthcare Support Worker")),
        "3": (
            (),
            (
                "Healthcare Support Worker",
                "Senior Healthcare Assistant",
                "Maternity Support Worker",
                "Phlebotomist",
                "Therapy Assistant",
            ),
        ),
        "4": ((), ("Nursing Associate", "Assistant Practitioner", "Senior Therapy Assistant")),
        "5": ((), ("Trainee Advanced Practitioner", "Senior Assistant Practitioner")),
        "6": ((), ("Lead Assistant Practitioner",)),
    },
    STUDENTS: {
        "3": ((), ("Nursing Associate Apprentice", "Apprentice Healthcare Support Worker")),
        "other": ((), ("Student Nurse", "Student Midwife")),
    },
    ADMIN: {
        "2": ((), ("Receptionist", "Clerical Officer", "Post Room Assistant")),
        "3": ((), ("Ward Clerk", "Administrator", "Medical Records Officer", "Appointments Coordinator")),
        "4": (
            (),
            (
                "Medical Secretary",
                "Team Administrator",
                "Finance Officer",
                "HR Assistant",
                "Patient Pathway Coordinator",
            ),
        ),
        "5": (
            (),
            (
                "Business Support Officer",
                "Information Analyst",
                "Assistant Accountant",
                "Executive Assistant",
                "Project Support Officer",
            ),
        ),
        "6": (
            (),
            (
                "HR Advisor",
                "Senior Information Analyst",
                "Accountant",
                "Procurement Officer",
                "Digital Support Analyst",
            ),
        ),
        "7": (
            ("Service Manager", "Patient Access Manager", "Medical Records Manager", "Office Manager"),
            (
                "Project Manager",
                "Management Accountant",
                "HR Business Partner",
                "Data Scientist",
                "Quality Improvement Lead",
            ),
        ),
        "8a": (
            ("Operational Manager", "Head of Information", "Finance Manager", "Senior HR Business Partner"),
            ("Senior Project Manager", "Senior Data Scientist", "Programme Manager"),
        ),
        "8b": (
            ("General Manager", "Head of Workforce", "Head of Procurement", "Head of Patient Experience"),
            ("Principal Analyst", "Senior Programme Manager"),
        ),
        "8c": (
            ("Associate Director of Operations", "Head of Finance", "Head of Digital Services"),
            ("Associate Director of Transformation",),
        ),
        "8d": (
            ("Deputy Director of Finance", "Deputy Director of People", "Deputy Chief Operating Officer"),
            (),
        ),
        "9": (
            ("Divisional Director of Operations", "Director of Digital Services"),
            ("Director of Corporate Affairs",),
        ),
    },
    AHP: {
        "5": (
            (),
            (
                "Physiotherapist",
                "Occupational Therapist",
                "Diagnostic Radiographer",
                "Dietitian",
                "Speech and Language Therapist",
                "Podiatrist",
            ),
        ),
        "6": (
            (),
            (
                "Specialist Physiotherapist",
                "Specialist Occupational Therapist",
                "Senior Radiographer",
                "Specialist Dietitian",
                "Specialist Speech and Language Therapist",
            ),
        ),
        "7": (
            ("Physiotherapy Team Lead", "Occupational Therapy Team Lead", "Radiography Superintendent"),
            (
                "Advanced Physiotherapist",
                "Advanced Practitioner Radiographer",
                "Highly Specialist Speech and Language Therapist",
            ),
        ),
        "8a": (
            ("Therapy Services Manager", "Radiology Services Manager"),
            ("Consultant Radiographer", "First Contact Practitioner"),
        ),
        "8b": (("Head of Therapies", "Head of Radiology Services"), ("Consultant Therapist",)),
        "8c": (("Associate Director of Allied Health Professions",), ()),
        "8d": (("Deputy Director of Allied Health Professions",), ()),
    },
    APST: {
        "2": ((), ("Pharmacy Assistant",)),
        "3": ((), ("Pharmacy Assistant", "Technical Instructor")),
        "4": ((), ("Pharmacy Technician", "Assistant Psychologist", "Theatre Support Worker")),
        "5": (
            (),
            (
                "Operating Department Practitioner",
                "Senior Pharmacy Technician",
                "Psychological Wellbeing Practitioner",
            ),
        ),
        "6": (
            (),
            ("Pharmacist", "Senior Operating Department Practitioner", "Cognitive Behavioural Therapist"),
        ),
        "7": (
            ("Pharmacy Team Leader", "Theatre Team Leader"),
            ("Specialist Pharmacist", "Clinical Psychologist", "Senior Cognitive Behavioural Therapist"),
        ),
        "8a": (
            ("Lead Pharmacist", "Psychology Service Lead"),
            ("Advanced Specialist Pharmacist", "Principal Clinical Psychologist"),
        ),
        "8b": (
            ("Deputy Chief Pharmacist", "Head of Psychological Therapies"),
            ("Consultant Pharmacist", "Consultant Clinical Psychologist"),
        ),
        "8c": (
            ("Chief Pharmacist", "Head of Psychology", "Head of Theatres"),
            ("Consultant Clinical Psychologist",),
        ),
        "8d": (("Chief Pharmacist", "Associate Director of Clinical Support Services"), ()),
    },
    HCS: {
        "2": ((), ("Medical Laboratory Assistant",)),
        "3": ((), ("Medical Laboratory Assistant", "Healthcare Science Assistant")),
        "4": ((), ("Associate Practitioner (Pathology)", "Cardiac Physiology Assistant")),
        "5": ((), ("Biomedical Scientist", "Healthcare Science Practitioner", "Cardiac Physiologist")),
        "6": ((), ("Specialist Biomedical Scientist", "Clinical Physiologist", "Audiologist")),
        "7": (
            ("Pathology Section Lead", "Laboratory Manager"),
            ("Senior Biomedical Scientist", "Clinical Scientist"),
        ),
        "8a": (("Laboratory Services Manager",), ("Principal Clinical Scientist",)),
        "8b": (("Head of Pathology Services",), ("Consultant Clinical Scientist",)),
        "8c": (("Head of Healthcare Science",), ("Consultant Clinical Scientist",)),
    },
    ESTATES: {
        "1": ((), ("Domestic Assistant",)),
        "2": (
            (),
            ("Porter", "Domestic Assistant", "Catering Assistant", "Housekeeper", "Linen Services Assistant"),
        ),
        "3": ((), ("Security Officer", "Senior Porter", "Cook", "Estates Assistant", "Driver")),
        "4": ((), ("Estates Technician", "Electrician", "Plumber", "Senior Security Officer")),
        "5": ((), ("Facilities Supervisor", "Catering Supervisor", "Estates Craftsperson Supervisor")),
        "6": ((), ("Estates Officer", "Facilities Coordinator")),
        "7": (("Facilities Manager", "Estates Maintenance Manager"), ("Energy and Sustainability Officer",)),
        "8a": (("Head of Facilities", "Head of Estates"), ("Capital Projects Manager",)),
        "8b": (("Associate Director of Estates",), ()),
    },
}

# Titles that differ by kind of organisation: (kind, group, band) -> titles.
TITLE_OVERRIDES: dict[tuple[str, str, str], Titles] = {
    ("mental_health", NMR, "5"): ((), ("Registered Mental Health Nurse", "Staff Nurse")),
    ("mental_health", NMR, "6"): (
        (),
        ("Community Mental Health Nurse", "Senior Staff Nurse", "Crisis Team Nurse"),
    ),
    ("mental_health", NMR, "7"): (
        ("Ward Manager", "Community Team Manager"),
        ("Clinical Nurse Specialist", "Approved Mental Health Professional"),
    ),
    ("mental_health", ACS, "3"): ((), ("Mental Health Support Worker", "Peer Support Worker")),
    ("ambulance", ACS, "3"): ((), ("Emergency Care Assistant", "Patient Transport Care Assistant")),
    ("ambulance", ACS, "4"): ((), ("Ambulance Technician", "Associate Ambulance Practitioner")),
    ("ambulance", ADMIN, "3"): ((), ("Emergency Call Handler", "NHS 111 Health Adviser")),
    ("ambulance", ADMIN, "4"): ((), ("Emergency Medical Dispatcher", "Resource Dispatcher")),
    ("ambulance", ADMIN, "7"): (("Control Room Manager", "Service Manager"), ("Project Manager",)),
    ("ambulance", AHP, "5"): ((), ("Paramedic",)),
    ("ambulance", AHP, "6"): ((), ("Specialist Paramedic", "Senior Paramedic")),
    ("ambulance", AHP, "7"): (("Paramedic Team Leader", "Clinical Team Leader"), ("Advanced Paramedic",)),
    ("ambulance", AHP, "8a"): (
        ("Operations Manager", "Clinical Operations Manager"),
        ("Consultant Paramedic",),
    ),
    ("ambulance", AHP, "8b"): (("Head of Operations",), ("Consultant Paramedic",)),
    ("community", NMR, "5"): ((), ("Community Staff Nurse", "School Nurse", "Staff Nurse")),
    ("community", NMR, "6"): ((), ("District Nurse", "Health Visitor", "Community Nurse")),
}

# Medical and dental grades: title (or a specialty pattern), level (set explicitly), weight.
CONSULTANT_TITLES = {
    "acute": (
        "Consultant Physician",
        "Consultant Surgeon",
        "Consultant Anaesthetist",
        "Consultant Paediatrician",
        "Consultant Radiologist",
        "Consultant in Emergency Medicine",
        "Consultant Obstetrician",
        "Consultant Geriatrician",
        "Consultant Cardiologist",
        "Consultant Histopathologist",
    ),
    "specialist": (
        "Consultant Cardiothoracic Surgeon",
        "Consultant Oncologist",
        "Consultant Neurologist",
        "Consultant Orthopaedic Surgeon",
        "Consultant Paediatrician",
    ),
    "mental_health": (
        "Consultant Psychiatrist",
        "Consultant Forensic Psychiatrist",
        "Consultant Child and Adolescent Psychiatrist",
        "Consultant in Old Age Psychiatry",
    ),
    "community": (
        "Consultant Community Paediatrician",
        "Consultant Geriatrician",
        "Consultant in Palliative Medicine",
    ),
    "ambulance": ("Consultant in Pre-hospital Emergency Medicine",),
    "icb": ("GP Clinical Lead",),
}
# Consultants supervise resident doctors (first line); clinical leads run a specialty's consultants (middle);
# clinical directors run a directorate (senior).
MEDICAL_GRADES = (
    ("consultant", FIRST_LINE, 36),
    ("Clinical Lead", MIDDLE, 4.5),
    ("Clinical Director", SENIOR, 0.8),
    ("Specialty Doctor", STAFF, 8),
    ("Foundation Year 1 Doctor", STAFF, 9),
    ("Foundation Year 2 Doctor", STAFF, 9),
    ("Core Trainee", STAFF, 12),
    ("Specialty Registrar", STAFF, 19),
    ("GP Specialty Trainee", STAFF, 3),
)
MEDICAL_TITLE_OF_RANK = {MIDDLE: "Clinical Lead", SENIOR: "Clinical Director"}
# In a large organisation a stream's executive has deputies at executive level, so no one leads more than 12.
DEPUTY_TITLES = {
    "nursing": "Deputy Chief Nurse",
    "medical": "Deputy Medical Director",
    "clinical_support": "Director of Clinical Support Services",
    "corporate": "Deputy Chief Executive",
    "estates": "Deputy Director of Estates and Facilities",
}

# Executive team: (title, staff group, streams they lead); the first, the chief executive, tops the tree.
EXECUTIVES = {
    "trust": (
        ("Chief Executive", ADMIN, ()),
        ("Chief Nurse", NMR, ("nursing",)),
        ("Medical Director", MEDICAL, ("medical",)),
        ("Chief Finance Officer", ADMIN, ("corporate",)),
        ("Chief Operating Officer", ADMIN, ("clinical_support",)),
        ("Chief People Officer", ADMIN, ("corporate",)),
        ("Director of Strategy", ADMIN, ("corporate",)),
        ("Director of Estates and Facilities", ESTATES, ("estates",)),
    ),
    "icb": (
        ("Chief Executive", ADMIN, ()),
        ("Chief Nursing Officer", NMR, ("nursing",)),
        ("Chief Medical Officer", MEDICAL, ("medical",)),
        ("Chief Finance Officer", ADMIN, ("corporate",)),
        ("Chief People Officer", ADMIN, ("corporate",)),
        ("Director of Strategy and Partnerships", ADMIN, ("corporate", "clinical_support")),
        ("Director of Performance and Delivery", ADMIN, ("corporate", "estates")),
    ),
}
# Board seats held by executives: title -> (board role, voting, chance the seat is on the board).
BOARD_EXECUTIVE_SEATS = {
    "Chief Executive": ("executive", True, 1.0),
    "Chief Finance Officer": ("executive", True, 1.0),
    "Medical Director": ("executive", True, 1.0),
    "Chief Medical Officer": ("executive", True, 1.0),
    "Chief Nurse": ("executive", True, 1.0),
    "Chief Nursing Officer": ("executive", True, 1.0),
    "Chief Operating Officer": ("executive", True, 1.0),
    "Chief People Officer": ("executive", True, 0.5),
    "Director of Strategy": ("executive", False, 0.5),
    "Director of Strategy and Partnerships": ("executive", False, 0.6),
    "Director of Performance and Delivery": ("executive", True, 0.4),
}

# Adult social care: (title, staff group, level, share of the workforce below the managers).
CARE_ROLES = (
    ("Care Worker", ACS, STAFF, 52),
    ("Senior Care Worker", ACS, STAFF, 15),
    ("Support Worker", ACS, STAFF, 8),
    ("Activities Coordinator", ACS, STAFF, 2),
    ("Cook", ESTATES, STAFF, 3),
    ("Kitchen Assistant", ESTATES, STAFF, 2),
    ("Domestic Assistant", ESTATES, STAFF, 4),
    ("Maintenance Person", ESTATES, STAFF, 1),
    ("Administrator", ADMIN, STAFF, 2),
)
CARE_NURSE_ROLES = (("Registered Nurse", NMR, STAFF, 12),)
CARE_SERVICE_KINDS = (
    # (name pattern, weight, employs nurses)
    ("{word} {noun} Care Home", 35, False),
    ("{word} {noun} Nursing Home", 20, True),
    ("{word} {noun} Residential Home", 10, False),
    ("{place} Home Care Services", 25, False),
    ("{word} Supported Living", 10, False),
)

# Statutory and mandatory training (validity in years) and non-mandatory courses (CPD, for WRES4).
MANDATORY_COURSES = (
    ("MAND-01", 1),
    ("MAND-02", 1),
    ("MAND-03", 1),
    ("MAND-04", 3),
    ("MAND-05", 3),
    ("MAND-06", 2),
    ("MAND-07", 1),
    ("MAND-08", 3),
    ("MAND-09", 3),
    ("MAND-10", 3),
    ("MAND-11", 3),
    ("MAND-12", 3),
)
MANDATORY_TITLES = {
    "MAND-01": "Fire safety",
    "MAND-02": "Infection prevention and control",
    "MAND-03": "Data security awareness",
    "MAND-04": "Safeguarding adults",
    "MAND-05": "Safeguarding children",
    "MAND-06": "Moving and handling",
    "MAND-07": "Resuscitation (basic life support)",
    "MAND-08": "Equality, diversity and human rights",
    "MAND-09": "Health, safety and welfare",
    "MAND-10": "Conflict resolution",
    "MAND-11": "Preventing radicalisation",
    "MAND-12": "Learning disability and autism awareness",
}
CPD_COURSES = (
    "CPD-01",
    "CPD-02",
    "CPD-03",
    "CPD-04",
    "CPD-05",
    "CPD-06",
    "CPD-07",
    "CPD-08",
    "CPD-09",
    "CPD-10",
    "CPD-11",
    "CPD-12",
)
CPD_TITLES = {
    "CPD-01": "Coaching skills",
    "CPD-02": "Quality improvement foundations",
    "CPD-03": "Leadership fundamentals",
    "CPD-04": "Leading teams",
    "CPD-05": "Project management",
    "CPD-06": "Clinical supervision",
    "CPD-07": "Mentoring",
    "CPD-08": "Working with data",
    "CPD-09": "Resilience and wellbeing",
    "CPD-10": "Compassionate conversations",
    "CPD-11": "Advanced communication skills",
    "CPD-12": "Finance for non-finance managers",
}
# Leadership courses the demo training provider delivers, so its completions carry its provider code.
PROVIDER_COURSES = frozenset({"CPD-01", "CPD-03", "CPD-04", "CPD-07", "CPD-10"})

# National staff survey baselines, per measure: {group: percent}. WDES9a is the engagement score out of 10.
SURVEY_BASELINES: dict[str, dict[str, float]] = {
    "WRES5": {"white": 26.5, "bme": 28.5},
    "WRES6": {"white": 21.5, "bme": 25.5},
    "WRES7": {"white": 58.5, "bme": 45.0},
    "WRES8": {"white": 6.5, "bme": 16.0},
    "WDES4a": {"disabled": 32.5, "non_disabled": 24.5},
    "WDES4b": {"disabled": 15.0, "non_disabled": 9.0},
    "WDES4c": {"disabled": 23.5, "non_disabled": 15.5},
    "WDES4d": {"disabled": 50.0, "non_disabled": 47.5},
    "WDES5": {"disabled": 51.0, "non_disabled": 57.5},
    "WDES6": {"disabled": 27.5, "non_disabled": 18.5},
    "WDES7": {"disabled": 37.0, "non_disabled": 48.5},
    "WDES8": {"disabled": 73.0},
    "WDES9a": {"disabled": 6.5, "non_disabled": 7.0},
}
# Measures where a higher figure is better, so a challenged organisation scores lower.
SURVEY_HIGHER_IS_BETTER = frozenset({"WRES7", "WDES4d", "WDES5", "WDES7", "WDES8", "WDES9a"})

# Ethnic category mixes (NHS Data Dictionary national codes) within White and BME staff.
WHITE_MIX = {"A": 84, "B": 3, "C": 13}
BME_MIX = {
    "D": 4,
    "E": 4,
    "F": 3,
    "G": 4,
    "H": 20,
    "J": 5,
    "K": 2,
    "L": 16,
    "M": 5,
    "N": 20,
    "P": 2,
    "R": 2,
    "S": 8,
}
UNKNOWN_MIX = {"Z": 55, "99": 25, "": 20}
# Local two-character codes some organisations use beneath the national letter.
LOCAL_CODES = {"C": ("CA", "CP", "CY", "C3"), "L": ("LE", "LH", "LK"), "N": ("NA", "NG"), "S": ("SC", "SE")}
# How likely a BME person is to hold a role at each level, against the organisation's average (WRES1 shape).
BME_LEVEL_FACTOR = (1.0, 0.85, 0.72, 0.55, 0.4)
MEDICAL_BME_FACTOR = 1.6
FEMALE_SHARE = {
    NMR: 0.89,
    ACS: 0.82,
    STUDENTS: 0.85,
    ADMIN: 0.8,
    AHP: 0.79,
    APST: 0.7,
    HCS: 0.6,
    ESTATES: 0.45,
    MEDICAL: 0.5,
}

# Differences between groups. Each organisation has a disparity factor that scales every typical gap below:
# 0 at parity, about 1 for most, about 2 where disparities are marked (the plan draws it; see plan.py).
# Gaps are shares by which the disadvantaged group's chance falls short (or, for cases, exceeds) at factor 1.
BME_SHORTLIST_GAP = 0.2  # BME applicants shortlisted 20% less often
BME_APPOINT_GAP = 0.5  # shortlisted White applicants appointed about 1.5 times as often as BME ones
DISABLED_APPOINT_GAP = 0.08
BME_DISCIPLINARY_GAP = 0.25  # BME staff enter the formal disciplinary process 1.25 times as often
DISABLED_CAPABILITY_GAP = 0.9  # Disabled staff enter the performance capability process 1.9 times as often
BME_CPD_GAP = 0.12
DISABLED_CPD_GAP = 0.05
BME_PROMOTION_GAP = 0.15
DISABLED_PROMOTION_GAP = 0.1
# Staff over 55 are promoted a little less often, whatever the organisation.
OLDER_AGE = 55
OLDER_PROMOTION_FACTOR = 0.7
# Yearly chance of moving into one's current role from the one below, by level (staff: a regrading).
PROMOTION_RATE = (0.045, 0.08, 0.07, 0.06)

# Age on the last day worked: (first age, last age) bands and their weights by kind of role, shaped like the
# NHS and adult social care workforce (few under 25 or over 60; managers older).
AGE_BANDS = ((18, 24), (25, 34), (35, 44), (45, 54), (55, 59), (60, 64), (65, 67))
AGE_MIX = {
    "staff": (8, 26, 25, 22, 10, 7, 2),
    "first_line": (1, 20, 30, 29, 11, 7, 2),
    "middle": (0.3, 12, 32, 34, 12, 8, 1.7),
    "senior": (0.1, 6, 30, 40, 14, 8, 1.9),
    "executive": (0, 2, 22, 46, 18, 10, 2),
    "care": (10, 21, 22, 22, 12, 9, 4),
    "resident_doctor": (3, 75, 18, 4, 0, 0, 0),
    "student": (40, 32, 16, 9, 2, 1, 0),
}
DATE_OF_BIRTH_UNKNOWN = 0.02
# Gate exceptions decided in earlier years: approved for BME and Disabled staff a little less often.
BME_EXCEPTION_GAP = 0.15
DISABLED_EXCEPTION_GAP = 0.1
# Mid-career programme selection: how much lower a BME or Disabled applicant's score can be in a cohort.
BME_SELECTION_PENALTY = (0.02, 0.12)
DISABLED_SELECTION_PENALTY = (0.0, 0.1)
