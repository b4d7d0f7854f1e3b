from django import forms

from carelead.audit.models import AuditLog


class AuditFilterForm(forms.Form):
    person = forms.CharField(label="About staff ID", required=False, max_length=32)
    actor = forms.CharField(label="Done by (email or system job)", required=False, max_length=200)
    action = forms.ChoiceField(label="Action", required=False, choices=[("", "Any action"), *AuditLog.Action.choices])
    date_from = forms.DateField(
        label="From date",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="For example, 2026-04-01",
    )
    date_to = forms.DateField(label="To date", required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("date_from") and cleaned.get("date_to") and cleaned["date_from"] > cleaned["date_to"]:
            self.add_error("date_to", "The to date must be the same as or after the from date")
        return cleaned
