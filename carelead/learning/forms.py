from django import forms


class VerifyForm(forms.Form):
    credential = forms.CharField(
        label="Paste the credential",
        widget=forms.Textarea(attrs={"rows": 12}),
        max_length=100_000,
        help_text="Open the credential file the person gave you (it ends in .json) and paste all of it here.",
    )
