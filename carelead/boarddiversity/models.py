"""Reference figures for the population an organisation serves, to set its board's diversity beside."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from carelead.core.models import TimeStampedModel


class Dimension(models.TextChoices):
    ETHNICITY = "ethnicity", "Ethnicity"
    SEX = "sex", "Sex"
    DISABILITY = "disability", "Disability"


# The groups of each dimension. Ethnic groups are the broad groups of the project's code list (NHS Data Dictionary
# ETHNIC CATEGORY, 2001 census basis): the first letter of a code places a person in one of them. Chinese (R)
# sits in "other" there, as it did in the 2001 census.
GROUPS: dict[str, dict[str, str]] = {
    Dimension.ETHNICITY: {
        "white": "White",
        "mixed": "Mixed or multiple ethnic groups",
        "asian": "Asian or Asian British",
        "black": "Black or Black British",
        "other": "Other ethnic group",
    },
    Dimension.SEX: {"female": "Female", "male": "Male"},
    Dimension.DISABILITY: {"disabled": "Disabled", "non_disabled": "Not disabled"},
}
ETHNIC_GROUP_LETTERS = {
    "white": "ABC",
    "mixed": "DEFG",
    "asian": "HJKL",
    "black": "MNP",
    "other": "RS",
}
BME_GROUPS = ("mixed", "asian", "black", "other")


def group_label(dimension: str, group: str) -> str:
    return GROUPS.get(dimension, {}).get(group, group)


def _valid_groups_q() -> Q:
    q = Q()
    for dimension, groups in GROUPS.items():
        q |= Q(dimension=dimension, group__in=list(groups))
    return q


class PopulationReference(TimeStampedModel):
    """One group's share of the population an organisation serves, such as the census share of the local
    authorities it covers. The shares of one dimension add up to 100 at most."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="population_references"
    )
    dimension = models.CharField(max_length=12, choices=Dimension.choices)
    group = models.CharField(max_length=16)
    share = models.DecimalField(
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text="Percentage of the population, 0 to 100, to one decimal place",
    )
    source = models.CharField(max_length=200)
    year = models.PositiveSmallIntegerField(help_text="The year the figure describes")
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["organisation", "dimension", "group"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "dimension", "group"], name="boarddiversity_reference_unique_group"
            ),
            models.CheckConstraint(
                condition=Q(share__gte=0) & Q(share__lte=100), name="boarddiversity_reference_share_range"
            ),
            models.CheckConstraint(condition=_valid_groups_q(), name="boarddiversity_reference_group_valid"),
        ]

    def __str__(self) -> str:
        return f"{group_label(self.dimension, self.group)}: {self.share}% ({self.organisation_id})"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.dimension in GROUPS and self.group not in GROUPS[self.dimension]:
            raise ValidationError(
                {"group": f"“{self.group}” is not a group of {self.get_dimension_display().lower()}."}
            )
