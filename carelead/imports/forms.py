from django import forms
from django.conf import settings

from carelead.imports.registry import KINDS

ALLOWED_SUFFIXES = (".csv", ".xlsx")


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label="What the file holds", widget=forms.RadioSelect)
    file = forms.FileField(
        label="Upload a file",
        help_text="A CSV file saved as UTF-8, or an Excel workbook (.xlsx). The first row names the columns.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    def __init__(self, *args, kinds: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k, KINDS[k].title) for k in kinds]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        name = upload.name.lower()
        if not name.endswith(ALLOWED_SUFFIXES):
            raise forms.ValidationError("The selected file must be a CSV or XLSX file")
        if upload.size == 0:
            raise forms.ValidationError("The selected file is empty")
        if upload.size > settings.CARELEAD_IMPORT_MAX_BYTES:
            limit = settings.CARELEAD_IMPORT_MAX_BYTES // (1024 * 1024)
            raise forms.ValidationError(f"The selected file must be smaller than {limit} MB")
        head = upload.read(4)
        upload.seek(0)
        if name.endswith(".xlsx") and head != b"PK\x03\x04":
            raise forms.ValidationError("The selected file is not a real Excel workbook")
        if name.endswith(".csv") and b"\x00" in head:
            raise forms.ValidationError("The selected file is not a text CSV file")
        return upload
