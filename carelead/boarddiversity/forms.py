"""Forms for the board diversity pages: an organisation's population figures, and the overview's filters."""

from decimal import Decimal

from django import forms

from carelead.boarddiversity.models import GROUPS, Dimension
from carelead.boarddiversity.selectors import SORTS
from carelead.boarddiversity.services import FIRST_YEAR, Figure, field_key, last_year
from carelead.boards.forms import ORGANISATION_TYPES

SOURCE_HINT = "For example, Census 2021, local authorities served"


class PopulationReferenceForm(forms.Form):
    """Every group's share of each dimension, with the source and year of each dimension's figures. A blank share
    means no figure for that group; a dimension with no shares has no figures."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.dimensions: list[tuple[str, str, list[str]]] = []
        for dimension in Dimension:
            names = []
            for group, label in GROUPS[dimension].items():
                name = field_key(dimension, group)
                self.fields[name] = forms.DecimalField(
                    label=f"{label} (%)",
                    required=False,
                    max_digits=4,
                    decimal_places=1,
                    min_value=0,
                    max_value=100,
                    error_messages={
                        "invalid": f"Enter the share of {label} as a number, like 12.5",
                        "min_value": f"Enter the share of {label} as a percentage from 0 to 100",
                        "max_value": f"Enter the share of {label} as a percentage from 0 to 100",
                        "max_decimal_places": f"Give the share of {label} to one decimal place at most, like 12.5",
                        "max_digits": f"Enter the share of {label} as a percentage from 0 to 100",
                        "max_whole_digits": f"Enter the share of {label} as a percentage from 0 to 100",
                    },
                )
                names.append(name)
            self.fields[f"source_{dimension}"] = forms.CharField(
                label=f"Source of the {dimension.label.lower()} figures",
                required=False,
                max_length=200,
                help_text=SOURCE_HINT,
                error_messages={"max_length": "The source can be 200 characters at most"},
            )
            self.fields[f"year_{dimension}"] = forms.IntegerField(
                label=f"Year the {dimension.label.lower()} figures describe",
                required=False,
                min_value=FIRST_YEAR,
                max_value=last_year(),
                help_text="For example, 2021",
                error_messages={
                    "invalid": "Enter the year as four digits, like 2021",
                    "min_value": f"Enter a year from {FIRST_YEAR} to {last_year()}",
                    "max_value": f"Enter a year from {FIRST_YEAR} to {last_year()}",
                },
            )
            self.dimensions.append((dimension, dimension.label, names))

    @staticmethod
    def initial_from(references) -> dict:
        """The form's starting values from the figures held."""
        initial: dict = {}
        for ref in references:
            initial[field_key(ref.dimension, ref.group)] = ref.share
            initial.setdefault(f"source_{ref.dimension}", ref.source)
            initial.setdefault(f"year_{ref.dimension}", ref.year)
        return initial

    def clean(self):
        cleaned = super().clean()
        for dimension, label, names in self.dimensions:
            given = [n for n in names if cleaned.get(n) is not None]
            if not given:
                continue
            if not cleaned.get(f"source_{dimension}") and f"source_{dimension}" not in self.errors:
                self.add_error(f"source_{dimension}", f"Enter where the {label.lower()} figures come from")
            if cleaned.get(f"year_{dimension}") is None and f"year_{dimension}" not in self.errors:
                self.add_error(f"year_{dimension}", f"Enter the year the {label.lower()} figures describe")
            total = sum((cleaned[n] for n in given), Decimal(0))
            if total > 100:
                self.add_error(
                    given[0],
                    f"The {label.lower()} shares add up to {total:.1f}%: they can add up to 100% at most",
                )
        return cleaned

    def figures(self) -> dict[str, list[Figure]]:
        """The figures entered, by dimension, for ``population_references_save``."""
        out: dict[str, list[Figure]] = {}
        for dimension, _, _ in self.dimensions:
            source = self.cleaned_data.get(f"source_{dimension}") or ""
            year = self.cleaned_data.get(f"year_{dimension}") or 0
            out[dimension] = [
                Figure(dimension, group, self.cleaned_data[field_key(dimension, group)], source, year)
                for group in GROUPS[dimension]
                if self.cleaned_data.get(field_key(dimension, group)) is not None
            ]
        return out

    def service_field(self, key: str) -> str:
        """The field a service problem belongs on: a dimension's problems go on its first share."""
        if key in self.fields:
            return key
        if key in GROUPS:
            return field_key(key, next(iter(GROUPS[key])))
        return key


class OverviewFilterForm(forms.Form):
    period = forms.CharField(label="Financial year", required=False, help_text="For example, 2025-26")
    region = forms.ChoiceField(label="Region", required=False)
    organisation_type = forms.ChoiceField(
        label="Type of organisation", required=False, choices=[("", "All types"), *ORGANISATION_TYPES]
    )
    sort = forms.ChoiceField(label="Sort by", required=False, choices=list(SORTS.items()))

    def __init__(self, *args, regions, **kwargs):
        super().__init__(*args, **kwargs)
        self.regions = {r.code: r for r in regions}
        self.fields["region"].choices = [("", "All regions"), *[(r.code, r.name) for r in regions]]
