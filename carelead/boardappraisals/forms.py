"""Forms for the board appraisal pages: starting the year, each section of the appraisal, moving and signing off."""

from django import forms
from django.utils import timezone

from carelead.boardappraisals.models import BoardAppraisal
from carelead.core.choices import AppraisalRating, BoardRole

RATING_CHOICES = AppraisalRating.choices
MAX_CONTRIBUTORS = 500


class StartForm(forms.Form):
    year = forms.TypedChoiceField(
        label="Year the appraisals are due",
        coerce=int,
        error_messages={"required": "Choose the year", "invalid_choice": "Choose a year from the list"},
    )
    include_associates = forms.BooleanField(
        label="Include associate (non-voting) members",
        required=False,
        help_text="Chairs, non-executive directors and executive directors are always included.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        this_year = timezone.localdate().year
        self.fields["year"].choices = [(y, str(y)) for y in (this_year - 1, this_year, this_year + 1)]
        self.fields["year"].initial = this_year


class YearForm(forms.Form):
    year = forms.TypedChoiceField(label="Year due", coerce=int, required=False)

    def __init__(self, *args, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, str(y)) for y in years]


class CompletionFilterForm(YearForm):
    sort = forms.ChoiceField(
        label="Sort by",
        required=False,
        choices=[
            ("overdue", "Most overdue first"),
            ("signed_off", "Fewest signed off first"),
            ("name", "Organisation name"),
        ],
    )


APPRAISER_HINTS = {
    BoardRole.CHAIR: "A chair is appraised by the senior independent director.",
    BoardRole.NON_EXECUTIVE: "A non-executive director is appraised by the chair.",
    BoardRole.EXECUTIVE: "An executive director is appraised by the chief executive; the chief executive by the chair.",
    BoardRole.ASSOCIATE: "An associate member is appraised by the chair.",
}


