"""Forms for asking for 360 feedback, choosing and approving raters, and the raters' questionnaire."""

from datetime import timedelta

from django import forms
from django.utils import timezone

from carelead.feedback.models import CHOSEN_GROUPS, FeedbackRequest, Group, Principle
from carelead.feedback.services import COMMENT_MAX_LENGTH

DEFAULT_WEEKS = 3

# What each principle looks like in everyday work: the question raters answer.
PRINCIPLE_HINTS = {
    Principle.ACCOUNTABLE: "Takes ownership of decisions and their results, is open about what went well and what "
    "did not, and puts things right.",
    Principle.COLLABORATIVE: "Works with others towards shared goals, across teams and organisations, and shares "
    "information, credit and effort.",
    Principle.COMPASSIONATE: "Notices how others are feeling, listens, and acts to help, with colleagues as with "
    "patients and people who draw on care.",
    Principle.CURIOUS: "Asks questions, listens to different views, looks at the evidence and tries new ways of "
    "doing things.",
    Principle.INCLUSIVE: "Treats everyone fairly, values difference, and makes sure everyone can take part and "
    "be heard.",
    Principle.INTEGRITY: "Is honest and consistent, does what they say they will do, and speaks up when something "
    "is wrong.",
}
SCALE = [("1", "1 – Rarely"), ("2", "2 – Sometimes"), ("3", "3 – Often"), ("4", "4 – Very often"), ("5", "5 – Always")]

GROUP_CHOICES = {
    Group.MANAGER: ("Line manager", "The person who line manages them."),
    Group.PEER: ("Peer", "Someone who works alongside them, at a similar level."),
    Group.DIRECT_REPORT: ("Direct report", "Someone they line manage."),
    Group.OTHER: ("Someone else", "For example a colleague in another team, or someone from a partner organisation."),
}


def _date_field(label: str, help_text: str) -> forms.DateField:
    return forms.DateField(
        label=label,
        help_text=help_text,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": f"Enter the {label.lower()}", "invalid": f"Enter the {label.lower()} as a date"},
    )


def _future(day):
    if day <= timezone.localdate():
        raise forms.ValidationError("The deadline must be in the future")
    return day


class RequestForm(forms.Form):
    title = forms.CharField(
        label="What is the feedback for?",
        max_length=200,
        initial="360 feedback",
        help_text="For example, “Appraisal 2026”. Raters see this in their invitation.",
        error_messages={"required": "Say what the feedback is for"},
    )
    deadline = _date_field("Deadline", "The last day raters can answer. Three weeks gives most people time.")

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"deadline": timezone.localdate() + timedelta(weeks=DEFAULT_WEEKS)})
        super().__init__(*args, **kwargs)

    def clean_deadline(self):
        return _future(self.cleaned_data["deadline"])


class RaterForm(forms.Form):
    group = forms.ChoiceField(
        label="How do they work with the person?",
        choices=[(g.value, GROUP_CHOICES[g][0]) for g in CHOSEN_GROUPS],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how they work with the person", "invalid_choice": "Choose from the list"},
    )
    name = forms.CharField(label="Full name", max_length=200, error_messages={"required": "Enter their full name"})
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        help_text="Their invitation goes here. They do not need a CareLead account.",
        error_messages={
            "required": "Enter their email address",
            "invalid": "Enter an email address in the correct format, like name@example.org",
        },
    )


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label="What should change?",
        widget=forms.Textarea,
        max_length=2000,
        help_text="The person sees this, and can change the list and send it again.",
        error_messages={"required": "Say what should change"},
    )


class ApproveForm(forms.Form):
    deadline = _date_field("Deadline", "The last day raters can answer. It cannot change once the invitations go.")

    def __init__(self, *args, request: FeedbackRequest, **kwargs):
        kwargs.setdefault("initial", {"deadline": request.deadline})
        super().__init__(*args, **kwargs)

    def clean_deadline(self):
        return _future(self.cleaned_data["deadline"])


class AnswerForm(forms.Form):
    """The questionnaire: the six principles on a 1 to 5 scale, and two optional comments."""

    strengths = forms.CharField(
        label="What do they do well?",
        required=False,
        widget=forms.Textarea,
        max_length=COMMENT_MAX_LENGTH,
        error_messages={"max_length": f"Write at most {COMMENT_MAX_LENGTH:,} characters"},
    )
    development = forms.CharField(
        label="What could they do more of, or differently?",
        required=False,
        widget=forms.Textarea,
        max_length=COMMENT_MAX_LENGTH,
        error_messages={"max_length": f"Write at most {COMMENT_MAX_LENGTH:,} characters"},
    )

    def __init__(self, *args, own: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        scores = {
            code: forms.ChoiceField(
                label=title,
                help_text=PRINCIPLE_HINTS[code],
                choices=SCALE,
                widget=forms.RadioSelect,
                error_messages={"required": f"Choose a score for “{title}”"},
            )
            for code, title in Principle.choices
        }
        # Scores first, then the comments, in the order the page shows them.
        self.fields = {**scores, **self.fields}
        if own:
            self.fields["strengths"].label = "What do you do well?"
            self.fields["development"].label = "What could you do more of, or differently?"

    @property
    def score_fields(self):
        return [self[code] for code in Principle.values]

    def scores(self) -> dict[str, str]:
        return {code: self.cleaned_data[code] for code in Principle.values}


class RulesForm(forms.Form):
    """The fewest and most raters per group; checked against the rules no organisation can loosen."""

    def __init__(self, *args, rules: dict, **kwargs):
        super().__init__(*args, **kwargs)
        for group in CHOSEN_GROUPS:
            low, high = rules[group]
            label = GROUP_CHOICES[group][0]
            self.fields[f"{group}_min"] = forms.IntegerField(label=f"{label}: fewest", min_value=0, initial=low)
            self.fields[f"{group}_max"] = forms.IntegerField(label=f"{label}: most", min_value=0, initial=high)

    def clean(self):
        from carelead.feedback.rules import rules_problems

        cleaned = super().clean()
        if not self.errors:
            rules = {g: [cleaned[f"{g}_min"], cleaned[f"{g}_max"]] for g in CHOSEN_GROUPS}
            for problem in rules_problems(rules):
                self.add_error(None, problem)
            cleaned["rules"] = rules
        return cleaned
