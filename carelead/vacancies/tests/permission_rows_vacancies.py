"""Permission-table rows for the vacancy pages (merged through permission_rows.py)."""

from django.urls import reverse

from tests.permission_helpers import only

APPLY_ROLES = {"staff", "line_manager", "org_hr", "regional_talent", "national_admin"}
READERS = {"org_hr", "regional_talent", "national_admin"}
MANAGERS = {"org_hr", "regional_talent"}


def _vacancy(w, **extra):
    from carelead.vacancies.tests.factories import VacancyFactory

    return VacancyFactory(organisation=w.orgs["RAA"], created_by=w.users["org_hr"], **extra)


def _application(w):
    from carelead.vacancies.tests.factories import ApplicationFactory

    return ApplicationFactory(vacancy=_vacancy(w), person=w.people["member"])


ROWS = {
    "vacancies:list": (lambda w: reverse("vacancies:list"), only(APPLY_ROLES)),
    "vacancies:detail": (lambda w: reverse("vacancies:detail", kwargs={"pk": _vacancy(w).pk}), only(APPLY_ROLES)),
    # Applying needs a staff record: the roles without one get 404.
    "vacancies:apply": (
        lambda w: reverse("vacancies:apply", kwargs={"pk": _vacancy(w).pk}),
        {**only(APPLY_ROLES, ok=404), "staff": 200, "line_manager": 200},
    ),
    "vacancies:mine": (lambda w: reverse("vacancies:mine"), only(APPLY_ROLES)),
    # The member's own application: nobody else sees it.
    "vacancies:my_application": (
        lambda w: reverse("vacancies:my_application", kwargs={"pk": _application(w).pk}),
        {**only(APPLY_ROLES, ok=404), "staff": 200},
    ),
    "vacancies:routes": (lambda w: reverse("vacancies:routes"), only(APPLY_ROLES)),
    "vacancies:manage": (lambda w: reverse("vacancies:manage"), only(READERS)),
    "vacancies:create": (lambda w: reverse("vacancies:create"), only(MANAGERS)),
    "vacancies:manage_detail": (
        lambda w: reverse("vacancies:manage_detail", kwargs={"pk": _vacancy(w).pk}),
        only(READERS),
    ),
    "vacancies:edit": (lambda w: reverse("vacancies:edit", kwargs={"pk": _vacancy(w).pk}), only(MANAGERS)),
    "vacancies:status": (lambda w: reverse("vacancies:status", kwargs={"pk": _vacancy(w).pk}), only(MANAGERS)),
    "vacancies:invite": (
        lambda w: reverse("vacancies:invite", kwargs={"pk": _vacancy(w).pk}),
        only({"regional_talent"}),
    ),
    "vacancies:application": (
        lambda w: reverse("vacancies:application", kwargs={"pk": _application(w).pk}),
        only(READERS),
    ),
}
