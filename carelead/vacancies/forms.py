"""Forms for vacancies, applications and decisions, and for finding vacancies."""

from django import forms

from carelead.core.choices import LEVEL_ORDER, Level, Sector
from carelead.vacancies.models import ApplicationStatus, VacancyStatus

DATE_HINT = "For example, 2026-12-31"


def _any(label: str, choices) -> list:
    return [("", label), *choices]


class VacancyForm(forms.Form):
    organisation = forms.CharField(
        label="Organisation code",
        max_length=12,
        help_text="The code of the organisation that employs the role, for example RAA",
        error_messages={"required": "Enter the code of the organisation that employs the role"},
    )
    title = forms.CharField(label="Job title", max_length=200, error_messages={"required": "Enter the job title"})
    level = forms.ChoiceField(
        label="Management level",
        choices=_any("Choose a level", Level.choices[1:]),
        help_text="Appointment at this level needs every requirement of the levels below it",
        error_messages={"required": "Choose the management level of the role"},
    )
    location = forms.CharField(
        label="Location",
        max_length=200,
        help_text="The town or site where the role is based",
        error_messages={"required": "Enter where the role is based"},
    )
    closes_on = forms.DateField(
        label="Closing date",
        help_text="Applications are taken until the end of this day. " + DATE_HINT,
        error_messages={"required": "Enter the closing date", "invalid": "Enter the closing date as a date"},
    )
    required_standards = forms.MultipleChoiceField(
        label="Standards the role needs",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="From the current leadership and management standards",
        error_messages={"invalid_choice": "Choose standards from the list"},
    )
    description = forms.CharField(
        label="About the role",
        required=False,
        max_length=8000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="What the role does, the team, and what would make someone good at it",
    )
    succession_plan = forms.TypedChoiceField(
        label="Succession plan (optional)",
        required=False,
        coerce=int,
        empty_value=None,
        help_text="Link the vacancy to the succession plan for this role, if there is one",
        error_messages={"invalid_choice": "Choose a succession plan from the list"},
    )

    def __init__(self, *args, standards: dict[str, str], plans, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["required_standards"].choices = [(code, f"{code} {title}") for code, title in standards.items()]
        self.plans = {plan.pk: plan for plan in plans}
        self.fields["succession_plan"].choices = [("", "No succession plan")] + [
            (plan.pk, f"{plan.role_title}, {plan.organisation.name}") for plan in self.plans.values()
        ]
        if editing:
            del self.fields["organisation"]

    def clean_organisation(self):
        return self.cleaned_data["organisation"].strip().upper()

    def clean_succession_plan(self):
        pk = self.cleaned_data["succession_plan"]
        return self.plans.get(pk) if pk is not None else None

    def values(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "organisation"}


class VacancyStatusForm(forms.Form):
    to = forms.ChoiceField(
        label="New status",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the new status", "invalid_choice": "Choose a status from the list"},
    )
    reason = forms.CharField(
        label="Reason",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed when you withdraw the vacancy; applicants see it",
    )

    def __init__(self, *args, moves, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to"].choices = [(status, VacancyStatus(status).label) for status in moves]


class ApplyForm(forms.Form):
    statement = forms.CharField(
        label="Your supporting statement",
        max_length=8000,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text="Say why you want the role and what you have done that shows you could do it well",
        error_messages={"required": "Write your supporting statement"},
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label="Why are you withdrawing? (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class InviteForm(forms.Form):
    staff_id = forms.CharField(
        label="Staff ID of the person to invite",
        max_length=32,
        error_messages={"required": "Enter the staff ID of the person to invite"},
    )
    statement = forms.CharField(
        label="Note for the file (optional)",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example, why the talent team thinks the person fits the role",
    )


class DecisionForm(forms.Form):
    to = forms.ChoiceField(
        label="Decision",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the decision", "invalid_choice": "Choose a decision from the list"},
    )
    reason = forms.CharField(
        label="Reason",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="The applicant sees this reason",
        error_messages={"required": "Give the reason for the decision"},
    )
    barring_cleared = forms.CharField(
        label="How you established that the person on the barring list is someone else",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Only when CareLead finds the appointee's name on the barring list of senior managers. This is "
        "recorded in the audit log.",
    )

    def __init__(self, *args, moves, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to"].choices = [(status, ApplicationStatus(status).label) for status in moves]


class OpenFilterForm(forms.Form):
    q = forms.CharField(label="Search by job title, place or organisation", required=False, max_length=100)
    level = forms.ChoiceField(label="Level", required=False, choices=_any("Any level", Level.choices[1:]))
    region = forms.ChoiceField(label="Region", required=False)
    sector = forms.ChoiceField(label="Sector", required=False, choices=_any("Any sector", Sector.choices))

    def __init__(self, *args, regions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = _any("Any region", regions)


class ManageFilterForm(forms.Form):
    q = forms.CharField(label="Search by job title or reference", required=False, max_length=100)
    status = forms.ChoiceField(label="Status", required=False, choices=_any("Any status", VacancyStatus.choices))
    level = forms.ChoiceField(label="Level", required=False, choices=_any("Any level", Level.choices))
    organisation = forms.CharField(label="Organisation code", required=False, max_length=12)


class RouteForm(forms.Form):
    level = forms.ChoiceField(
        label="Show the route from",
        required=False,
        choices=[(value, Level(value).label) for value in LEVEL_ORDER[:-1]],
    )
