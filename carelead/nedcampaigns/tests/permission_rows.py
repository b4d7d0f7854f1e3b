"""Permission-table rows for this app's pages (merged into tests/test_permissions.py).

Campaigns for RAA (region Y99) are reached by the national NED appointments team and national admins; a
campaign in another region is out of reach by id for a regional team (tested in test_pages)."""

from django.urls import reverse

from tests.permission_helpers import everyone, only

READERS = {"ned_team", "national_admin"}
RUNNERS = {"ned_team"}


def _campaign(w):
    from carelead.nedcampaigns.tests.factories import campaign

    if not hasattr(w, "ned_campaign"):
        w.ned_campaign = campaign(w)
    return w.ned_campaign


def _entry(w, stage: str):
    from carelead.nedcampaigns.tests.factories import decide, interviewed, longlisted, pool_candidate

    camp = _campaign(w)
    if stage == "interviewed":
        return interviewed(w, camp, pool_candidate(w))[0]
    entry = longlisted(w, camp, pool_candidate(w))[0]
    if stage == "shortlisted":
        decide(w, entry, "shortlist")
    return entry


def _path(name: str, **kwargs):
    return lambda w: reverse(f"nedcampaigns:{name}", kwargs={"pk": _campaign(w).pk, **kwargs})


ROWS: dict = {
    "nedcampaigns:list": (lambda w: reverse("nedcampaigns:list"), only(READERS)),
    "nedcampaigns:new": (lambda w: reverse("nedcampaigns:new") + "?org=RAA", only(RUNNERS)),
    "nedcampaigns:detail": (_path("detail"), only(READERS)),
    "nedcampaigns:edit": (_path("edit"), only(RUNNERS)),
    "nedcampaigns:open": (_path("open"), everyone(405)),
    "nedcampaigns:longlist": (_path("longlist"), only(RUNNERS)),
    "nedcampaigns:decide": (
        lambda w: reverse("nedcampaigns:decide", kwargs={"pk": _campaign(w).pk, "entry": _entry(w, "longlisted").pk}),
        only(RUNNERS),
    ),
    "nedcampaigns:appoint": (
        lambda w: reverse("nedcampaigns:appoint", kwargs={"pk": _campaign(w).pk, "entry": _entry(w, "interviewed").pk}),
        only(RUNNERS),
    ),
    "nedcampaigns:end": (_path("end"), only(RUNNERS)),
    "nedcampaigns:fairness": (_path("fairness"), only(READERS)),
}
