"""The organisation hierarchy: national, regions, ICBs, trusts, care providers and others."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from carelead.core.choices import CqcRating, OrganisationType, Sector
from carelead.core.models import TimeStampedModel


def challenged_q(prefix: str = "") -> Q:
    """Filter for challenged organisations (domain section 6), from the settings in force."""
    return Q(**{f"{prefix}oversight_segment__in": settings.CARELEAD_CHALLENGED_SEGMENTS}) | Q(
        **{f"{prefix}cqc_rating__in": settings.CARELEAD_CHALLENGED_CQC_RATINGS}
    )


class Organisation(TimeStampedModel):
    """An organisation identified by its ODS-style code, placed in the national tree."""

    code = models.CharField(max_length=12, unique=True)
    name = models.CharField(max_length=200)
    type = models.CharField(max_length=20, choices=OrganisationType.choices, db_index=True)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    sector = models.CharField(max_length=12, choices=Sector.choices, db_index=True)
    oversight_segment = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    cqc_rating = models.CharField(max_length=24, choices=CqcRating.choices, blank=True)
    # Materialised path of primary keys ("/1/7/42/") so a scope filter is one indexed prefix match.
    path = models.CharField(max_length=255, db_index=True, editable=False)
    region = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    icb = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False)

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["type", "name"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def is_challenged(self) -> bool:
        """In the Recovery Support Programme segment or rated inadequate (settings say which)."""
        return (
            self.oversight_segment in settings.CARELEAD_CHALLENGED_SEGMENTS
            or self.cqc_rating in settings.CARELEAD_CHALLENGED_CQC_RATINGS
        )

    def contains(self, other: "Organisation") -> bool:
        """True when other is this organisation or lies beneath it."""
        return other.path.startswith(self.path)
