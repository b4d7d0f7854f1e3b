"""Forms of the NED candidate pool: the public registration, the team's filters, assessment and route records."""

import re

from django import forms

from carelead.core.choices import ETHNIC_CATEGORIES, Disability, Sector, Sex
from carelead.nedpool.models import (
    CandidateReadiness,
    CandidateStatus,
    Enrolment,
    Placement,
    RoleInterest,
    skill_choices,
)
from carelead.nedpool.selectors import ROUTE_CHOICES

PHONE = re.compile(r"^\+?[0-9 ()-]{7,20}$")
TEXT_LIMIT = 2000

SEX_CHOICES = [
    (Sex.FEMALE, "Female"),
    (Sex.MALE, "Male"),
    (Sex.OTHER, "In another way"),
    (Sex.UNKNOWN, "Prefer not to say"),
]
DISABILITY_CHOICES = [(Disability.YES, "Yes"), (Disability.NO, "No"), (Disability.UNKNOWN, "Prefer not to say")]
ETHNIC_CHOICES = [
    ("", "Not answered"),
    *[(code, label) for code, label in ETHNIC_CATEGORIES.items() if code not in ("Z", "99")],
    ("Z", "Prefer not to say"),
]
CONSENT_TEXT = (
    "I agree that the NHS England non-executive director appointments team may keep the details I give here and use "
    "them to consider me for board roles and development opportunities"
)


def _text(label: str, *, required_message: str | None = None, limit: int = TEXT_LIMIT, hint: str = ""):
    return forms.CharField(
        label=label,
        required=required_message is not None,
        max_length=limit,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=hint,
        error_messages={
            "required": required_message or "",
            "max_length": f"{label} must be {limit:,} characters or fewer",
        },
    )


