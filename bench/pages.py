"""The main pages of every demo persona, and the progression gate for one person, on a loaded demo.

Run in a process whose DATABASE_URL holds a demo (`carelead demo --size region` on SQLite, or the national demo
on PostgreSQL):

    python -m bench.pages --runs 9

Pages: each demo persona (the logins `carelead demo` creates, found by their sign-in addresses) is signed in
with Django's test client under its one role assignment, its second factor given as a whole sign-in leaves it,
and opens its landing page and the main lists and dashboards it works from. Each page is requested once untimed
(its cold time and status are kept: the session starts and caches such as the equality figures fill there; with
no task worker beside it, missing figures are computed inside that request, as CARELEAD_FIGURES_IN_REQUEST=1
does), then N times; the median and 95th percentile of the time around each request are reported, with the
queries the last request made. Any answer other than 200 is reported as an error for that page. The time is the
server's, in process: no network, no web server, no static files. Everything the sign-ins and pages write is
rolled back at the end.

Eligibility: `eligibility_for_level` for the first 50 middle managers (by key) who have training records, for a
senior role, one call each after one warm-up call; the baseline is a plain query reading the same person's
training records. Prints one JSON line.
"""

import argparse
import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass

# The level whose people are checked for the level above, and how many of them.
ELIGIBILITY_LEVEL = "middle"
ELIGIBILITY_PEOPLE = 50


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


@dataclass(frozen=True)
class Demo:
    """What the persona pages need from the loaded demo: the personas' users, trust, region and a few keys."""

    users: dict
    trust: str
    region: str
    pool: int | None
    case: int | None


def find_demo() -> Demo:
    """The demo personas' users, found by the sign-in addresses `carelead demo` gives them."""
    from django.db.models import Count

    from carelead.accounts.models import User
    from carelead.accounts.roles import Role
    from carelead.demo import catalogue
    from carelead.demo.personas import PERSONAS, persona_emails
    from carelead.organisations.models import Organisation
    from carelead.speakup.models import Case
    from carelead.talent.models import TalentPool

    hr = (
        User.objects.filter(
            email__startswith="hr.lead@", assignments__role="org_hr", assignments__organisation__isnull=False
        )
        .order_by("pk")
        .first()
    )
    if hr is None:
        raise SystemExit("no demo personas in this database: load one with `carelead demo`")
    trust = hr.assignments.get(role="org_hr").organisation
    region = Organisation.objects.get(pk=trust.region_id)
    emails = persona_emails(
        trust_code=trust.code, region_code=region.code, provider_code=catalogue.TRAINING_PROVIDER[0]
    )
    users = {str(role): User.objects.get(email=email.lower()) for role, email in emails.items()}
    for role in ("staff", "line_manager"):
        users[role] = (
            User.objects.filter(
                assignments__role=role,
                assignments__organisation=trust,
                assignments__is_active=True,
                person__isnull=False,
            )
            .order_by("pk")
            .first()
        )
    # The demo's personas but its systems administrator, whose pages are user administration only.
    missing = [str(p) for p in PERSONAS if p != Role.ORG_ADMIN and users.get(str(p)) is None]
    if missing:
        raise SystemExit(f"demo personas missing: {', '.join(missing)}")
    pool = (
        TalentPool.objects.filter(region=region)
        .annotate(members=Count("memberships"))
        .order_by("-members", "pk")
        .values_list("pk", flat=True)
        .first()
    )
    case = Case.objects.filter(organisation=trust).order_by("pk").values_list("pk", flat=True).first()
    return Demo(users=users, trust=trust.code, region=region.code, pool=pool, case=case)


