"""Forms for board skills: the required mix (three fields per skill), a member's self-assessment and the
validation of their skills (one level per skill), and the filters of the boards with gaps."""

from django import forms

from carelead.boardskills.models import Level, Priority
from carelead.boardskills.services import EVIDENCE_MAX, MAX_NEEDED, requirement_problems
from carelead.nedpool.models import skill_choices

REQUIRED_LEVEL_CHOICES = [("", "Choose a level")] + [(str(v), f"{label} or above") for v, label in Level.choices if v]
PRIORITY_CHOICES = [("", "Choose a priority"), *Priority.choices]
SELF_LEVEL_CHOICES = [(str(v), label) for v, label in Level.choices]
VALIDATED_CHOICES = [("", "Not validated"), *SELF_LEVEL_CHOICES]


class RequirementsForm(forms.Form):
    """For each skill on the list: how many members should hold it (0: not required), at what level, how much it
    matters. The rules are the service's (``services.requirement_problems``); this form only reads the values."""

    def __init__(self, *args, skills: list[tuple[str, str]] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.skills = skills if skills is not None else skill_choices()
        for code, label in self.skills:
            self.fields[f"{code}-needed"] = forms.IntegerField(
                label="Members needed",
                min_value=0,
                max_value=MAX_NEEDED,
                required=False,
                help_text="0 if not needed",
                widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
                error_messages={
                    "invalid": f"Enter how many members should hold {label} as a whole number",
                    "min_value": f"Enter how many members should hold {label}, from 0 to {MAX_NEEDED}",
                    "max_value": f"Enter how many members should hold {label}, from 0 to {MAX_NEEDED}",
                },
            )
            self.fields[f"{code}-level"] = forms.TypedChoiceField(
                label="Level needed",
                choices=REQUIRED_LEVEL_CHOICES,
                coerce=int,
                empty_value=None,
                required=False,
            )
            self.fields[f"{code}-priority"] = forms.ChoiceField(
                label="Priority", choices=PRIORITY_CHOICES, required=False
            )

    def rows(self) -> dict[str, dict]:
        """The submitted mix, by skill, for the service."""
        data = self.cleaned_data
        return {
            code: {
                "needed": data.get(f"{code}-needed") or 0,
                "level": data.get(f"{code}-level"),
                "priority": data.get(f"{code}-priority") or "",
            }
            for code, _ in self.skills
            if f"{code}-needed" in data
        }

    def clean(self):
        """Report the service's rules with the field errors, so every mistake shows at once."""
        cleaned = super().clean()
        for name, messages in requirement_problems(rows=self.rows()).items():
            for message in messages:
                self.add_error(name if name in self.fields else None, message)
        return cleaned

    def groups(self) -> list[tuple[str, str, list]]:
        """(code, label, [bound fields]) per skill, for the page."""
        return [
            (code, label, [self[f"{code}-needed"], self[f"{code}-level"], self[f"{code}-priority"]])
            for code, label in self.skills
        ]


class _LevelsForm(forms.Form):
    choices: list = SELF_LEVEL_CHOICES
    allow_blank = False

    def __init__(self, *args, skills: list[tuple[str, str, str]], **kwargs):
        """``skills`` is (code, label, hint) per skill."""
        super().__init__(*args, **kwargs)
        self.skills = skills
        for code, label, hint in skills:
            self.fields[code] = forms.TypedChoiceField(
                label=label,
                choices=self.choices,
                coerce=int,
                empty_value=None,
                required=not self.allow_blank,
                help_text=hint,
                error_messages={"required": f"Choose a level for {label}"},
            )

    def levels(self) -> dict[str, int | None]:
        return {code: self.cleaned_data.get(code) for code, _, _ in self.skills}


class SelfAssessmentForm(_LevelsForm):
    """The member's own view of their level in each skill."""


class ValidationForm(_LevelsForm):
    """The validated level of each skill, and what the validation rests on."""

    choices = VALIDATED_CHOICES
    allow_blank = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["evidence"] = forms.CharField(
            label="What the validation rests on",
            required=False,
            max_length=EVIDENCE_MAX,
            widget=forms.Textarea(attrs={"rows": 4}),
            help_text="For example, the appointment interview, references, qualifications or professional "
            "registration seen. Needed when you validate a level.",
            error_messages={"max_length": f"The evidence must be {EVIDENCE_MAX:,} characters or fewer"},
        )


class GapsFilterForm(forms.Form):
    skill = forms.ChoiceField(label="Skill", required=False)
    region = forms.ChoiceField(label="Region", required=False)
    essential = forms.BooleanField(label="Essential requirements only", required=False)

    def __init__(self, *args, regions, **kwargs):
        super().__init__(*args, **kwargs)
        self.regions = {r.code: r for r in regions}
        self.fields["region"].choices = [("", "All regions"), *[(r.code, r.name) for r in regions]]
        self.fields["skill"].choices = [("", "All skills"), *skill_choices()]
