"""Forms for the fit and proper person test pages."""

from django import forms

from carelead.fitproper.models import CheckOutcome

DATE_HINT = "For example, 2026-04-01"


def _date_field(label: str, required: bool = True, help_text: str = DATE_HINT) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": f"Enter the {label.lower()}", "invalid": f"Enter the {label.lower()} as a date"},
    )


class YearForm(forms.Form):
    year = forms.ChoiceField(label="Financial year", required=False)

    def __init__(self, *args, years: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, y) for y in years]


class StartForm(forms.Form):
    year = forms.ChoiceField(
        label="Financial year",
        error_messages={"required": "Choose the year", "invalid_choice": "Choose a year from the list"},
    )

    def __init__(self, *args, years: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, y) for y in years]


class CheckForm(forms.Form):
    outcome = forms.ChoiceField(
        label="Outcome",
        choices=CheckOutcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the outcome of the check"},
    )
    checked_on = _date_field("Date of the check")
    notes = forms.CharField(
        label="Notes",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What was checked and where; for a concern, what was found.",
    )
    resolution = forms.CharField(
        label="How the concern was resolved",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Only for a concern. The member cannot be signed off until a concern has a resolution.",
    )
    evidence = forms.FileField(
        label="Evidence file (optional)",
        required=False,
        help_text="A PDF, PNG or JPEG up to 10 MB. Only the NED appointments team and the chair can download it.",
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg"}),
    )


class AttestationForm(forms.Form):
    text = forms.CharField(
        label="The member's declaration",
        max_length=8000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="The words the member signed: that they are fit and proper, with anything they declared.",
        error_messages={"required": "Enter the member's declaration as they made it"},
    )
    attested_on = _date_field("Date of the declaration")
    domains = forms.TypedMultipleChoiceField(
        label="Board competency domains the member confirms they meet",
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose domains from the list"},
    )

    def __init__(self, *args, domains, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["domains"].choices = [(d.pk, f"{d.code} {d.title}") for d in domains]


class SignOffForm(forms.Form):
    signed_off_for = forms.CharField(
        label="The chair you are signing off for",
        max_length=200,
        required=False,
    )
    confirm = forms.BooleanField(
        label="I confirm this board member is fit and proper for the year",
        error_messages={"required": "Confirm the sign-off"},
    )

    def __init__(self, *args, on_behalf: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if on_behalf:
            self.fields["signed_off_for"].required = True
            self.fields["signed_off_for"].error_messages["required"] = "Enter the name of the chair"
        else:
            del self.fields["signed_off_for"]


class SubmitForm(forms.Form):
    confirm = forms.BooleanField(
        label="I confirm every board member in post has been signed off as fit and proper",
        error_messages={"required": "Confirm the submission"},
    )


class ReferenceForm(forms.Form):
    role_held = forms.CharField(label="Role held", max_length=200, error_messages={"required": "Enter the role held"})
    served_from = _date_field("Date they joined the board")
    served_to = _date_field("Date they left the board")
    responsibilities = forms.CharField(
        label="Responsibilities (optional)",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Committees chaired, lead roles such as senior independent director.",
    )
    concerns = forms.CharField(
        label="Any concerns",
        max_length=8000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="About their conduct, performance or fitness to hold a board role. Write “None” if there were none.",
        error_messages={"required": "Record any concerns, or write “None”"},
    )
    investigations = forms.CharField(
        label="Any investigations",
        max_length=8000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Investigations or disciplinary processes, finished or open when they left. Write “None” if none.",
        error_messages={"required": "Record any investigations, or write “None”"},
    )
    written_by_name = forms.CharField(
        label="Reference from",
        max_length=200,
        help_text="The name and role of the person giving the reference, usually the chair.",
        error_messages={"required": "Enter who the reference is from"},
    )


class DashboardForm(forms.Form):
    region = forms.ChoiceField(label="Region", required=False)
    year = forms.ChoiceField(label="Financial year", required=False)

    def __init__(self, *args, regions, years: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", "All regions you cover"), *[(r.code, r.name) for r in regions]]
        self.fields["year"].choices = [(y, y) for y in years]
