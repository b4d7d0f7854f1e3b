from django import forms

from carelead.core.choices import OrganisationType, Sector


class OrganisationFilterForm(forms.Form):
    q = forms.CharField(label="Name or code", required=False, max_length=100)
    type = forms.ChoiceField(label="Type", required=False, choices=[("", "Any type"), *OrganisationType.choices])
    region = forms.ChoiceField(label="Region", required=False)
    sector = forms.ChoiceField(label="Sector", required=False, choices=[("", "Any sector"), *Sector.choices])
    challenged = forms.ChoiceField(
        label="Challenged",
        required=False,
        choices=[("", "Any"), ("yes", "Challenged only"), ("no", "Not challenged")],
        help_text="In the Recovery Support Programme segment or rated inadequate by the CQC.",
    )

    def __init__(self, *args, regions: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", "Any region"), *regions]
