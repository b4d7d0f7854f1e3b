from django import forms

from carelead.core.choices import Level, Sector
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


# The 9-box -----------------------------------------------------------------------------------------------------

SCORE_CHOICES = [(3, "3: High"), (2, "2: Medium"), (1, "1: Low")]


class CalibrationForm(forms.Form):
    performance = forms.TypedChoiceField(
        label="Calibrated performance", choices=SCORE_CHOICES, coerce=int, widget=forms.RadioSelect
    )
    potential = forms.TypedChoiceField(
        label="Calibrated potential", choices=SCORE_CHOICES, coerce=int, widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label="Reason for the calibration",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The evidence the calibration discussion relied on. The person's managers and HR can read it.",
        error_messages={"required": "Give the reason for the calibration"},
    )


class NineBoxFilterForm(forms.Form):
    q = forms.CharField(label="Name or staff ID", required=False, max_length=100)
    cell = forms.RegexField(label="Box", regex=r"^([123]-[123]|none)$", required=False)


# Talent pools --------------------------------------------------------------------------------------------------


class PoolForm(forms.Form):
    name = forms.CharField(
        label="Name of the pool",
        max_length=200,
        help_text="For example, Holdout Region aspiring senior managers",
        error_messages={"required": "Enter a name for the pool"},
    )
    level = forms.ChoiceField(
        label="Level the pool prepares people for",
        choices=Level.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the level the pool prepares people for"},
    )
    description = forms.CharField(
        label="Description (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Who the pool is for and what its members are offered",
    )
    membership_months = forms.IntegerField(
        label="How long a membership lasts, in months",
        min_value=1,
        max_value=60,
        initial=24,
        help_text="Between 1 and 60 months. A membership can be renewed when it ends.",
        error_messages={
            "required": "Enter how many months a membership lasts",
            "min_value": "A membership lasts at least 1 month",
            "max_value": "A membership lasts at most 60 months",
            "invalid": "Enter a whole number of months",
        },
    )


class NominationForm(forms.Form):
    staff_id = forms.CharField(
        label="Staff ID of the person you are nominating",
        max_length=32,
        error_messages={"required": "Enter the staff ID of the person you are nominating"},
    )
    level = forms.ChoiceField(
        label="Level of the pool",
        choices=Level.choices,
        widget=forms.RadioSelect,
        help_text="The level of role the person is getting ready for. The pool is their organisation's region's.",
        error_messages={"required": "Choose the level of the pool"},
    )
    reason = forms.CharField(
        label="Why you are nominating them",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="The person can read this.",
        error_messages={"required": "Give the reason for the nomination"},
    )


DECISIONS = [("approve", "Approve: add them to the pool"), ("decline", "Decline")]


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="Your decision",
        choices=DECISIONS,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether to approve or decline the nomination"},
    )
    reason = forms.CharField(
        label="Reason for the decision",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The person and whoever nominated them can read this.",
        error_messages={"required": "Give the reason for the decision"},
    )


class RenewForm(forms.Form):
    expires_on = forms.DateField(
        label="New expiry date",
        error_messages={"required": "Enter the new expiry date", "invalid": "Enter a real date"},
    )
    reason = forms.CharField(
        label="Reason for the renewal",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The person can read this.",
        error_messages={"required": "Give the reason for the renewal"},
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label="Reason for withdrawing the membership",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The person can read this.",
        error_messages={"required": "Give the reason for withdrawing the membership"},
    )


class MemberFilterForm(forms.Form):
    q = forms.CharField(label="Name or staff ID", required=False, max_length=100)
    level = forms.ChoiceField(label="Pool level", required=False, choices=[("", "Any level"), *Level.choices])
    status = forms.ChoiceField(label="Status", required=False, choices=[])
    readiness = forms.ChoiceField(
        label="Readiness", required=False, choices=[("", "Any readiness"), *Readiness.choices]
    )
    standards_min = forms.IntegerField(
        label="Meets at least this many management standards",
        required=False,
        min_value=0,
        max_value=99,
        error_messages={"invalid": "Enter a whole number", "min_value": "Enter 0 or more"},
    )
    sector = forms.ChoiceField(label="Sector", required=False, choices=[("", "Any sector"), *Sector.choices])
    mobility_region = forms.ChoiceField(label="Would work in region", required=False, choices=[])
    mobility_sector = forms.ChoiceField(
        label="Would work in sector", required=False, choices=[("", "Any sector"), *Sector.choices]
    )
    location = forms.CharField(
        label="Organisation or ICB code",
        required=False,
        max_length=12,
        help_text="Where the person works, for example RAA or QZZ",
    )
    region = forms.ChoiceField(label="Pool region", required=False, choices=[])

    def __init__(self, *args, regions=(), **kwargs):
        from carelead.talent.pools_selectors import STATUS_FILTERS

        super().__init__(*args, **kwargs)
        self.fields["status"].choices = STATUS_FILTERS
        self.fields["mobility_region"].choices = [("", "Any region"), *regions]
        self.fields["region"].choices = [("", "Every region"), *regions]


class NominationFilterForm(forms.Form):
    status = forms.ChoiceField(label="Status", required=False, choices=[])

    def __init__(self, *args, **kwargs):
        from carelead.talent.pools_selectors import STATUS_FILTERS

        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", "Every nomination"), *STATUS_FILTERS[1:]]
