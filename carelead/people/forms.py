"""Forms for staff search and for a person's own equality monitoring answers."""

from django import forms

from carelead.core.choices import ETHNIC_CATEGORIES, Disability, Level, PayBand, Sex

SEXUAL_ORIENTATIONS = [
    ("Heterosexual or straight", "Heterosexual or straight"),
    ("Gay or lesbian", "Gay or lesbian"),
    ("Bisexual", "Bisexual"),
    ("Other sexual orientation", "Other sexual orientation"),
    ("Prefer not to say", "Prefer not to say"),
]
RELIGIONS = [
    ("No religion", "No religion"),
    ("Buddhism", "Buddhism"),
    ("Christianity", "Christianity"),
    ("Hinduism", "Hinduism"),
    ("Islam", "Islam"),
    ("Jainism", "Jainism"),
    ("Judaism", "Judaism"),
    ("Sikhism", "Sikhism"),
    ("Other religion or belief", "Other religion or belief"),
    ("Prefer not to say", "Prefer not to say"),
]


class StaffSearchForm(forms.Form):
    q = forms.CharField(label="Name, staff ID or email", required=False, max_length=100)
    organisation = forms.CharField(label="Organisation code", required=False, max_length=12)
    pay_band = forms.ChoiceField(label="Pay band", required=False, choices=[("", "Any band"), *PayBand.choices])
    level = forms.ChoiceField(label="Level", required=False, choices=[("", "Any level"), *Level.choices])
    include_leavers = forms.BooleanField(label="Include people who have left", required=False)


class MonitoringForm(forms.Form):
    sex = forms.ChoiceField(label="Sex", choices=Sex.choices, widget=forms.RadioSelect)
    ethnic_category = forms.ChoiceField(
        label="Ethnic group",
        choices=[(code, label) for code, label in ETHNIC_CATEGORIES.items() if code not in ("99", "Z")]
        + [("", "Prefer not to say")],
        required=False,
        help_text="The categories of the NHS Data Dictionary.",
    )
    disability = forms.ChoiceField(
        label="Do you consider yourself to have a disability or long-term condition?",
        choices=[(Disability.YES, "Yes"), (Disability.NO, "No"), (Disability.UNKNOWN, "Prefer not to say")],
        widget=forms.RadioSelect,
    )
    sexual_orientation = forms.ChoiceField(
        label="Sexual orientation", choices=SEXUAL_ORIENTATIONS, widget=forms.RadioSelect
    )
    religion = forms.ChoiceField(label="Religion or belief", choices=RELIGIONS)

    def clean_ethnic_category(self):
        # "Z" is the national code for "not stated".
        return self.cleaned_data["ethnic_category"] or "Z"
