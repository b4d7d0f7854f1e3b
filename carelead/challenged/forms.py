"""Forms of the challenged organisations pages: they parse what was typed; the services decide what is allowed."""

from django import forms

from carelead.core.choices import CqcRating

SEGMENTS = [("", "No segment")] + [(str(n), f"Segment {n}") for n in range(1, 6)]


class StatusForm(forms.Form):
    effective_on = forms.DateField(label="Applies from", help_text="The date the segment or rating took effect")
    oversight_segment = forms.TypedChoiceField(
        label="NHS Oversight Framework segment",
        choices=SEGMENTS,
        coerce=int,
        empty_value=None,
        required=False,
        help_text="Segment 5 is the Recovery Support Programme (from 2025/26)",
    )
    cqc_rating = forms.ChoiceField(
        label="CQC overall rating", choices=[("", "Not rated"), *CqcRating.choices], required=False
    )
    note = forms.CharField(
        label="Note", required=False, widget=forms.Textarea(attrs={"rows": 3}), help_text="For example, the source"
    )


class PackageForm(forms.Form):
    pay_uplift_percent = forms.DecimalField(
        label="Pay uplift (%)", min_value=0, max_digits=4, decimal_places=1, initial=0, help_text="Up to 15%"
    )
    pay_uplift_cap = forms.IntegerField(
        label="Cap on the uplift (pounds a year)", min_value=0, initial=0, help_text="At most £45,000"
    )
    bonus_percent = forms.DecimalField(
        label="Performance bonus (%)", min_value=0, max_digits=4, decimal_places=1, initial=0, help_text="Up to 10%"
    )
    mentor = forms.BooleanField(label="A mentor", required=False)
    coach = forms.BooleanField(label="A coach", required=False)
    improvement_support = forms.BooleanField(label="An improvement team alongside", required=False)
    relocation = forms.IntegerField(label="Relocation support (pounds)", min_value=0, initial=0)
    return_guarantee = forms.BooleanField(label="A guaranteed way back to a former level", required=False)
    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, limits=None, **kwargs):
        super().__init__(*args, **kwargs)
        if limits is not None:
            self.fields["pay_uplift_percent"].help_text = f"Up to {limits.max_uplift_percent}%"
            self.fields["pay_uplift_cap"].help_text = f"At most £{limits.max_uplift_pounds:,}"
            self.fields["bonus_percent"].help_text = f"Up to {limits.max_bonus_percent}%"


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="Decision",
        choices=[("approve", "Approve the package"), ("decline", "Decline the package")],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(label="Reason", widget=forms.Textarea(attrs={"rows": 3}))


class SearchForm(forms.Form):
    q = forms.CharField(label="Organisation name or code", required=False, max_length=100)
