"""Permission-table rows for this app's pages (merged into tests/test_permissions.py)."""

from django.urls import reverse

from tests.permission_helpers import only

VIEWERS = {"org_hr", "regional_talent", "national_admin", "regulator"}


def _vacancy(w):
    """A leadership vacancy at RBB, the challenged trust of the region Y99 (outside the org_hr's RAA)."""
    from carelead.vacancies.tests.factories import VacancyFactory

    return VacancyFactory(organisation=w.orgs["RBB"], level="senior", created_by=w.users["org_hr"])


def _package(w):
    from carelead.challenged.models import IncentivePackage

    return IncentivePackage.objects.create(
        vacancy=_vacancy(w), pay_uplift_percent=5, pay_uplift_cap=10000, proposed_by=w.users["national_admin"]
    )


ROWS: dict = {
    "challenged:list": (lambda w: reverse("challenged:list"), only(VIEWERS)),
    "challenged:dashboard": (lambda w: reverse("challenged:dashboard"), only(VIEWERS)),
    # RBB is in the region Y99: the HR lead of RAA is refused it as not found.
    "challenged:organisation": (
        lambda w: reverse("challenged:organisation", kwargs={"code": "RBB"}),
        {**only(VIEWERS), "org_hr": 404},
    ),
    "challenged:status_new": (
        lambda w: reverse("challenged:status_new", kwargs={"code": "RBB"}),
        only({"regional_talent", "national_admin"}),
    ),
    "challenged:package_propose": (
        lambda w: reverse("challenged:package_propose", kwargs={"pk": _vacancy(w).pk}),
        {**only({"regional_talent"}), "org_hr": 404},
    ),
    "challenged:package_decide": (
        lambda w: reverse("challenged:package_decide", kwargs={"pk": _package(w).pk}),
        only({"regional_talent"}),
    ),
}
