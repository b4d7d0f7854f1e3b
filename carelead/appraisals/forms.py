from django import forms

from carelead.core.choices import AppraisalRating, Level

RATING_CHOICES = [("", "Not rated yet"), *AppraisalRating.choices]


class ObjectiveForm(forms.Form):
    title = forms.CharField(label="Objective", max_length=200)
    measure = forms.CharField(label="How it will be measured", widget=forms.Textarea(attrs={"rows": 3}))


class MeetingForm(forms.Form):
    meeting_on = forms.DateField(label="Date of the appraisal meeting")


class TextForm(forms.Form):
    text = forms.CharField(label="Your comments", widget=forms.Textarea(attrs={"rows": 4}), required=False)


class DissentForm(forms.Form):
    text = forms.CharField(label="What you disagree with, and why", widget=forms.Textarea(attrs={"rows": 4}))


class CycleForm(forms.Form):
    year = forms.RegexField(
        label="Financial year appraised",
        regex=r"^\d{4}-\d{2}$",
        help_text="For example, 2026-27",
        error_messages={"invalid": "Enter the year like 2026-27"},
    )
    opens_on = forms.DateField(label="Cycle opens")
    self_assessment_due = forms.DateField(label="Self-assessments due")
    review_due = forms.DateField(label="Managers' reviews due")
    sign_off_due = forms.DateField(label="Sign-off due")

    def clean(self):
        cleaned = super().clean()
        order = ["opens_on", "self_assessment_due", "review_due", "sign_off_due"]
        days = [cleaned.get(name) for name in order]
        if all(days):
            for before, after, name in zip(days, days[1:], order[1:], strict=False):
                if after < before:
                    self.add_error(name, "This date must not be before the one above it")
        return cleaned


class ReassignForm(forms.Form):
    staff_id = forms.CharField(label="Staff ID of the new appraiser", max_length=32)
    reason = forms.CharField(label="Why the appraiser is changing", widget=forms.Textarea(attrs={"rows": 3}))


class CloseForm(forms.Form):
    reason = forms.CharField(
        label="Why the appraisal is closed without sign-off", widget=forms.Textarea(attrs={"rows": 3})
    )


class CalibrationForm(forms.Form):
    title = forms.CharField(label="Name of the session", max_length=200, help_text="For example, Nursing band 7")
    level = forms.ChoiceField(label="Level (optional)", choices=[("", "Every level"), *Level.choices], required=False)
    held_on = forms.DateField(label="Date of the session")


class AdjustForm(forms.Form):
    to_rating = forms.ChoiceField(label="Calibrated rating", choices=AppraisalRating.choices)
    reason = forms.CharField(label="Reason", widget=forms.Textarea(attrs={"rows": 2}))


class TemplateForm(forms.Form):
    title = forms.CharField(label="Title", max_length=200)
    guidance = forms.CharField(label="Guidance for appraisers and appraisees", widget=forms.Textarea, required=False)
    min_objectives = forms.IntegerField(label="Fewest objectives", min_value=1, max_value=10, initial=1)
    max_objectives = forms.IntegerField(label="Most objectives", min_value=1, max_value=12, initial=6)

    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("min_objectives"), cleaned.get("max_objectives")
        if low and high and high < low:
            self.add_error("max_objectives", "The most must not be fewer than the fewest")
        return cleaned
