"""NED campaign decisions in the fairness monitors, by ethnicity, disability and sex from the candidates' equality
monitoring (candidates are not asked their age, so the age band comparisons stay empty). Registered once here;
the equality pages, downloads and trends pick them up.

- FAIR-NED-SHORTLIST: of the longlisted candidates decided on at shortlisting in the year, who was shortlisted.
- FAIR-NED-INTERVIEW: of the shortlisted candidates decided on at interview in the year, who was found appointable.
- FAIR-NED-APPOINT: of the longlisted candidates whose campaign ended for them in the year (not taken forward at
  any step, or appointed), who was appointed: the whole journey from longlist to board seat.

Like admission to the pool (FAIR-NED-POOL), candidates belong to no one organisation, and a campaign's handful of
decisions would reveal individuals at organisation or regional level, so every decision is counted once,
at national level only.
"""

from django.db.models import Exists, OuterRef, Q, Value
from django.db.models.functions import TruncDate

from carelead.equality.engine import Period
from carelead.equality.monitors import Decision, Source, register


def _national_id() -> int | None:
    from carelead.core.choices import OrganisationType
    from carelead.organisations.models import Organisation

    return (
        Organisation.objects.filter(type=OrganisationType.NATIONAL).order_by("pk").values_list("pk", flat=True).first()
    )


def _step(step: str):
    def source(period: Period) -> Source:
        from carelead.nedcampaigns.models import CampaignDecision

        national_id = _national_id()
        decided = (
            CampaignDecision.objects.filter(step=step)
            .annotate(decided_on=TruncDate("at"))
            .filter(decided_on__gte=period.start, decided_on__lte=period.end)
        )
        if national_id is None:
            decided = decided.none()
        return Source(
            decided.annotate(national_body=Value(national_id or 0)),
            Q(outcome=CampaignDecision.Outcome.PROGRESSED),
            "entry__candidate__monitoring__",
            "national_body",
            period.end,
        )

    return source


def _appointed(period: Period) -> Source:
    from carelead.nedcampaigns.models import CampaignCandidate, CampaignDecision, Stage, Step

    national_id = _national_id()
    final = (
        CampaignDecision.objects.filter(entry_id=OuterRef("pk"))
        .filter(Q(outcome=CampaignDecision.Outcome.NOT_PROGRESSED) | Q(step=Step.APPOINTMENT))
        .annotate(decided_on=TruncDate("at"))
        .filter(decided_on__gte=period.start, decided_on__lte=period.end)
    )
    ended = CampaignCandidate.objects.filter(Exists(final))
    if national_id is None:
        ended = ended.none()
    return Source(
        ended.annotate(national_body=Value(national_id or 0)),
        Q(stage=Stage.APPOINTED),
        "candidate__monitoring__",
        "national_body",
        period.end,
    )


register(
    Decision(
        "FAIR-NED-SHORTLIST",
        "Shortlisting in NED campaigns",
        "candidates on NED campaign longlists decided on at shortlisting in the year (counted nationally)",
        "shortlisted for interview",
        _step("shortlist"),
    )
)
register(
    Decision(
        "FAIR-NED-INTERVIEW",
        "Interview outcomes in NED campaigns",
        "shortlisted NED campaign candidates decided on at interview in the year (counted nationally)",
        "found appointable at interview",
        _step("interview"),
    )
)
register(
    Decision(
        "FAIR-NED-APPOINT",
        "Appointment to boards from NED campaigns",
        "candidates on NED campaign longlists whose campaign ended for them in the year: not taken forward at "
        "any step, or appointed (counted nationally)",
        "appointed to the board",
        _appointed,
    )
)
