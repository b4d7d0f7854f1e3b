"""Appraisal ratings in the fairness monitors: who is rated good or exceptional, by ethnicity, disability, sex and
age band. Registered once here; the equality pages, downloads and trends pick it up."""

from django.db.models import Q, Value
from django.db.models.functions import Coalesce, NullIf

from carelead.core.choices import FAVOURABLE_RATINGS
from carelead.equality.engine import Period
from carelead.equality.monitors import Decision, Source, register


def _rated(period: Period) -> Source:
    from carelead.appraisals.models import Appraisal

    signed = Appraisal.objects.filter(
        signed_off_on__gte=period.start,
        signed_off_on__lte=period.end,
        state__in=[Appraisal.State.SIGNED_OFF, Appraisal.State.CALIBRATED, Appraisal.State.CLOSED],
    ).exclude(overall_rating="")
    # The rating that counts: the calibrated one when calibration changed it.
    signed = signed.annotate(final=Coalesce(NullIf("calibrated_rating", Value("")), "overall_rating"))
    return Source(
        signed, Q(final__in=list(FAVOURABLE_RATINGS)), "person__monitoring__", "person__organisation_id", period.end
    )


register(
    Decision(
        "FAIR-APPRAISAL",
        "Appraisal rated good or exceptional",
        "appraisals signed off in the year (the calibrated rating where calibration changed it)",
        "an overall rating of good or exceptional",
        _rated,
    )
)
