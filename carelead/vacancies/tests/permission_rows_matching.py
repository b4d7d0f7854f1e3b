"""Permission-table rows of the matching pages (merged through permission_rows.py)."""

from django.urls import reverse

from tests.permission_helpers import everyone, only


def _vacancy(w):
    from carelead.vacancies.tests.factories import VacancyFactory

    return VacancyFactory(organisation=w.orgs["RAA"], created_by=w.users["org_hr"])


ROWS: dict = {
    # The region's talent team and national administrators (read only) open a vacancy's ranking.
    "vacancies:match": (
        lambda w: reverse("vacancies:match", kwargs={"pk": _vacancy(w).pk}),
        only({"regional_talent", "national_admin"}),
    ),
    "vacancies:match_invite": (
        lambda w: reverse("vacancies:match_invite", kwargs={"pk": _vacancy(w).pk}),
        everyone(405),
    ),
}
