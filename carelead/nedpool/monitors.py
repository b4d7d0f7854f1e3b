"""Admission to the NED candidate pool in the fairness monitors: of the candidates the team assessed in the year,
who was admitted to the pool, by ethnicity, disability and sex (candidates are not asked their age, so the age
band comparisons stay empty). Registered once here; the equality pages, downloads and trends pick it up.

Candidates name any number of regions rather than belonging to one organisation, so each is counted once, at
national level; regional figures would count a candidate in several regions or pick one of them arbitrarily.
"""

from django.db.models import Q, Value

from carelead.equality.engine import Period
from carelead.equality.monitors import Decision, Source, register


def _admitted(period: Period) -> Source:
    from carelead.core.choices import OrganisationType
    from carelead.nedpool.models import Candidate
    from carelead.organisations.models import Organisation

    national = Organisation.objects.filter(type=OrganisationType.NATIONAL).order_by("pk").values_list("pk", flat=True)
    national_id = national.first()
    assessed = Candidate.objects.filter(assessed_on__gte=period.start, assessed_on__lte=period.end)
    if national_id is None:
        assessed = assessed.none()
    return Source(
        assessed.annotate(national_body=Value(national_id or 0)),
        Q(admitted_on__isnull=False),
        "monitoring__",
        "national_body",
        period.end,
    )


register(
    Decision(
        "FAIR-NED-POOL",
        "Admission to the NED candidate pool",
        "NED candidates first assessed by the NED appointments team in the year (counted nationally)",
        "admitted to the candidate pool (then or since)",
        _admitted,
    )
)
