"""Forms for succession plans, their candidates, and for finding plans and comparing organisations."""

from django import forms

from carelead.core.choices import Level
from carelead.succession.selectors import SORTS, Risk
from carelead.talent.models import Readiness

DATE_HINT = "For example, 2027-03-31"


class OrganisationForm(forms.Form):
    organisation = forms.CharField(
        label="Organisation code",
        max_length=12,
        help_text="The national (ODS) code of an organisation you cover, for example RX1",
        error_messages={"required": "Enter the organisation's code"},
    )


class PlanForm(forms.Form):
    role_title = forms.CharField(
        label="Role title",
        max_length=200,
        help_text="For example, Chief Nurse or Director of Operations",
        error_messages={"required": "Enter the role title"},
    )
    level = forms.ChoiceField(
        label="Level of the role",
        choices=[("", "Choose a level"), *Level.choices],
        error_messages={"required": "Choose the level of the role", "invalid_choice": "Choose a level from the list"},
    )
    incumbent = forms.CharField(
        label="Staff ID of the person in the role (optional)",
        max_length=32,
        required=False,
        help_text="Leave empty if the role is vacant",
    )
    critical = forms.BooleanField(
        label="This is a critical role",
        required=False,
        help_text="Critical roles count towards the ready-now coverage of the organisation",
    )
    review_due = forms.DateField(
        label="Review date",
        help_text=f"When the plan is next reviewed. {DATE_HINT}",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": "Enter the review date", "invalid": "Enter the review date as a date"},
    )
    notes = forms.CharField(label="Notes (optional)", required=False, max_length=4000, widget=forms.Textarea)


class NewPlanForm(OrganisationForm, PlanForm):
    field_order = ["organisation", "role_title", "level", "incumbent", "critical", "review_due", "notes"]


class CandidateSearchForm(forms.Form):
    q = forms.CharField(
        label="Name or staff ID", max_length=100, required=False, help_text="Leave empty to list everyone you can add"
    )


class CandidateFieldsForm(forms.Form):
    readiness = forms.ChoiceField(
        label="How ready is the candidate?",
        choices=Readiness.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how ready the candidate is"},
    )
    rank = forms.IntegerField(
        label="Rank",
        min_value=1,
        max_value=999,
        help_text="1 is the first choice of successor. Those at this rank and below move down one",
        error_messages={
            "required": "Enter the rank",
            "invalid": "Enter the rank as a whole number",
            "min_value": "Rank must be 1 or more",
            "max_value": "Rank must be 999 or less",
        },
    )
    emergency = forms.BooleanField(
        label="Emergency successor",
        required=False,
        help_text="Could step in at once if the role fell vacant. A plan has one emergency successor",
    )
    notes = forms.CharField(label="Notes (optional)", required=False, max_length=4000, widget=forms.Textarea)


class CandidateAddForm(CandidateFieldsForm):
    staff_id = forms.CharField(widget=forms.HiddenInput, max_length=32)
    source = forms.CharField(widget=forms.HiddenInput, max_length=10)

    def __init__(self, *args, last_rank: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rank"].required = False
        self.fields["rank"].help_text = (
            f"1 is the first choice of successor. Leave empty to add them last (rank {last_rank}); "
            "those at the rank you give and below move down one"
        )


class CandidateChangeForm(CandidateFieldsForm):
    pass


class RemoveForm(forms.Form):
    reason = forms.CharField(
        label="Why is the candidate being removed?",
        max_length=2000,
        widget=forms.Textarea,
        help_text="For example, they have moved to another role. The reason is kept in the audit log",
        error_messages={"required": "Say why the candidate is being removed"},
    )


class PlanFilterForm(forms.Form):
    q = forms.CharField(label="Role or organisation", max_length=100, required=False)
    organisation = forms.CharField(label="Organisation code", max_length=12, required=False)
    level = forms.ChoiceField(label="Level", choices=[("", "Any level"), *Level.choices], required=False)
    risk = forms.ChoiceField(label="Risk", choices=[("", "Any risk or none"), *Risk.choices], required=False)


class RiskTableForm(forms.Form):
    region = forms.ChoiceField(label="Region", required=False)
    sort = forms.ChoiceField(label="Sort by", choices=list(SORTS.items()), required=False)

    def __init__(self, *args, regions=None, **kwargs):
        super().__init__(*args, **kwargs)
        if regions is None:
            del self.fields["region"]
        else:
            self.fields["region"].choices = [("", "England (every region)"), *((r.code, r.name) for r in regions)]
