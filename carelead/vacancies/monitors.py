"""Shortlisting in the fairness monitors: of the applications made in CareLead and decided at shortlisting in the
year, who is shortlisted, by ethnicity, disability, sex and age band. Registered once here; the equality pages,
downloads and trends pick it up."""

from django.db.models import Exists, OuterRef

from carelead.equality.engine import Period
from carelead.equality.monitors import Decision, Source, register


def _shortlisting(period: Period) -> Source:
    from carelead.vacancies.models import Application, ApplicationDecision, ApplicationStatus

    def decided(*statuses: str):
        return ApplicationDecision.objects.filter(
            application=OuterRef("pk"),
            status__in=statuses,
            at__date__gte=period.start,
            at__date__lte=period.end,
        )

    at_shortlisting = Application.objects.filter(
        Exists(decided(ApplicationStatus.SHORTLISTED, ApplicationStatus.NOT_SHORTLISTED))
    )
    return Source(
        at_shortlisting,
        Exists(decided(ApplicationStatus.SHORTLISTED)),
        "person__monitoring__",
        "vacancy__organisation_id",
        period.end,
    )


register(
    Decision(
        "FAIR-SHORTLIST",
        "Shortlisting for leadership vacancies",
        "applications made in CareLead that were decided at shortlisting in the year",
        "shortlisted",
        _shortlisting,
    )
)
