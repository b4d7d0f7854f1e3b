"""Every URL of the project, for every persona and for an anonymous visitor, answers as personas.md says.

The table is the specification: a URL missing from it fails the first test, so every new page must say who
may open it. Values are status codes; "login" means a redirect to the sign-in page.
"""

import importlib

import pytest
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from carelead.actionplans.tests.factories import ActionFactory
from carelead.boardappraisals.tests.factories import chair_appraisal
from carelead.feedback.tests.factories import FeedbackRequestFactory, open_request
from carelead.imports.models import ImportJob
from conftest import PERSONAS
from tests.permission_helpers import (
    ADMINS,
    ALL,
    EQUALITY_READERS,
    IMPORTERS,
    STAFF_READERS,
    WITH_RECORD,
    everyone,
    only,
)

FRAMEWORK = {
    "code": "TEST",
    "kind": "board",
    "version": 1,
    "title": "Test framework",
    "domains": [
        {
            "code": "D1",
            "title": "Domain",
            "standards": [{"code": "S1", "title": "Standard", "indicators": {"executive": ["Does the right thing"]}}],
        }
    ],
}


def member_appraisal(w):
    from carelead.appraisals.models import Appraisal
    from carelead.appraisals.tests.test_workflow import open_cycle

    cycle = open_cycle(w)
    return Appraisal.objects.get(cycle=cycle, person=w.people["member"])


def conversation(w):
    from carelead.talent.models import TalentConversation

    return TalentConversation.objects.create(
        person=w.people["member"],
        held_with=w.people["manager"],
        held_on=w.people["member"].start_date,
        impact="medium",
        growth="high",
        growth_direction="breadth",
        readiness="ready_now",
        recorded_by=w.users["staff"],
    )


def calibration(w):
    from carelead.appraisals.models import CalibrationSession

    cycle = member_appraisal(w).cycle
    return CalibrationSession.objects.create(
        cycle=cycle, title="Band 5", held_on=cycle.opens_on, created_by=w.users["org_hr"]
    )


