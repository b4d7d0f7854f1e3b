"""Forms of the quarterly speak-up return: which quarter, and going straight to one organisation."""

from django import forms
from django.utils import timezone

from carelead.speakup.returns import QUARTER_CHOICES, Quarter, quarters_ending, return_access, scope_parse

QUARTER_MESSAGE = "Choose a quarter from the list"


def quarter_choices(today=None) -> list[tuple[str, str]]:
    """The quarter under way and the ones before it, newest first."""
    current = Quarter.of(today or timezone.localdate())
    quarters = quarters_ending(current, QUARTER_CHOICES)[::-1]
    return [(q.code, f"{q.label}{' (under way)' if q == current else ''}") for q in quarters]


class QuarterForm(forms.Form):
    quarter = forms.ChoiceField(
        label="Quarter",
        error_messages={"required": QUARTER_MESSAGE, "invalid_choice": QUARTER_MESSAGE},
    )

    def __init__(self, *args, label: str = "Quarter", **kwargs):
        super().__init__(*args, **kwargs)
        choices = quarter_choices()
        # An earlier quarter asked for by its address (a bookmark, a link) is offered too; a future one is not.
        asked = self.data.get("quarter", "") if self.is_bound else ""
        try:
            earlier = Quarter.parse(asked) <= Quarter.of(timezone.localdate())
        except ValueError:
            earlier = False
        if earlier and asked not in dict(choices):
            choices.append((asked, Quarter.parse(asked).label))
        self.fields["quarter"].choices = choices
        self.fields["quarter"].label = label

    def clean_quarter(self) -> Quarter:
        return Quarter.parse(self.cleaned_data["quarter"])


class OrganisationFindForm(forms.Form):
    code = forms.CharField(
        label="Organisation code",
        help_text="The organisation's ODS code, such as RR8",
        max_length=12,
        error_messages={
            "required": "Enter an organisation code",
            "max_length": "Enter a code of 12 characters or fewer",
        },
    )

    def __init__(self, *args, assignment, **kwargs):
        super().__init__(*args, **kwargs)
        self.assignment = assignment

    def clean_code(self):
        code = self.cleaned_data["code"].strip().upper()
        scope = scope_parse(f"org:{code}")
        if scope is None or return_access(assignment=self.assignment, scope=scope) is None:
            raise forms.ValidationError(f"There is no organisation with the code {code} whose return you can see")
        return scope