class AppraiserForm(forms.Form):
    appraiser_member = forms.TypedChoiceField(
        label="Appraiser from the board",
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": "Choose a member of the board from the list"},
    )
    appraiser_name = forms.CharField(
        label="Appraiser's name",
        required=False,
        max_length=200,
        help_text="Leave blank to use the name of the board member chosen above.",
    )

    def __init__(self, *args, appraisal: BoardAppraisal, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.members = {m.pk: m for m in members if m.pk != appraisal.member_id}
        self.fields["appraiser_member"].choices = [
            ("", "Not on the board's records"),
            *[(pk, f"{m.name}, {m.get_role_display()}") for pk, m in self.members.items()],
        ]
        self.fields["appraiser_member"].help_text = APPRAISER_HINTS.get(appraisal.role, "")

    def clean_appraiser_member(self):
        pk = self.cleaned_data["appraiser_member"]
        return self.members.get(pk) if pk else None

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("appraiser_member") and not (cleaned.get("appraiser_name") or "").strip():
            self.add_error("appraiser_name", "Choose the appraiser from the board, or enter their name")
        return cleaned


class ObjectiveForm(forms.Form):
    pk = forms.IntegerField(required=False, widget=forms.HiddenInput)
    title = forms.CharField(label="Objective", max_length=200, error_messages={"required": "Enter the objective"})
    measure = forms.CharField(
        label="How it is measured",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": "Say how the objective is measured"},
    )
    is_edi = forms.BooleanField(
        label="This is an equality, diversity and inclusion (EDI) objective",
        required=False,
    )
    rating = forms.ChoiceField(
        label="Rating at the year end",
        required=False,
        choices=[("", "Not rated yet"), *RATING_CHOICES],
    )


class BaseObjectiveFormSet(forms.BaseFormSet):
    def __init__(self, *args, rated: bool, **kwargs):
        self.rated = rated
        super().__init__(*args, **kwargs)

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        if not self.rated:
            del form.fields["rating"]
        form.fields["DELETE"].label = "Remove this objective"
        return form

    def rows(self) -> list[dict]:
        """The objectives as the service takes them; untouched blank rows are left out."""
        rows = []
        for form in self.forms:
            if not form.has_changed() and not form.cleaned_data.get("pk"):
                continue
            data = form.cleaned_data
            rows.append(
                {
                    "pk": data.get("pk"),
                    "title": data.get("title", ""),
                    "measure": data.get("measure", ""),
                    "is_edi": data.get("is_edi", False),
                    "rating": data.get("rating", ""),
                    "delete": data.get("DELETE", False),
                }
            )
        return rows


ObjectiveFormSet = forms.formset_factory(
    ObjectiveForm, formset=BaseObjectiveFormSet, extra=1, can_delete=True, max_num=12, validate_max=True
)


def objective_formset(data=None, *, appraisal: BoardAppraisal, objectives, rated: bool) -> BaseObjectiveFormSet:
    initial = [
        {"pk": o.pk, "title": o.title, "measure": o.measure, "is_edi": o.is_edi, "rating": o.rating} for o in objectives
    ]
    formset = ObjectiveFormSet(data, initial=initial, prefix="objectives", rated=rated)
    if not objectives:
        # A first objective to fill in, and room for the EDI one every appraisal needs.
        formset.extra = 2
    return formset


class FeedbackForm(forms.Form):
    feedback_board = forms.IntegerField(label="Board colleagues", min_value=0, max_value=MAX_CONTRIBUTORS)
    feedback_executives = forms.IntegerField(label="Executive team", min_value=0, max_value=MAX_CONTRIBUTORS)
    feedback_partners = forms.IntegerField(label="Partners and stakeholders", min_value=0, max_value=MAX_CONTRIBUTORS)
    feedback_staff = forms.IntegerField(label="Staff representatives", min_value=0, max_value=MAX_CONTRIBUTORS)
    feedback_themes = forms.CharField(
        label="Themes from the feedback",
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=8000,
        help_text="The appraiser's summary of what contributors said: strengths, and what to develop. Do not name "
        "contributors or quote anyone in a way that identifies them.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("feedback_board", "feedback_executives", "feedback_partners", "feedback_staff"):
            field = self.fields[name]
            field.error_messages = {
                "required": f"Enter how many {field.label.lower()} gave feedback, or 0",
                "invalid": f"Enter the number of {field.label.lower()} as a whole number",
                "min_value": "The number cannot be less than 0",
                "max_value": f"The number must be {MAX_CONTRIBUTORS} or fewer",
            }


class DomainRatingsForm(forms.Form):
    """One rating and one evidence box for each domain of the framework the appraisal is rated against."""

    def __init__(self, *args, ratings, **kwargs):
        super().__init__(*args, **kwargs)
        self.ratings = list(ratings)
        for row in self.ratings:
            self.fields[f"rating_{row.domain_id}"] = forms.ChoiceField(
                label=f"{row.domain.code} {row.domain.title}",
                required=False,
                choices=RATING_CHOICES,
                widget=forms.RadioSelect,
                initial=row.rating,
                help_text=row.domain.description,
            )
            self.fields[f"evidence_{row.domain_id}"] = forms.CharField(
                label=f"Evidence for {row.domain.code}",
                required=False,
                widget=forms.Textarea(attrs={"rows": 4}),
                max_length=4000,
                initial=row.evidence,
            )

    def clean(self):
        cleaned = super().clean()
        for row in self.ratings:
            if cleaned.get(f"rating_{row.domain_id}") and not (cleaned.get(f"evidence_{row.domain_id}") or "").strip():
                self.add_error(f"evidence_{row.domain_id}", f"Give the evidence for the rating of {row.domain.code}")
        return cleaned

    def pairs(self):
        """(domain rating, rating field, evidence field) for each domain, in the framework's order."""
        return [(row, self[f"rating_{row.domain_id}"], self[f"evidence_{row.domain_id}"]) for row in self.ratings]

    def values(self) -> dict[int, tuple[str, str]]:
        return {
            row.domain_id: (
                self.cleaned_data.get(f"rating_{row.domain_id}") or "",
                self.cleaned_data.get(f"evidence_{row.domain_id}") or "",
            )
            for row in self.ratings
        }


class OutcomeForm(forms.Form):
    overall_rating = forms.ChoiceField(
        label="Overall rating", required=False, choices=RATING_CHOICES, widget=forms.RadioSelect
    )
    appraiser_comments = forms.CharField(
        label="Appraiser's comments", required=False, widget=forms.Textarea(attrs={"rows": 6}), max_length=8000
    )
    member_comments = forms.CharField(
        label="Board member's comments",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=8000,
        help_text="In the member's own words.",
    )


class MoveForm(forms.Form):
    reason = forms.CharField(
        label="Why is the appraisal being closed?",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text="For example, the member left the board on 31 July.",
    )

    def __init__(self, *args, closing: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not closing:
            del self.fields["reason"]
        else:
            self.fields["reason"].required = True
            self.fields["reason"].error_messages["required"] = "Say why the appraisal is being closed"


class SignOffForm(forms.Form):
    signed_off_for = forms.CharField(
        label="Name of the chair",
        max_length=200,
        help_text="You are recording the chair's sign-off on their behalf.",
        error_messages={"required": "Enter the name of the chair you are signing off for"},
    )
    confirm = forms.BooleanField(
        label="I confirm the appraisal is complete and agreed",
        error_messages={"required": "Confirm that the appraisal is complete and agreed"},
    )

    def __init__(self, *args, on_behalf: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not on_behalf:
            del self.fields["signed_off_for"]
