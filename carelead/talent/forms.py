from django import forms

from carelead.core.choices import Sector
from carelead.talent.models import GrowthDirection, Level3, Readiness


class ConversationForm(forms.Form):
    held_on = forms.DateField(label="Date of the conversation")
    coach_name = forms.CharField(
        label="Coach (if not the line manager)",
        max_length=200,
        required=False,
        help_text="Leave empty if held with the line manager",
    )
    impact = forms.ChoiceField(label="Impact in the current role", choices=Level3.choices, widget=forms.RadioSelect)
    growth = forms.ChoiceField(label="Appetite to grow", choices=Level3.choices, widget=forms.RadioSelect)
    growth_direction = forms.ChoiceField(
        label="Direction of growth", choices=GrowthDirection.choices, widget=forms.RadioSelect
    )
    readiness = forms.ChoiceField(
        label="Readiness for the next step", choices=Readiness.choices, widget=forms.RadioSelect
    )
    mobility_regions = forms.MultipleChoiceField(
        label="Regions the person would work in", required=False, widget=forms.CheckboxSelectMultiple
    )
    mobility_sectors = forms.MultipleChoiceField(
        label="Sectors the person would work in",
        required=False,
        choices=Sector.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    aspiration = forms.CharField(
        label="Aspiration, in the person's words", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    development_plan = forms.CharField(
        label="Aspirational development plan", widget=forms.Textarea(attrs={"rows": 4}), required=False
    )

    def __init__(self, *args, **kwargs):
        from carelead.organisations.models import Organisation

        super().__init__(*args, **kwargs)
        self.fields["mobility_regions"].choices = list(
            Organisation.objects.filter(type="region").order_by("name").values_list("code", "name")
        )

    def clean_held_on(self):
        from django.utils import timezone

        day = self.cleaned_data["held_on"]
        if day > timezone.localdate():
            raise forms.ValidationError("A conversation cannot be dated in the future")
        return day


class CommentForm(forms.Form):
    text = forms.CharField(label="Your comments", widget=forms.Textarea(attrs={"rows": 4}), required=False)