# name -> (how to build the path from the world, expected answers)
TABLE = {
    "core:home": (lambda w: reverse("core:home"), everyone()),
    "core:healthz": (lambda w: reverse("core:healthz"), everyone(anonymous=200)),
    "core:accessibility": (lambda w: reverse("core:accessibility"), everyone(anonymous=200)),
    "core:privacy": (lambda w: reverse("core:privacy"), everyone(anonymous=200)),
    "accounts:login": (lambda w: reverse("accounts:login"), everyone(302, anonymous=200)),
    "accounts:logout": (lambda w: reverse("accounts:logout"), everyone()),
    # Single sign-on is off unless a site turns it on (tests/oidc covers it on): not found for anyone.
    "accounts:oidc_authenticate": (lambda w: reverse("accounts:oidc_authenticate"), everyone(404, anonymous=404)),
    "accounts:oidc_callback": (lambda w: reverse("accounts:oidc_callback"), everyone(404, anonymous=404)),
    "accounts:password_reset": (lambda w: reverse("accounts:password_reset"), everyone(anonymous=200)),
    "accounts:password_reset_done": (lambda w: reverse("accounts:password_reset_done"), everyone(anonymous=200)),
    "accounts:password_reset_confirm": (
        lambda w: reverse("accounts:password_reset_confirm", kwargs={"uidb64": "MQ", "token": "bad-token"}),
        everyone(anonymous=200),
    ),
    "accounts:password_reset_complete": (
        lambda w: reverse("accounts:password_reset_complete"),
        everyone(anonymous=200),
    ),
    "accounts:switch_role": (lambda w: reverse("accounts:switch_role"), everyone()),
    "accounts:two_factor": (lambda w: reverse("accounts:two_factor"), everyone()),
    # A signed-in session that has given its second factor (or needs none) is sent on from the code page.
    "accounts:two_factor_verify": (lambda w: reverse("accounts:two_factor_verify"), everyone(302)),
    # Staff need no authenticator app and are sent to the status page; everyone else may set up a new one.
    "accounts:two_factor_setup": (
        lambda w: reverse("accounts:two_factor_setup"),
        only(ALL - {"staff"}, other=302),
    ),
    # New recovery codes are shown once, after they are made; otherwise the page sends you to the status page.
    "accounts:two_factor_codes": (lambda w: reverse("accounts:two_factor_codes"), everyone(302)),
    "accounts:two_factor_codes_new": (lambda w: reverse("accounts:two_factor_codes_new"), everyone(405)),
    "accounts:user_two_factor_reset": (
        lambda w: reverse("accounts:user_two_factor_reset", kwargs={"pk": w.users["staff"].pk}),
        everyone(405),
    ),
    "accounts:users": (lambda w: reverse("accounts:users"), only(ADMINS)),
    "accounts:user_new": (lambda w: reverse("accounts:user_new"), only(ADMINS)),
    "accounts:user": (lambda w: reverse("accounts:user", kwargs={"pk": w.users["staff"].pk}), only(ADMINS)),
    "accounts:user_link": (lambda w: reverse("accounts:user_link", kwargs={"pk": w.users["staff"].pk}), everyone(405)),
    "accounts:user_active": (
        lambda w: reverse("accounts:user_active", kwargs={"pk": w.users["staff"].pk}),
        everyone(405),
    ),
    "accounts:assignment_revoke": (
        lambda w: reverse("accounts:assignment_revoke", kwargs={"pk": w.users["staff"].assignments.get().pk}),
        everyone(405),
    ),
    "organisations:list": (lambda w: reverse("organisations:list"), everyone()),
    "organisations:detail": (lambda w: reverse("organisations:detail", kwargs={"code": "RAA"}), everyone()),
    "people:me": (lambda w: reverse("people:me"), only(WITH_RECORD)),
    "people:me_monitoring": (lambda w: reverse("people:me_monitoring"), only(WITH_RECORD)),
    "people:team": (lambda w: reverse("people:team"), only({"line_manager"})),
    "people:search": (lambda w: reverse("people:search"), only(STAFF_READERS)),
    "people:detail": (
        lambda w: reverse("people:detail", kwargs={"staff_id": w.people["member"].staff_id}),
        only(STAFF_READERS | WITH_RECORD, other=404),
    ),
    "equality:dashboard": (lambda w: reverse("equality:dashboard"), only(EQUALITY_READERS)),
    "talent:mine": (lambda w: reverse("talent:mine"), only(ALL)),
    "talent:new": (lambda w: reverse("talent:new"), only(WITH_RECORD, other=404)),
    "talent:detail": (
        lambda w: reverse("talent:detail", kwargs={"pk": conversation(w).pk}),
        only(WITH_RECORD, other=404),
    ),
    "appraisals:mine": (lambda w: reverse("appraisals:mine"), only(ALL)),
    "appraisals:detail": (
        lambda w: reverse("appraisals:detail", kwargs={"pk": member_appraisal(w).pk}),
        only({"staff", "line_manager", "org_hr"}, other=404),
    ),
    "appraisals:cycles": (lambda w: reverse("appraisals:cycles"), only({"org_hr"})),
    "appraisals:cycle": (
        lambda w: reverse("appraisals:cycle", kwargs={"pk": member_appraisal(w).cycle_id}),
        only({"org_hr"}),
    ),
    "appraisals:cycle_export": (
        lambda w: reverse("appraisals:cycle_export", kwargs={"pk": member_appraisal(w).cycle_id}),
        only({"org_hr"}),
    ),
    "appraisals:calibration": (
        lambda w: reverse("appraisals:calibration", kwargs={"pk": calibration(w).pk}),
        only({"org_hr"}),
    ),
    "appraisals:template": (lambda w: reverse("appraisals:template"), only({"national_admin"})),
    "appraisals:completion": (
        lambda w: reverse("appraisals:completion"),
        only({"org_hr", "regional_talent", "national_admin", "regulator"}),
    ),
    "equality:measures": (lambda w: reverse("equality:measures"), only(EQUALITY_READERS)),
    "equality:measure": (lambda w: reverse("equality:measure", kwargs={"code": "WRES3"}), only(EQUALITY_READERS)),
    "equality:fairness": (lambda w: reverse("equality:fairness") + "?scope=national", only(EQUALITY_READERS)),
    "equality:compare": (lambda w: reverse("equality:compare") + "?scope=national", only(EQUALITY_READERS)),
    "equality:evidence": (lambda w: reverse("equality:evidence") + "?scope=org:RAA", only(EQUALITY_READERS)),
    "equality:evidence_download": (
        lambda w: reverse("equality:evidence_download") + "?scope=org:RAA",
        only(EQUALITY_READERS),
    ),
    "imports:list": (lambda w: reverse("imports:list"), only(IMPORTERS)),
    "imports:new": (lambda w: reverse("imports:new"), only(IMPORTERS)),
    "imports:detail": (lambda w: reverse("imports:detail", kwargs={"pk": w.job.pk}), only(IMPORTERS)),
    "imports:confirm": (lambda w: reverse("imports:confirm", kwargs={"pk": w.job.pk}), everyone(405)),
    "imports:cancel": (lambda w: reverse("imports:cancel", kwargs={"pk": w.job.pk}), everyone(405)),
    "audit:list": (lambda w: reverse("audit:list"), only(ADMINS)),
    "standards:list": (lambda w: reverse("standards:list"), everyone()),
    "standards:exceptions": (
        lambda w: reverse("standards:exceptions"),
        only({"org_hr", "regional_talent", "national_admin", "regulator"}),
    ),
    "programmes:home": (lambda w: reverse("programmes:home"), only(WITH_RECORD)),
    "programmes:apply": (lambda w: reverse("programmes:apply", kwargs={"code": "NONE"}), only(WITH_RECORD, ok=404)),
    "programmes:support": (lambda w: reverse("programmes:support"), only({"line_manager"})),
    "programmes:cohorts": (lambda w: reverse("programmes:cohorts"), only({"regional_talent", "national_admin"})),
    "programmes:cohort": (
        lambda w: reverse("programmes:cohort", kwargs={"code": "NONE"}),
        only({"regional_talent", "national_admin"}, ok=404),
    ),
    "standards:team": (lambda w: reverse("standards:team"), only({"line_manager"})),
    "standards:compliance": (lambda w: reverse("standards:compliance"), only({"org_hr"})),
    "standards:induction": (
        lambda w: reverse("standards:induction"),
        only({"org_hr", "regional_talent", "national_admin", "regulator"}),
    ),
    "standards:prior_learning": (lambda w: reverse("standards:prior_learning"), only({"org_hr", "national_admin"})),
    "standards:prior_learning_new": (lambda w: reverse("standards:prior_learning_new"), only(WITH_RECORD)),
    "standards:prior_learning_decide": (
        lambda w: reverse("standards:prior_learning_decide", kwargs={"pk": w.prior.pk}),
        only({"org_hr", "national_admin"}),
    ),
    "standards:exception_decide": (lambda w: reverse("standards:exception_decide", kwargs={"pk": 1}), everyone(405)),
    "standards:change_level": (
        lambda w: reverse("standards:change_level", kwargs={"staff_id": w.people["member"].staff_id}),
        only({"org_hr"}),
    ),
    "standards:exception_new": (
        lambda w: reverse("standards:exception_new", kwargs={"staff_id": w.people["member"].staff_id}),
        only({"org_hr"}),
    ),
    "standards:curriculum": (lambda w: reverse("standards:curriculum"), everyone()),
    "standards:my_development": (lambda w: reverse("standards:my_development"), only(WITH_RECORD)),
    "standards:upload": (lambda w: reverse("standards:upload"), only({"national_admin"})),
    "standards:providers": (lambda w: reverse("standards:providers"), only({"national_admin"})),
    "standards:accreditation_status": (
        lambda w: reverse("standards:accreditation_status", kwargs={"pk": 1}),
        everyone(405),
    ),
    "standards:draft_replace": (
        lambda w: reverse("standards:draft_replace", kwargs={"code": w.framework.code, "version": 1}),
        everyone(405),
    ),
    "standards:draft_delete": (
        lambda w: reverse("standards:draft_delete", kwargs={"code": w.framework.code, "version": 1}),
        everyone(405),
    ),
    "standards:compare": (lambda w: reverse("standards:compare", kwargs={"code": w.framework.code}), everyone()),
    "standards:framework": (
        lambda w: reverse("standards:framework", kwargs={"code": w.framework.code, "version": 1}),
        everyone(),
    ),
    "standards:export": (
        lambda w: reverse("standards:export", kwargs={"code": w.framework.code, "version": 1}),
        everyone(),
    ),
    "standards:publish": (
        lambda w: reverse("standards:publish", kwargs={"code": w.framework.code, "version": 1}),
        everyone(405),
    ),
    "standards:new_version": (
        lambda w: reverse("standards:new_version", kwargs={"code": w.framework.code, "version": 1}),
        everyone(405),
    ),
    "api:api-root": (lambda w: reverse("api:api-root"), everyone(anonymous=401)),
    "api:organisation-list": (lambda w: reverse("api:organisation-list"), everyone(anonymous=401)),
    "api:organisation-detail": (
        lambda w: reverse("api:organisation-detail", kwargs={"code": "RAA"}),
        everyone(anonymous=401),
    ),
    "api:person-list": (lambda w: reverse("api:person-list"), only(STAFF_READERS, anonymous=401)),
    "api:person-detail": (
        lambda w: reverse("api:person-detail", kwargs={"staff_id": w.people["member"].staff_id}),
        only(STAFF_READERS, anonymous=401),
    ),
    "api:completions": (lambda w: reverse("api:completions"), only({"provider"}, ok=405, anonymous=401)),
    "api:xapi-statements": (lambda w: reverse("api:xapi-statements"), only({"provider"}, ok=405, anonymous=401)),
    "credentials:verify": (lambda w: reverse("credentials:verify"), everyone(anonymous=200)),
    "credentials:issuer": (lambda w: reverse("credentials:issuer"), everyone(anonymous=200)),
    "credentials:download": (
        lambda w: reverse("credentials:download", kwargs={"record_id": "NO-SUCH-RECORD"}),
        only(WITH_RECORD, ok=404),
    ),
    "learning:offering": (
        lambda w: reverse("learning:offering", kwargs={"module_code": "IND-101"}),
        only({"provider"}),
    ),
    "learning:provider": (lambda w: reverse("learning:provider"), only({"provider"})),
    "api:equality": (
        lambda w: reverse("api:equality", kwargs={"standard": "wres"}),
        only({"org_hr", "regional_talent", "national_admin", "regulator", "ned_team"}, anonymous=401),
    ),
    "api:schema": (lambda w: reverse("api:schema") + "?format=json", everyone(anonymous=200)),
    "api:docs": (lambda w: reverse("api:docs"), everyone(anonymous=200)),
    "actionplans:list": (
        lambda w: reverse("actionplans:list") + "?org=RAA",
        only({"org_hr", "regional_talent", "national_admin", "regulator", "ned_team"}),
    ),
    "actionplans:summary": (
        lambda w: reverse("actionplans:summary"),
        only({"regional_talent", "national_admin", "regulator", "ned_team"}),
    ),
    "actionplans:download": (
        lambda w: reverse("actionplans:download") + "?org=RAA",
        only({"org_hr", "regional_talent", "national_admin", "regulator", "ned_team"}),
    ),
    "actionplans:create": (lambda w: reverse("actionplans:create") + "?org=RAA", only({"org_hr", "national_admin"})),
    "actionplans:detail": (
        lambda w: reverse("actionplans:detail", kwargs={"pk": ActionFactory(organisation=w.orgs["RAA"]).pk}),
        only({"org_hr", "regional_talent", "national_admin", "regulator", "ned_team"}),
    ),
    "actionplans:edit": (
        lambda w: reverse("actionplans:edit", kwargs={"pk": ActionFactory(organisation=w.orgs["RAA"]).pk}),
        only({"org_hr", "national_admin"}),
    ),
    "boardappraisals:list": (
        lambda w: reverse("boardappraisals:list") + "?org=RAA",
        only({"org_hr", "regional_talent", "ned_team", "national_admin"}),
    ),
    "boardappraisals:start": (
        lambda w: reverse("boardappraisals:start") + "?org=RAA",
        only({"org_hr", "national_admin"}),
    ),
    "boardappraisals:completion": (
        lambda w: reverse("boardappraisals:completion"),
        only({"regional_talent", "ned_team", "national_admin", "regulator"}),
    ),
    "boardappraisals:mine": (lambda w: reverse("boardappraisals:mine"), only(WITH_RECORD)),
    "boardappraisals:detail": (
        lambda w: reverse("boardappraisals:detail", kwargs={"pk": chair_appraisal(w).pk}),
        {**only({"org_hr", "regional_talent", "national_admin"}), "staff": 404, "line_manager": 404},
    ),
    "boardappraisals:section": (
        lambda w: reverse("boardappraisals:section", kwargs={"pk": chair_appraisal(w).pk, "section": "objectives"}),
        only({"org_hr", "national_admin"}),
    ),
    "boardappraisals:move": (
        lambda w: reverse("boardappraisals:move", kwargs={"pk": chair_appraisal(w).pk}) + "?to=feedback",
        only({"org_hr", "national_admin"}),
    ),
    "boardappraisals:sign_off": (
        lambda w: reverse("boardappraisals:sign_off", kwargs={"pk": chair_appraisal(w).pk}),
        only({"org_hr", "regional_talent", "national_admin"}),
    ),
    "feedback:mine": (lambda w: reverse("feedback:mine"), only(WITH_RECORD)),
    "feedback:new": (lambda w: reverse("feedback:new"), only(WITH_RECORD)),
    "feedback:team": (lambda w: reverse("feedback:team"), only({"line_manager"})),
    "feedback:rules": (lambda w: reverse("feedback:rules"), only({"org_hr"})),
    "feedback:rates": (lambda w: reverse("feedback:rates"), only({"org_hr", "national_admin"})),
    "feedback:detail": (
        lambda w: reverse(
            "feedback:detail",
            kwargs={"pk": FeedbackRequestFactory(person=w.people["member"], manager=w.people["manager"]).pk},
        ),
        only(WITH_RECORD, other=404),
    ),
    "feedback:raters": (
        lambda w: reverse(
            "feedback:raters",
            kwargs={"pk": FeedbackRequestFactory(person=w.people["member"], manager=w.people["manager"]).pk},
        ),
        only(WITH_RECORD, other=404),
    ),
    "feedback:approve": (
        lambda w: reverse(
            "feedback:approve",
            kwargs={
                "pk": FeedbackRequestFactory(
                    person=w.people["member"], manager=w.people["manager"], status="awaiting_approval"
                ).pk
            },
        ),
        only({"line_manager"}),
    ),
    "feedback:self_answer": (
        lambda w: reverse(
            "feedback:self_answer",
            kwargs={"pk": open_request(person=w.people["member"], manager=w.people["manager"])[0].pk},
        ),
        {**only({"staff"}), "line_manager": 404},
    ),
    "feedback:rater_remove": (
        lambda w: reverse("feedback:rater_remove", kwargs={"pk": 1, "rater_pk": 1}),
        everyone(405),
    ),
    "feedback:submit": (lambda w: reverse("feedback:submit", kwargs={"pk": 1}), everyone(405)),
    "feedback:close": (lambda w: reverse("feedback:close", kwargs={"pk": 1}), everyone(405)),
    # The questionnaire raters open from their email: public, the link's secret is the key.
    "feedback:answer": (
        lambda w: (
            reverse("feedback:answer")
            + "?t="
            + open_request(person=w.people["member"], groups={"peer": 3})[1]["peer"][0]
        ),
        everyone(anonymous=200),
    ),
}