def persona_pages(demo: Demo) -> dict[str, list[tuple[str, Callable[[], str]]]]:
    """persona -> [(url name, path)]: the landing page first, then the pages the persona works from."""
    from django.urls import reverse

    def page(name: str, query: str = "", **kwargs) -> tuple[str, Callable[[], str]]:
        return name, lambda: reverse(name, kwargs=kwargs or None) + query

    trust = demo.trust
    home = page("core:home")
    return {
        "staff": [
            home,
            page("people:me"),
            page("standards:my_development"),
            page("appraisals:mine"),
            page("talent:mine"),
            page("feedback:mine"),
            page("vacancies:list"),
            page("programmes:home"),
        ],
        "line_manager": [
            home,
            page("people:team"),
            page("standards:team"),
            page("talent:ninebox"),
            page("feedback:team"),
            page("talent:nominations"),
            page("programmes:support"),
            page("appraisals:mine"),
        ],
        "org_hr": [
            home,
            page("people:search", "?q=smith"),
            page("equality:dashboard"),
            page("equality:measures"),
            page("appraisals:completion"),
            page("standards:compliance"),
            page("succession:list"),
            page("boards:board", code=trust),
        ],
        "regional_talent": [
            home,
            page("organisations:list"),
            page("equality:dashboard"),
            page("talent:pools"),
            *([page("talent:pool", pk=demo.pool)] if demo.pool else []),
            page("succession:regional"),
            page("boards:endings"),
            page("boardskills:gaps"),
        ],
        "ned_team": [
            home,
            page("boards:endings"),
            page("boards:board", code=trust),
            page("boardskills:gaps"),
            page("nedpool:candidates"),
            page("nedcampaigns:list"),
            page("fitproper:dashboard"),
            page("boarddiversity:overview"),
        ],
        "provider": [
            home,
            page("learning:provider"),
            page("standards:curriculum"),
            page("standards:list"),
            page("organisations:list"),
        ],
        "regulator": [
            home,
            page("equality:dashboard"),
            page("equality:measures"),
            page("equality:fairness", "?scope=national"),
            page("appraisals:completion"),
            page("standards:induction"),
            page("speakup_returns:return", "?scope=national"),
        ],
        "guardian": [
            home,
            page("speakup:cases"),
            *([page("speakup:case", pk=demo.case)] if demo.case else []),
            page("speakup_returns:return", f"?scope=org:{trust}"),
            page("speakup_returns:trends", f"?scope=org:{trust}"),
        ],
        "national_admin": [
            home,
            page("organisations:list"),
            page("people:search", "?q=smith"),
            page("equality:dashboard"),
            page("boards:endings"),
            page("nedpool:candidates"),
            page("vacancies:list"),
            page("succession:regional"),
        ],
    }


def _get(client, path: str):
    response = client.get(path)
    if getattr(response, "streaming", False):
        for _ in response.streaming_content:
            pass
    return response


