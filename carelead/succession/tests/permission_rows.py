"""Permission-table rows for this app's pages (merged into tests/test_permissions.py).

Succession plans are confidential to HR (its organisation) and the regional talent team (its region); national
administrators read them. Nobody else opens them, candidates included."""

from django.urls import reverse

from tests.permission_helpers import everyone, only

READERS = {"org_hr", "regional_talent", "national_admin"}
MANAGERS = {"org_hr", "regional_talent"}


def _plan(w):
    from carelead.succession.tests.factories import PlanFactory

    return PlanFactory(organisation=w.orgs["RAA"], incumbent=w.people["exec"], created_by=w.users["org_hr"])


def _candidate(w):
    from carelead.succession.tests.factories import CandidateFactory

    return CandidateFactory(plan=_plan(w), person=w.people["others"][0])


def _candidate_url(name: str):
    def build(w):
        candidate = _candidate(w)
        return reverse(f"succession:{name}", kwargs={"pk": candidate.plan_id, "candidate_pk": candidate.pk})

    return build


ROWS: dict = {
    "succession:list": (lambda w: reverse("succession:list"), only(READERS)),
    "succession:new": (lambda w: reverse("succession:new"), only(MANAGERS)),
    "succession:defaults": (lambda w: reverse("succession:defaults"), only(MANAGERS)),
    "succession:regional": (lambda w: reverse("succession:regional"), only({"regional_talent", "national_admin"})),
    "succession:regional_download": (
        lambda w: reverse("succession:regional_download"),
        only({"regional_talent", "national_admin"}),
    ),
    "succession:detail": (lambda w: reverse("succession:detail", kwargs={"pk": _plan(w).pk}), only(READERS)),
    "succession:edit": (lambda w: reverse("succession:edit", kwargs={"pk": _plan(w).pk}), only(MANAGERS)),
    "succession:candidate_add": (
        lambda w: reverse("succession:candidate_add", kwargs={"pk": _plan(w).pk}),
        only(MANAGERS),
    ),
    "succession:candidate_edit": (_candidate_url("candidate_edit"), only(MANAGERS)),
    "succession:candidate_remove": (_candidate_url("candidate_remove"), only(MANAGERS)),
    "succession:candidate_move": (_candidate_url("candidate_move"), everyone(405)),
    "succession:candidate_emergency": (_candidate_url("candidate_emergency"), everyone(405)),
}
