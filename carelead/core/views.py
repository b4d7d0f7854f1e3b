"""Home, health and error pages."""

from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from carelead.core.navigation import navigation_for


@login_not_required
@require_GET
@never_cache
def healthz(request):
    """200 when the app and its database answer, 503 otherwise."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        return JsonResponse({"status": "unavailable", "database": "down"}, status=503)
    return JsonResponse({"status": "ok"})


CARD_DESCRIPTIONS = {
    "people:me": "What CareLead holds about you, your employment history and your equality monitoring answers.",
    "people:team": "The people you manage, directly and through your managers.",
    "standards:my_development": "What you need for your level and the next, and the quickest way to get there.",
    "programmes:home": "Apply to the national mid-career programme and follow your application.",
    "programmes:cohorts": "Open mid-career cohorts, select applicants with reasons and record completion.",
    "standards:team": "Whether the people you manage meet their level, and how close they are to the next.",
    "standards:compliance": "Managers who do not yet meet the requirements of the level they hold.",
    "standards:induction": "Who has completed the national induction, and whose is overdue.",
    "standards:prior_learning": "Review applications for earlier learning to meet a requirement.",
    "standards:exceptions": "How often the progression gate is bypassed, and requests waiting for a decision.",
    "standards:list": "The national leadership and management standards, their versions and the curriculum.",
    "people:search": "Find staff records by name, staff ID, band, level or organisation.",
    "organisations:list": "Trusts, ICBs, regions and care providers, and which are challenged.",
    "learning:provider": "Your accredited modules and the completions you have reported.",
    "equality:dashboard": "The Workforce Race and Disability Equality Standards and the fairness monitors, from "
    "England to each organisation, with trends, comparisons and the regulator's evidence pack.",
    "appraisals:mine": "Your appraisal, and the appraisals you give: objectives, behaviours, wellbeing, development "
    "and career.",
    "appraisals:cycles": "Open the organisation's appraisal cycle, follow progress and overdue appraisals, calibrate.",
    "appraisals:completion": "Appraisal completion by organisation, ICB and region, computed from the records.",
    "appraisals:template": "The national appraisal template every organisation's cycle uses.",
    "boards:own": "Boards and their members' terms of office: tenure rules, reviews, and the seats whose terms end "
    "soon.",
    "nedpool:candidates": "People who registered interest in board roles: search by skill, region and readiness, "
    "assess them, and follow NExT Director placements and the aspiring chair programme.",
    "fitproper:board": "Each board member's annual fit and proper person test: the checks, the self-attestation, "
    "the chair's sign-off and the submission to the region.",
    "fitproper:dashboard": "Which organisations have completed and submitted their fit and proper person tests.",
    "boardappraisals:list": "Annual appraisals of chairs, non-executive and executive directors against the board "
    "competency domains.",
    "boardappraisals:completion": "Which boards have completed their members' appraisals, chairs first.",
    "feedback:mine": "Ask colleagues for 360 feedback on the six principles; answers are seen only in groups of three.",
    "feedback:rates": "How many raters each open 360 request reached, per group, without a name.",
    "talent:mine": "Your talent conversations: impact, growth, readiness, where you would work and what would help.",
    "vacancies:list": "Open leadership vacancies across health and social care: apply, and follow your applications.",
    "vacancies:routes": "What the next level looks like, what it needs, the development that gets you there and "
    "live vacancies.",
    "vacancies:manage": "Vacancies you run: applications, shortlisting and interviews with reasons, and appointment "
    "through the progression gate.",
    "talent:ninebox": "Performance and potential on a 9-box, from signed-off appraisals and talent conversations, "
    "with calibration kept beside the original.",
    "talent:pools": "The region's talent pools per level: search members by readiness, standards met, mobility and "
    "location; decide nominations.",
    "talent:nominations": "Nominate people to a regional talent pool and follow the decisions.",
    "challenged:list": "Organisations in the Recovery Support Programme or rated inadequate: status history, "
    "leadership vacancies with incentive packages, and outcomes after appointment.",
    "succession:list": "Succession plans for critical roles: ranked successors, readiness and the plans at risk.",
    "succession:regional": "Succession risk across the region's organisations: no ready-now successor, single "
    "candidates, overdue reviews.",
    "actionplans:list": "SMART equality, diversity and inclusion actions against an organisation's weakest measures.",
    "imports:list": "Upload staff, training, recruitment and other files, check them, then import.",
    "accounts:users": "Add users and manage the roles they hold.",
    "audit:list": "Who did what, and who looked at special-category data.",
}


def home(request):
    """The signed-in home page: what the current role can open."""
    cards = [
        {"href": item["href"], "heading": item["text"], "description": CARD_DESCRIPTIONS.get(item["url_name"], "")}
        for item in navigation_for(request, with_names=True)
        if item["url_name"] != "core:home"
    ]
    name = request.user.get_short_name()
    return render(request, "core/home.jinja", {"greeting": f"Welcome, {name}", "cards": cards})


@login_not_required
def accessibility(request):
    return render(request, "core/accessibility.jinja")


@login_not_required
def privacy(request):
    return render(request, "core/privacy.jinja")


def _api_error(request, status: int, code: str, message: str):
    """Under /api/ errors answer in the API's one error shape, never with a page."""
    if request.path_info.startswith("/api/"):
        return JsonResponse({"error": {"code": code, "message": message, "fields": {}}}, status=status)
    return None


def bad_request(request, exception=None):
    return _api_error(request, 400, "bad_request", "The request could not be understood.") or render(
        request, "errors/400.jinja", status=400
    )


def permission_denied(request, exception=None):
    return _api_error(request, 403, "permission_denied", "You do not have permission to do this.") or render(
        request, "errors/403.jinja", status=403
    )


def page_not_found(request, exception=None):
    return _api_error(request, 404, "not_found", "There is nothing at this address.") or render(
        request, "errors/404.jinja", status=404
    )


def server_error(request):
    api = _api_error(request, 500, "server_error", "Something went wrong on our side; nothing was changed.")
    if api is not None:
        return api
    try:
        return render(request, "errors/500.jinja", status=500)
    except Exception:
        # The page shell needs the database; when that is what failed, answer plainly.
        return HttpResponseServerError(
            "<!DOCTYPE html><html lang='en'><title>Sorry, there is a problem with the service – CareLead</title>"
            "<main><h1>Sorry, there is a problem with the service</h1><p>Try again later.</p></main></html>"
        )
