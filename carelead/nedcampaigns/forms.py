"""Forms of NED campaigns: the list filters, the role profile, the pool search for the longlist, decisions at each
step, the appointment and ending a campaign."""

from django import forms

from carelead.core.choices import Sector
from carelead.nedcampaigns.models import MAX_SEATS, Authority, Campaign, CampaignDecision, CampaignRole, authorities_for
from carelead.nedpool.models import RoleInterest, skill_choices

DATE_HINT = "For example, 2027-03-31"
TEXT_LIMIT = 4000


def _date_field(label: str, help_text: str = DATE_HINT) -> forms.DateField:
    return forms.DateField(
        label=label,
        help_text=help_text,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": f"Enter the {label.lower()}", "invalid": f"Enter the {label.lower()} as a date"},
    )


def _reason(label: str, hint: str, required: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=hint,
        error_messages={"required": required, "max_length": f"{label} must be {TEXT_LIMIT:,} characters or fewer"},
    )


class CampaignFilterForm(forms.Form):
    status = forms.ChoiceField(label="Status", required=False, choices=[("", "Any status"), *Campaign.Status.choices])
    region = forms.ChoiceField(label="Region", required=False)
    organisation = forms.CharField(
        label="Organisation code", required=False, max_length=12, help_text="For example, RX1"
    )

    def __init__(self, *args, regions: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", "All regions"), *regions]


class OrganisationChoiceForm(forms.Form):
    org = forms.CharField(
        label="Organisation code",
        max_length=12,
        help_text="The ODS code of the organisation whose board has the vacancy, for example RX1",
        error_messages={"required": "Enter the organisation code"},
    )


class CampaignForm(forms.Form):
    """The role profile of a campaign."""

    title = forms.CharField(
        label="Title",
        max_length=200,
        error_messages={
            "required": "Enter a title for the campaign",
            "max_length": "The title must be 200 characters or fewer",
        },
    )
    role = forms.ChoiceField(
        label="Role sought",
        choices=CampaignRole.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the role the campaign fills"},
    )
    seats = forms.IntegerField(
        label="Seats to fill",
        min_value=1,
        max_value=MAX_SEATS,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "required": "Enter how many seats the campaign fills",
            "invalid": "Enter the number of seats as a whole number",
            "min_value": f"Enter how many seats the campaign fills, from 1 to {MAX_SEATS}",
            "max_value": f"Enter how many seats the campaign fills, from 1 to {MAX_SEATS}",
        },
    )
    closing_date = _date_field("Closing date", "The last day candidates can be added to the longlist. " + DATE_HINT)
    authority = forms.ChoiceField(label="Appointing authority", required=False)
    skills = forms.MultipleChoiceField(
        label="Skills and experience sought",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Pre-selected from the skills the board is short of. Candidates holding them rank first.",
        error_messages={"invalid_choice": "Select skills from the list"},
    )
    domains = forms.MultipleChoiceField(
        label="Board competency domains the role emphasises",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Select domains from the list"},
    )
    person_specification = forms.CharField(
        label="Person specification (optional)",
        required=False,
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="What the board needs of the new member beyond the skills listed: experience, values, "
        "connections with the communities served, time commitment.",
        error_messages={"max_length": f"The person specification must be {TEXT_LIMIT:,} characters or fewer"},
    )

    def __init__(self, *args, organisation, domains, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = list(
            dict.fromkeys(
                a
                for role in CampaignRole.values
                for a in authorities_for(organisation_type=organisation.type, role=role)
            )
        )
        self.fields["authority"].choices = [
            ("", "The usual appointing authority for the role"),
            *[(a, Authority(a).label) for a in allowed],
        ]
        self.fields["skills"].choices = skill_choices()
        self.fields["domains"].choices = [(str(d.pk), d.title) for d in domains]
        self.domain_rows = {str(d.pk): d for d in domains}

    def chosen_domains(self) -> list:
        return [self.domain_rows[pk] for pk in self.cleaned_data.get("domains", []) if pk in self.domain_rows]


class LonglistSearchForm(forms.Form):
    region = forms.ChoiceField(label="Region the candidate would serve in", required=False)
    sector = forms.ChoiceField(label="Kind of board", required=False, choices=[("", "Any"), *Sector.choices])
    role = forms.ChoiceField(
        label="Interested in the role", required=False, choices=[("", "Any role"), *RoleInterest.choices]
    )
    skill = forms.ChoiceField(label="Holds the skill", required=False)
    hide_longlisted = forms.BooleanField(label="Hide candidates already on the longlist", required=False)

    def __init__(self, *args, regions: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", "Any region"), *regions]
        self.fields["skill"].choices = [("", "Any skill"), *skill_choices()]


class LonglistAddForm(forms.Form):
    candidates = forms.MultipleChoiceField(
        label="Candidates to add",
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Select at least one candidate to add to the longlist",
            "invalid_choice": "Select candidates from the list",
        },
    )
    reason = _reason(
        "Why these candidates are longlisted",
        "For example, how they match the role profile. How each matched the skills sought is added for you.",
        "Give the reason for longlisting",
    )

    def __init__(self, *args, choices: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["candidates"].choices = choices


OUTCOME_LABELS = {
    "shortlist": [
        (CampaignDecision.Outcome.PROGRESSED, "Shortlist for interview"),
        (CampaignDecision.Outcome.NOT_PROGRESSED, "Do not shortlist"),
    ],
    "interview": [
        (CampaignDecision.Outcome.PROGRESSED, "Appointable: recommend for appointment"),
        (CampaignDecision.Outcome.NOT_PROGRESSED, "Not appointable"),
    ],
    "appointment": [(CampaignDecision.Outcome.NOT_PROGRESSED, "Not appointed")],
}


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label="Decision", widget=forms.RadioSelect, error_messages={"required": "Select the decision"}
    )
    reason = _reason(
        "Reason for the decision",
        "Tie the reason to the role profile and the evidence, such as the interview panel's scores. The reason is "
        "kept with the decision and cannot be changed later.",
        "Give the reason for the decision",
    )

    def __init__(self, *args, step: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["outcome"].choices = OUTCOME_LABELS[step]


class AppointmentForm(forms.Form):
    authority = forms.ChoiceField(
        label="Appointing authority",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select the appointing authority",
            "invalid_choice": "Select the appointing authority for this seat from the list",
        },
    )
    approver_name = forms.CharField(
        label="Approved by",
        max_length=200,
        help_text="The name of the person who approved the appointment for the authority",
        error_messages={
            "required": "Enter the name of the person who approved the appointment for the authority",
            "max_length": "The approver's name must be 200 characters or fewer",
        },
    )
    approved_on = _date_field("Date of approval")
    starts_on = _date_field("Date the seat starts", "The first day of the new member's first term. " + DATE_HINT)
    reason = _reason(
        "Reason for the appointment",
        "For example, the panel's recommendation and how the candidate meets the role profile.",
        "Give the reason for the appointment",
    )
    barring_different_person = forms.BooleanField(
        label="I have confirmed that the barring list entry with this name is a different person",
        required=False,
    )
    barring_reason = forms.CharField(
        label="How you confirmed it is a different person",
        required=False,
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example, the date of birth and address checked against the entry, and by whom.",
        error_messages={"max_length": f"This must be {TEXT_LIMIT:,} characters or fewer"},
    )

    def __init__(self, *args, authorities: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["authority"].choices = [(a, Authority(a).label) for a in authorities]


class CampaignEndForm(forms.Form):
    outcome = forms.ChoiceField(
        label="How the campaign ends",
        widget=forms.RadioSelect,
        choices=[
            (Campaign.Status.CLOSED, "Close it: candidates still in the running are recorded as not taken forward"),
            (Campaign.Status.WITHDRAWN, "Withdraw it: the vacancy no longer needs filling, and nobody is judged"),
        ],
        error_messages={"required": "Select whether the campaign is closed or withdrawn"},
    )
    reason = _reason("Reason", "This is recorded with the campaign and in the audit log.", "Give the reason")
