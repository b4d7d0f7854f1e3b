"""Forms for the board pages: recording a term, a tenure review and the end of a seat, and filtering the seats
whose terms end soon."""

from django import forms

from carelead.boards.models import Committee, TenureReview
from carelead.core.choices import BoardRole, OrganisationType

DATE_HINT = "For example, 2027-03-31"
MONTH_CHOICES = [(n, f"{n} month" + ("" if n == 1 else "s")) for n in (1, 3, 6, 9, 12, 18, 24)]
ORGANISATION_TYPES = [
    (value, label)
    for value, label in OrganisationType.choices
    if value not in (OrganisationType.NATIONAL, OrganisationType.REGION)
]


def _date_field(label: str, help_text: str = DATE_HINT) -> forms.DateField:
    return forms.DateField(
        label=label,
        help_text=help_text,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": f"Enter the {label.lower()}", "invalid": f"Enter the {label.lower()} as a date"},
    )


class TermForm(forms.Form):
    starts_on = _date_field("Start date of the term")
    ends_on = _date_field("Planned end date of the term", "Terms are usually 3 years. " + DATE_HINT)
    notes = forms.CharField(
        label="Notes (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example, the date the council of governors or appointing body agreed the term.",
    )


class TenureReviewForm(forms.Form):
    reviewed_on = _date_field("Date of the review")
    outcome = forms.ChoiceField(
        label="Outcome",
        choices=TenureReview.Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the outcome of the review"},
    )
    reason = forms.CharField(
        label="The review and the reasons for its outcome",
        min_length=20,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Who carried out the review, what was considered (such as independence, the board's skills mix "
        "and succession), and why.",
        error_messages={
            "required": "Describe the review and the reasons for its outcome",
            "min_length": "Describe the review and the reasons for its outcome in at least 20 characters",
        },
    )


class SeatEndForm(forms.Form):
    ended_on = _date_field("Last day on the board")


class TermEndingsFilterForm(forms.Form):
    months = forms.TypedChoiceField(label="Ending within", coerce=int, choices=MONTH_CHOICES, required=False)
    region = forms.ChoiceField(label="Region", required=False)
    organisation_type = forms.ChoiceField(
        label="Type of organisation", required=False, choices=[("", "All types"), *ORGANISATION_TYPES]
    )
    role = forms.ChoiceField(label="Board role", required=False, choices=[("", "All roles"), *BoardRole.choices])

    def __init__(self, *args, regions, **kwargs):
        super().__init__(*args, **kwargs)
        self.regions = {r.code: r for r in regions}
        self.fields["region"].choices = [("", "All regions"), *[(r.code, r.name) for r in regions]]


class CommitteeForm(forms.Form):
    name = forms.CharField(
        label="Name of the committee",
        max_length=120,
        error_messages={"required": "Enter the committee's name"},
    )
    kind = forms.ChoiceField(
        label="Kind of committee",
        choices=Committee.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the kind of committee"},
    )
    purpose = forms.CharField(
        label="Purpose (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What the board delegates to it, in a sentence or two.",
    )


class CommitteeMemberForm(forms.Form):
    member = forms.ModelChoiceField(
        label="Board member",
        queryset=None,
        empty_label="Choose a board member",
        error_messages={"required": "Choose a board member", "invalid_choice": "Choose a member of this board"},
    )
    chairs = forms.BooleanField(label="Chairs the committee", required=False)
    starts_on = _date_field("Start date on the committee")

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members


class CommitteeCloseForm(forms.Form):
    closed_on = _date_field("Day the committee is stood down")


class CommitteePlaceEndForm(forms.Form):
    ends_on = _date_field("Last day on the committee")