def measure_page(client, persona: str, name: str, path: str, runs: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    row = {"persona": persona, "path": path, "name": name}
    started = time.perf_counter()
    response = _get(client, path)
    row["cold_ms"] = round((time.perf_counter() - started) * 1000, 1)
    row["status"] = response.status_code
    if response.status_code != 200:
        row["error"] = f"HTTP {response.status_code}"
        return row
    times = []
    for run in range(runs):
        if run == runs - 1:
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = _get(client, path)
                times.append((time.perf_counter() - started) * 1000)
            row["queries"] = len(captured)
        else:
            started = time.perf_counter()
            response = _get(client, path)
            times.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            row["status"] = response.status_code
            row["error"] = f"HTTP {response.status_code} on a repeat"
            return row
    row["median_ms"] = round(statistics.median(times), 1)
    row["p95_ms"] = round(_percentile(times, 0.95), 1)
    return row


def sign_in(client, user) -> None:
    """Sign the client in as a whole sign-in leaves the session: its time limits started and, for a role that
    needs it, the second factor given with the user's authenticator app (one is made for a user who has none;
    the caller rolls it back)."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from carelead.accounts.middleware import session_mark_signed_in
    from carelead.accounts.twofactor import TOTP_DEVICE_NAME, totp_device_for, user_needs_two_factor

    client.force_login(user)
    session = client.session
    session_mark_signed_in(session)
    if user_needs_two_factor(user=user):
        device = totp_device_for(user=user) or TOTPDevice.objects.create(
            user=user, name=TOTP_DEVICE_NAME, confirmed=True
        )
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


def pages_run(demo: Demo, runs: int, only: set[str] = frozenset()) -> list[dict]:
    """Every persona's pages, inside one transaction that is rolled back at the end: the sign-ins, sessions and
    whatever the page views record leave nothing behind in the database."""
    from django.conf import settings
    from django.db import transaction
    from django.test import Client
    from django.urls import NoReverseMatch

    # The test client's requests name the host "testserver".
    if "*" not in settings.ALLOWED_HOSTS:
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    # No task worker runs beside the benchmark: missing equality figures are computed in the warm-up request
    # (as on a site run without a worker) rather than queued, so the cold time includes computing them.
    settings.CARELEAD_FIGURES_IN_REQUEST = True
    rows = []
    with transaction.atomic():
        for persona, pages in persona_pages(demo).items():
            if only and persona not in only:
                continue
            client = Client(raise_request_exception=False)
            sign_in(client, demo.users[persona])
            for name, path in pages:
                try:
                    url = path()
                except NoReverseMatch as error:  # a page that no longer exists is an error for that page
                    rows.append({"persona": persona, "path": "", "name": name, "status": None, "error": repr(error)})
                    continue
                rows.append(measure_page(client, persona, name, url, runs))
                print(json.dumps(rows[-1]), file=sys.stderr, flush=True)
        transaction.set_rollback(True)
    return rows


def eligibility_run() -> dict:
    from django.db import connection
    from django.db.models import Exists, OuterRef
    from django.test.utils import CaptureQueriesContext

    from carelead.learning.models import TrainingRecord
    from carelead.people.models import Person
    from carelead.standards.gate import eligibility_for_level, next_level

    level = next_level(ELIGIBILITY_LEVEL)
    people = list(
        Person.objects.filter(level=ELIGIBILITY_LEVEL)
        .filter(Exists(TrainingRecord.objects.filter(person=OuterRef("pk"))))
        .order_by("pk")[:ELIGIBILITY_PEOPLE]
    )
    if not people:
        return {"people": 0, "error": f"no {ELIGIBILITY_LEVEL} people with training records"}
    eligibility_for_level(person=people[0], level=level)
    list(TrainingRecord.objects.filter(person=people[0]))
    times, baseline, queries, eligible = [], [], [], 0
    for person in people:
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            result = eligibility_for_level(person=person, level=level)
            times.append((time.perf_counter() - started) * 1000)
        queries.append(len(captured))
        eligible += bool(result.eligible)
        started = time.perf_counter()
        list(TrainingRecord.objects.filter(person=person))
        baseline.append((time.perf_counter() - started) * 1000)
    return {
        "people": len(people),
        "from_level": ELIGIBILITY_LEVEL,
        "level": level,
        "eligible": eligible,
        "median_ms": round(statistics.median(times), 2),
        "p95_ms": round(_percentile(times, 0.95), 2),
        "queries": max(queries),
        "queries_min": min(queries),
        "baseline_median_ms": round(statistics.median(baseline), 2),
        "baseline_p95_ms": round(_percentile(baseline, 0.95), 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=9, help="timed requests per page after the warm-up")
    parser.add_argument("--personas", default="", help="only these personas (comma-separated); all by default")
    parser.add_argument("--no-eligibility", action="store_true", help="pages only")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    import django

    django.setup()
    from django.db import connection

    from carelead.people.models import Person

    staff = Person.objects.count()
    demo = find_demo()
    only = {p for p in args.personas.split(",") if p}
    pages = pages_run(demo, max(1, args.runs), only=only)
    eligibility = None if args.no_eligibility else eligibility_run()
    result = {
        "benchmark": "pages",
        "database": connection.vendor,
        "staff": staff,
        "runs": args.runs,
        "pages": pages,
        "eligibility": eligibility,
    }
    print(json.dumps(result))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
