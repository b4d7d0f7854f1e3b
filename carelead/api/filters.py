"""Filters for API lists that refuse values they do not understand rather than ignore them."""

import django_filters
from django import forms


class StrictBooleanField(forms.Field):
    """``true`` or ``false`` (as the schema says); anything else is an error, not "no filter"."""

    def to_python(self, value):
        if value in (None, ""):
            return None
        text = str(value).strip().lower()
        if text not in ("true", "false"):
            raise forms.ValidationError("Enter true or false.", code="invalid")
        return text == "true"


class StrictBooleanFilter(django_filters.BooleanFilter):
    field_class = StrictBooleanField


class StrictChoiceField(forms.ChoiceField):
    """One of the listed codes when the parameter is given; given empty is an error, not "no filter"."""

    def clean(self, value):
        if value == "":
            raise forms.ValidationError("Choose one of the listed codes.", code="invalid_choice")
        return super().clean(value)


class StrictChoiceFilter(django_filters.ChoiceFilter):
    field_class = StrictChoiceField
