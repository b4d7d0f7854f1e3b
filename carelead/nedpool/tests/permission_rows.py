"""Permission-table rows for this app's pages (merged into tests/test_permissions.py)."""

from django.urls import reverse

from tests.permission_helpers import everyone, only

READERS = {"ned_team", "national_admin"}
MANAGERS = {"ned_team"}


def _candidate(w):
    from carelead.nedpool.tests.factories import candidate

    return candidate(regions=[w.orgs["Y99"]])


def _placement(w):
    from carelead.nedpool.tests.factories import placement

    return placement(candidate=_candidate(w), host=w.orgs["RAA"])


def _enrolment(w):
    from carelead.nedpool.tests.factories import enrolment

    return enrolment(candidate=_candidate(w))


ROWS: dict = {
    # The public registration needs no account.
    "nedpool:register": (lambda w: reverse("nedpool:register"), everyone(anonymous=200)),
    "nedpool:registered": (lambda w: reverse("nedpool:registered"), everyone(anonymous=200)),
    "nedpool:candidates": (lambda w: reverse("nedpool:candidates"), only(READERS)),
    "nedpool:candidate": (lambda w: reverse("nedpool:candidate", kwargs={"pk": _candidate(w).pk}), only(READERS)),
    "nedpool:assess": (lambda w: reverse("nedpool:assess", kwargs={"pk": _candidate(w).pk}), only(MANAGERS)),
    "nedpool:placement_new": (
        lambda w: reverse("nedpool:placement_new", kwargs={"pk": _candidate(w).pk}),
        only(MANAGERS),
    ),
    "nedpool:enrolment_new": (
        lambda w: reverse("nedpool:enrolment_new", kwargs={"pk": _candidate(w).pk}),
        only(MANAGERS),
    ),
    "nedpool:erase": (lambda w: reverse("nedpool:erase", kwargs={"pk": _candidate(w).pk}), only(MANAGERS)),
    "nedpool:placements": (lambda w: reverse("nedpool:placements"), only(READERS)),
    "nedpool:placement_edit": (
        lambda w: reverse("nedpool:placement_edit", kwargs={"pk": _placement(w).pk}),
        only(MANAGERS),
    ),
    "nedpool:enrolments": (lambda w: reverse("nedpool:enrolments"), only(READERS)),
    "nedpool:enrolment_edit": (
        lambda w: reverse("nedpool:enrolment_edit", kwargs={"pk": _enrolment(w).pk}),
        only(MANAGERS),
    ),
}