# Apps that keep their own rows beside their code (carelead/<app>/tests/permission_rows.py, a ROWS dict).
for _app in (
    "talent",
    "succession",
    "vacancies",
    "challenged",
    "boards",
    "nedpool",
    "fitproper",
    "boardskills",
    "boarddiversity",
    "nedcampaigns",
    "speakup",
    "people",
):
    _rows = importlib.import_module(f"carelead.{_app}.tests.permission_rows").ROWS
    assert not set(_rows) & set(TABLE), f"{_app} repeats rows of the project table"
    TABLE.update(_rows)


def _url_names(resolver=None, prefix="") -> set[str]:
    names = set()
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            ns = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
            names |= _url_names(pattern, ns)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(f"{prefix}{pattern.name}")
    return names


def test_every_named_url_is_in_the_table():
    assert _url_names() == set(TABLE), "add new URLs to the permission table"


@pytest.fixture
def job(world):
    job = ImportJob(
        kind="staff",
        original_name="staff.csv",
        size=10,
        created_by=world.users["org_hr"],
        organisation=world.orgs["RAA"],
        status=ImportJob.Status.INVALID,
    )
    job.file.save("staff.csv", ContentFile(b"staff_id\n"), save=False)
    job.save()
    world.job = job
    from carelead.standards.loading import framework_load

    world.framework = framework_load(FRAMEWORK, status="published")
    from carelead.standards.models import PriorLearning, Requirement

    world.prior = PriorLearning.objects.create(
        person=world.people["member"], evidence="NVQ level 3", requirement=Requirement.objects.get(code="REQ-INDUCTION")
    )
    return job


@pytest.mark.parametrize("name", sorted(TABLE))
def test_access(name, world, job, client, django_user_model):
    build, expected = TABLE[name]
    path = build(world)
    seen = {}
    for who in ["anonymous", *PERSONAS]:
        client.logout()
        if who != "anonymous":
            client.force_login(world.users[who])
        response = client.get(path, HTTP_ACCEPT="text/html,application/json")
        if response.status_code == 302 and "/accounts/login/" in response.get("Location", ""):
            seen[who] = "login"
        else:
            seen[who] = response.status_code
    assert seen == expected
