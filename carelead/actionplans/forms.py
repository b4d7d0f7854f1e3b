"""Forms for recording actions, their progress, and for finding and filtering plans."""

from django import forms
from django.utils import timezone

from carelead.accounts.permissions import Scope
from carelead.actionplans.catalogue import measure_groups
from carelead.actionplans.models import Action

DATE_HINT = "For example, 2026-04-01"


def measure_choices() -> list:
    """The catalogue as grouped choices: one group per standard, each option its code and title."""
    return [(name, [(m.code, f"{m.code}: {m.title}") for m in measures]) for name, measures in measure_groups()]


def _date_field(label: str, help_text: str = DATE_HINT) -> forms.DateField:
    return forms.DateField(
        label=label,
        help_text=help_text,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": f"Enter the {label.lower()}", "invalid": f"Enter the {label.lower()} as a date"},
    )


class ActionForm(forms.Form):
    measure_code = forms.ChoiceField(
        label="Equality measure",
        help_text="The measure this action is meant to improve.",
        error_messages={"required": "Choose the equality measure", "invalid_choice": "Choose a measure from the list"},
    )
    title = forms.CharField(
        label="Title",
        max_length=200,
        help_text="A short name for the action, for example “Diverse interview panels for band 8a and above”.",
        error_messages={"required": "Enter a title"},
    )
    description = forms.CharField(
        label="What will be done",
        widget=forms.Textarea,
        max_length=4000,
        help_text="Be specific: what, for whom, and how.",
        error_messages={"required": "Say what will be done"},
    )
    success_measure = forms.CharField(
        label="How success will be measured",
        widget=forms.Textarea,
        max_length=2000,
        help_text="A measurable target with a date, for example “WRES2 below 1.25 by March 2027”.",
        error_messages={"required": "Say how success will be measured"},
    )
    owner_name = forms.CharField(
        label="Owner's name", max_length=200, error_messages={"required": "Enter the name of the action's owner"}
    )
    owner_role = forms.CharField(
        label="Owner's role",
        max_length=200,
        help_text="For example, Director of People.",
        error_messages={"required": "Enter the owner's role"},
    )
    owner_email = forms.EmailField(
        label="Owner's CareLead email address (optional)",
        required=False,
        help_text="Links the action to the owner's CareLead account, if they have one in this organisation.",
        error_messages={"invalid": "Enter an email address in the correct format, like name@example.org"},
    )
    start_on = _date_field("Start date")
    due_on = _date_field("Due date")
    status = forms.ChoiceField(
        label="Has work started?",
        choices=[(Action.Status.PLANNED, "No, it is planned"), (Action.Status.IN_PROGRESS, "Yes, it is in progress")],
        initial=Action.Status.PLANNED,
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether work has started"},
    )

    def __init__(self, *args, organisation, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        self.fields["measure_code"].choices = [("", "Choose a measure"), *measure_choices()]
        if editing:
            # Status moves only through the progress log, where each change is recorded with a note.
            del self.fields["status"]

    def clean_owner_email(self):
        from carelead.accounts.selectors import user_list

        email = self.cleaned_data["owner_email"].strip()
        if not email:
            return None
        scope = Scope(path=self.organisation.path, organisation_id=self.organisation.pk, role="")
        owner = user_list(scope=scope).filter(email__iexact=email, is_active=True).first()
        if owner is None:
            raise forms.ValidationError(
                f"There is no CareLead user with this email address in {self.organisation.name}. "
                "Leave it blank if the owner does not use CareLead."
            )
        return owner

    def clean(self):
        cleaned = super().clean()
        start, due = cleaned.get("start_on"), cleaned.get("due_on")
        if start and due and due <= start:
            self.add_error("due_on", "The due date must be after the start date")
        return cleaned


class ProgressForm(forms.Form):
    date = _date_field("Date of the update", help_text="When the progress happened. " + DATE_HINT)
    status = forms.ChoiceField(
        label="Status after this update",
        choices=Action.Status.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a status"},
    )
    note = forms.CharField(
        label="What has happened",
        required=False,
        widget=forms.Textarea,
        max_length=4000,
        help_text="Progress, evidence or problems. If you drop the action, say why.",
    )

    def __init__(self, *args, action: Action, **kwargs):
        kwargs.setdefault("initial", {"date": timezone.localdate(), "status": action.status})
        super().__init__(*args, **kwargs)
        self.action = action

    def clean_date(self):
        on = self.cleaned_data["date"]
        if on > timezone.localdate():
            raise forms.ValidationError("The date of the update must be today or in the past")
        return on

    def clean(self):
        cleaned = super().clean()
        status, note = cleaned.get("status"), (cleaned.get("note") or "").strip()
        if status == Action.Status.DROPPED and self.action.status != Action.Status.DROPPED and not note:
            self.add_error("note", "Give the reason for dropping the action")
        elif status and status == self.action.status and not note:
            self.add_error("note", "Say what has happened, or change the status")
        return cleaned


class PlanFilterForm(forms.Form):
    status = forms.ChoiceField(label="Status", required=False, choices=[("", "Any status"), *Action.Status.choices])
    measure = forms.ChoiceField(label="Measure", required=False)
    overdue = forms.BooleanField(label="Overdue only", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["measure"].choices = [("", "Any measure"), *measure_choices()]


class OrganisationSearchForm(forms.Form):
    q = forms.CharField(label="Organisation name or code", required=False, max_length=100)


class SummaryFilterForm(forms.Form):
    include_empty = forms.BooleanField(label="Include organisations without an action plan", required=False)
