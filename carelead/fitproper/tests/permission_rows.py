"""Permission-table rows for this app's pages (merged into tests/test_permissions.py)."""

from django.urls import reverse

from tests.permission_helpers import only

RECORDERS = {"org_hr", "ned_team"}
RESTRICTED = {"ned_team"}
DASHBOARD = {"regional_talent", "ned_team", "national_admin", "regulator"}


def _assessment(w):
    from carelead.boardappraisals.tests.factories import BoardMemberFactory
    from carelead.fitproper.tests.factories import assessment_for

    member = BoardMemberFactory(organisation=w.orgs["RAA"], name="Nina Nonexec")
    return assessment_for(member, by=w.users["org_hr"])


def _evidence(w):
    from carelead.fitproper.tests.factories import evidence_for

    return evidence_for(_assessment(w), by=w.users["org_hr"])


def _leaver(w, written: bool):
    from carelead.fitproper.tests.factories import leaver, reference_for

    member = leaver(w.orgs["RAA"])
    if written:
        reference_for(member, by=w.users["ned_team"])
    return member


ROWS: dict = {
    "fitproper:board": (lambda w: reverse("fitproper:board") + "?org=RAA", only(RECORDERS)),
    "fitproper:start": (lambda w: reverse("fitproper:start") + "?org=RAA", only(RECORDERS)),
    "fitproper:submit": (lambda w: reverse("fitproper:submit") + "?org=RAA", only(RECORDERS)),
    "fitproper:detail": (lambda w: reverse("fitproper:detail", kwargs={"pk": _assessment(w).pk}), only(RECORDERS)),
    "fitproper:check": (
        lambda w: reverse("fitproper:check", kwargs={"pk": _assessment(w).pk, "kind": "identity"}),
        only(RECORDERS),
    ),
    "fitproper:attestation": (
        lambda w: reverse("fitproper:attestation", kwargs={"pk": _assessment(w).pk}),
        only(RECORDERS),
    ),
    "fitproper:sign_off": (
        lambda w: reverse("fitproper:sign_off", kwargs={"pk": _assessment(w).pk}),
        only(RESTRICTED),
    ),
    "fitproper:evidence": (lambda w: reverse("fitproper:evidence", kwargs={"pk": _evidence(w).pk}), only(RESTRICTED)),
    "fitproper:dashboard": (lambda w: reverse("fitproper:dashboard"), only(DASHBOARD)),
    "fitproper:dashboard_csv": (lambda w: reverse("fitproper:dashboard_csv"), only(DASHBOARD)),
    "fitproper:references": (lambda w: reverse("fitproper:references") + "?org=RAA", only(RESTRICTED)),
    "fitproper:reference": (
        lambda w: reverse("fitproper:reference", kwargs={"member": _leaver(w, written=True).pk}),
        only(RESTRICTED),
    ),
    "fitproper:reference_write": (
        lambda w: reverse("fitproper:reference_write", kwargs={"member": _leaver(w, written=False).pk}),
        only(RESTRICTED),
    ),
}
