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
