import json

from django import forms

from carelead.core.choices import Level
from carelead.standards.loading import framework_validate


class LevelFilterForm(forms.Form):
    level = forms.ChoiceField(
        label="Show the indicators for", required=False, choices=[("", "Every level"), *Level.choices]
    )


class FrameworkUploadForm(forms.Form):
    file = forms.FileField(
        label="Framework file (JSON)",
        help_text="The format is in the data formats guide.",
        widget=forms.ClearableFileInput(attrs={"accept": ".json,application/json"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > 2 * 1024 * 1024:
            raise forms.ValidationError("The selected file must be smaller than 2 MB")
        try:
            document = json.loads(upload.read().decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise forms.ValidationError(f"The selected file is not valid JSON ({exc})") from None
        if not isinstance(document, dict):
            raise forms.ValidationError("The selected file must hold one framework object")
        problems = framework_validate(document)
        if problems:
            raise forms.ValidationError(problems[:10])
        return document


class ChangeLevelForm(forms.Form):
    level = forms.ChoiceField(label="New level", choices=Level.choices)
    pay_band = forms.ChoiceField(label="Pay band", choices=[])
    job_title = forms.CharField(label="Job title", max_length=200)
    effective_on = forms.DateField(
        label="Date the change takes effect",
        help_text="For example, 2026-04-01",
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args, **kwargs):
        from carelead.core.choices import PayBand

        super().__init__(*args, **kwargs)
        self.fields["pay_band"].choices = PayBand.choices


class ExceptionRequestForm(forms.Form):
    level = forms.ChoiceField(label="Level the person is to be appointed at", choices=Level.choices)
    reason = forms.CharField(label="Why the appointment cannot wait", widget=forms.Textarea, max_length=2000)
    expires_on = forms.DateField(
        label="The exception ends on",
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="At most a year from today. The missing requirements must be met by then.",
    )


class ExceptionDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="Decision", choices=[("approve", "Approve"), ("refuse", "Refuse")], widget=forms.RadioSelect
    )
    note = forms.CharField(label="Note (optional)", required=False, widget=forms.Textarea, max_length=2000)


class PriorLearningForm(forms.Form):
    requirement = forms.ChoiceField(label="Requirement", choices=[])
    evidence = forms.CharField(
        label="Your earlier learning or experience",
        widget=forms.Textarea,
        max_length=4000,
        help_text="Say what you did, when, with whom, and how a reviewer can check it.",
    )

    def __init__(self, *args, requirements, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["requirement"].choices = [(r.code, r.title) for r in requirements]


class PriorLearningReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label="Decision", choices=[("approve", "Approve"), ("reject", "Reject")], widget=forms.RadioSelect
    )
    note = forms.CharField(
        label="Note to the applicant",
        required=False,
        widget=forms.Textarea,
        max_length=2000,
        help_text="Required when rejecting.",
    )