class RegistrationForm(forms.Form):
    name = forms.CharField(
        label="Full name",
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"required": "Enter your full name", "max_length": "Full name must be 200 characters or fewer"},
    )
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        help_text="We will only use this to contact you about board roles and development.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.com",
            "max_length": "Email address must be 254 characters or fewer",
        },
    )
    phone = forms.CharField(
        label="Telephone number (optional)",
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"autocomplete": "tel"}),
        error_messages={"max_length": "Telephone number must be 30 characters or fewer"},
    )
    regions = forms.MultipleChoiceField(
        label="Which regions would you like to serve in?",
        help_text="Select all that apply.",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select at least one region", "invalid_choice": "Select regions from the list"},
    )
    sectors = forms.MultipleChoiceField(
        label="Which kinds of board are you interested in?",
        help_text="Select all that apply.",
        choices=Sector.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Select NHS, adult social care or both",
            "invalid_choice": "Select sectors from the list",
        },
    )
    roles = forms.MultipleChoiceField(
        label="Which roles are you interested in?",
        help_text="Select all that apply.",
        choices=RoleInterest.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select at least one kind of role", "invalid_choice": "Select roles from the list"},
    )
    skills = forms.MultipleChoiceField(
        label="What skills and experience would you bring to a board?",
        help_text="Select all that apply.",
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Select at least one area of skills and experience",
            "invalid_choice": "Select skills from the list",
        },
    )
    statement = _text(
        "Why are you interested in a board role?",
        required_message="Tell us why you are interested in a board role",
        hint="A short statement of up to 2,000 characters.",
    )
    board_experience = _text(
        "Current or previous board experience (optional)",
        hint="For example, boards, committees or governing bodies you have sat on, and your role on them.",
    )
    consent = forms.BooleanField(
        label=CONSENT_TEXT,
        error_messages={"required": "Confirm that you agree to how your details are used and kept"},
    )
    sex = forms.ChoiceField(
        label="What is your sex? (optional)",
        required=False,
        choices=SEX_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Select an answer from the list"},
    )
    ethnic_category = forms.ChoiceField(
        label="What is your ethnic group? (optional)",
        required=False,
        choices=ETHNIC_CHOICES,
        error_messages={"invalid_choice": "Select an answer from the list"},
    )
    disability = forms.ChoiceField(
        label="Do you consider yourself to have a disability? (optional)",
        required=False,
        choices=DISABILITY_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Select an answer from the list"},
    )
    # Left empty by people; automated form fillers complete it. Hidden from view and from screen readers.
    website = forms.CharField(label="Leave this field blank", required=False)

    def __init__(self, *args, regions: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["regions"].choices = regions
        self.fields["skills"].choices = skill_choices()

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError("Enter your full name")
        return name

    def clean_phone(self) -> str:
        phone = self.cleaned_data["phone"].strip()
        if phone and not PHONE.match(phone):
            raise forms.ValidationError("Enter a telephone number, like 01632 960 001 or +44 7700 900 982")
        return phone

    def clean_statement(self) -> str:
        statement = self.cleaned_data["statement"].strip()
        if not statement:
            raise forms.ValidationError("Tell us why you are interested in a board role")
        return statement

    @property
    def is_bot(self) -> bool:
        return bool(self.cleaned_data.get("website"))

    def monitoring(self) -> dict[str, str]:
        return {key: self.cleaned_data.get(key, "") for key in ("sex", "ethnic_category", "disability")}


class CandidateFilterForm(forms.Form):
    q = forms.CharField(label="Name or email address", required=False, max_length=100)
    skill = forms.ChoiceField(label="Skill", required=False)
    validated_only = forms.BooleanField(label="Only skills the team has validated", required=False)
    sector = forms.ChoiceField(label="Sector", required=False, choices=[("", "Any sector"), *Sector.choices])
    region = forms.ChoiceField(label="Region of interest", required=False)
    readiness = forms.ChoiceField(
        label="Readiness",
        required=False,
        choices=[("", "Any readiness"), *CandidateReadiness.choices],
    )
    status = forms.ChoiceField(label="Status", required=False, choices=[("", "Any status"), *CandidateStatus.choices])
    route = forms.ChoiceField(label="Development route", required=False, choices=ROUTE_CHOICES)

    def __init__(self, *args, regions: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["skill"].choices = [("", "Any skill"), *skill_choices()]
        self.fields["region"].choices = [("", "Any region"), *regions]


class AssessmentForm(forms.Form):
    status = forms.ChoiceField(
        label="Status",
        choices=CandidateStatus.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select a status", "invalid_choice": "Select a status from the list"},
    )
    readiness = forms.ChoiceField(
        label="Readiness",
        required=False,
        choices=[("", "Not yet assessed"), *CandidateReadiness.choices],
        error_messages={"invalid_choice": "Select a readiness from the list"},
    )
    validated_skills = forms.MultipleChoiceField(
        label="Skills the team has validated",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="The candidate's own choices are shown above. Validate a skill once you have seen evidence of it.",
        error_messages={"invalid_choice": "Select skills from the list"},
    )
    notes = forms.CharField(
        label="Notes",
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Seen by the NED appointments team and national administrators. Every change is recorded.",
        error_messages={"max_length": "Notes must be 10,000 characters or fewer"},
    )

    def __init__(self, *args, extra_skills: list[str] = (), **kwargs):
        super().__init__(*args, **kwargs)
        choices = skill_choices()
        known = {code for code, _ in choices}
        self.fields["validated_skills"].choices = [*choices, *[(c, c) for c in extra_skills if c not in known]]


def _date(label: str, noun: str, hint: str = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        help_text=hint,
        error_messages={"required": f"Enter the {noun}", "invalid": f"Enter the {noun} as a real date"},
    )


class PlacementForm(forms.Form):
    host_code = forms.CharField(
        label="Host organisation code",
        max_length=12,
        help_text="The code of the organisation whose board hosts the placement, for example RAA",
        error_messages={"required": "Enter the code of the host organisation"},
    )
    starts_on = _date("Start date", "start date")
    ends_on = _date("End date", "end date", hint="A placement lasts from 6 to 12 months.")
    mentor_name = forms.CharField(
        label="Mentor's name",
        max_length=200,
        error_messages={"required": "Enter the mentor's name", "max_length": "Enter 200 characters or fewer"},
    )
    status = forms.ChoiceField(
        label="Status",
        choices=Placement.Status.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select a status", "invalid_choice": "Select a status from the list"},
    )


class EnrolmentForm(forms.Form):
    cohort_name = forms.CharField(
        label="Cohort",
        max_length=120,
        help_text="For example, Spring 2026",
        error_messages={"required": "Enter the cohort's name", "max_length": "Enter 120 characters or fewer"},
    )
    starts_on = _date("Start date", "start date")
    status = forms.ChoiceField(
        label="Status",
        choices=Enrolment.Status.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select a status", "invalid_choice": "Select a status from the list"},
    )


class StatusFilterForm(forms.Form):
    status = forms.ChoiceField(label="Status", required=False)
    cohort = forms.CharField(label="Cohort", required=False, max_length=120)

    def __init__(self, *args, statuses, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", "Any status"), *statuses]


class EraseForm(forms.Form):
    reason = forms.CharField(
        label="Why are you erasing this candidate's details?",
        help_text="For example, the date the candidate asked for their details to be deleted and how they asked.",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": "Enter why the candidate's details are being erased, such as the date of their request"
        },
    )
    confirm = forms.BooleanField(
        label="I understand that the candidate's details cannot be recovered",
        error_messages={"required": "Confirm that you understand the details cannot be recovered"},
    )
