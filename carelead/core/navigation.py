"""The page shell every template gets: who is signed in, the role they act under and what they may open."""

from dataclasses import dataclass

from django.contrib import messages
from django.urls import reverse

from carelead.accounts.permissions import MANAGE_USERS, VIEW_AUDIT, assignment_has
from carelead.actionplans.permissions import VIEW_ACTIONS
from carelead.appraisals.permissions import PUBLISH_TEMPLATE, RUN_CYCLE, VIEW_COMPLETION
from carelead.boardappraisals.permissions import VIEW_BOARD_APPRAISAL_COMPLETION, VIEW_BOARD_APPRAISALS
from carelead.boarddiversity.permissions import VIEW_BOARD_DIVERSITY_OVERVIEW
from carelead.boards.permissions import VIEW_BOARDS
from carelead.boardskills.permissions import VIEW_BOARD_SKILLS
from carelead.challenged.permissions import VIEW_CHALLENGED
from carelead.equality.permissions import VIEW_EQUALITY
from carelead.feedback.permissions import ASK_FEEDBACK, VIEW_RESPONSE_RATES
from carelead.fitproper.permissions import RECORD_FPP, VIEW_FPP_DASHBOARD
from carelead.imports.permissions import IMPORT_DATA
from carelead.learning.permissions import POST_COMPLETIONS
from carelead.nedcampaigns.permissions import VIEW_CAMPAIGNS
from carelead.nedpool.permissions import VIEW_CANDIDATES
from carelead.organisations.permissions import VIEW_ORGANISATIONS
from carelead.people.permissions import VIEW_OWN_RECORD, VIEW_STAFF, VIEW_TEAM
from carelead.speakup.permissions import HANDLE as HANDLE_SPEAKUP
from carelead.speakup.permissions_returns import VIEW_RETURN as VIEW_SPEAKUP_RETURN
from carelead.standards.permissions import (
    REVIEW_PRIOR_LEARNING,
    RUN_PROGRAMME,
    VIEW_COMPLIANCE,
    VIEW_EXCEPTIONS,
    VIEW_INDUCTION,
    VIEW_STANDARDS,
)
from carelead.succession.permissions import VIEW_SUCCESSION, VIEW_SUCCESSION_RISK
from carelead.talent.permissions import NOMINATE_TO_POOL, VIEW_NINEBOX, VIEW_POOLS
from carelead.vacancies.permissions import APPLY, VIEW_RECRUITMENT


@dataclass(frozen=True)
class NavItem:
    text: str
    url_name: str
    permission: str | None
    needs_person: bool = False


NAVIGATION = [
    NavItem("Home", "core:home", None),
    NavItem("My record", "people:me", VIEW_OWN_RECORD, needs_person=True),
    NavItem("My development", "standards:my_development", VIEW_OWN_RECORD, needs_person=True),
    NavItem("Mid-career programme", "programmes:home", VIEW_OWN_RECORD, needs_person=True),
    NavItem("Appraisals", "appraisals:mine", VIEW_OWN_RECORD, needs_person=True),
    NavItem("360 feedback", "feedback:mine", ASK_FEEDBACK, needs_person=True),
    NavItem("Talent conversations", "talent:mine", VIEW_OWN_RECORD, needs_person=True),
    NavItem("Vacancies", "vacancies:list", APPLY),
    NavItem("Progression routes", "vacancies:routes", APPLY),
    NavItem("My team", "people:team", VIEW_TEAM, needs_person=True),
    NavItem("Team development", "standards:team", VIEW_TEAM, needs_person=True),
    NavItem("Staff", "people:search", VIEW_STAFF),
    NavItem("Organisations", "organisations:list", VIEW_ORGANISATIONS),
    NavItem("Equality", "equality:dashboard", VIEW_EQUALITY),
    NavItem("EDI action plans", "actionplans:list", VIEW_ACTIONS),
    NavItem("Standards", "standards:list", VIEW_STANDARDS),
    NavItem("Induction", "standards:induction", VIEW_INDUCTION),
    NavItem("Compliance", "standards:compliance", VIEW_COMPLIANCE),
    NavItem("Appraisal cycles", "appraisals:cycles", RUN_CYCLE),
    NavItem("Appraisal completion", "appraisals:completion", VIEW_COMPLETION),
    NavItem("360 response rates", "feedback:rates", VIEW_RESPONSE_RATES),
    NavItem("Appraisal template", "appraisals:template", PUBLISH_TEMPLATE),
    NavItem("Boards", "boards:own", VIEW_BOARDS),
    NavItem("Board skills", "boardskills:own", VIEW_BOARD_SKILLS),
    NavItem("Board diversity", "boarddiversity:overview", VIEW_BOARD_DIVERSITY_OVERVIEW),
    NavItem("NED candidate pool", "nedpool:candidates", VIEW_CANDIDATES),
    NavItem("NED campaigns", "nedcampaigns:list", VIEW_CAMPAIGNS),
    NavItem("Board appraisals", "boardappraisals:list", VIEW_BOARD_APPRAISALS),
    NavItem("Fit and proper tests", "fitproper:board", RECORD_FPP),
    NavItem("Fit and proper completeness", "fitproper:dashboard", VIEW_FPP_DASHBOARD),
    NavItem("Board appraisal completion", "boardappraisals:completion", VIEW_BOARD_APPRAISAL_COMPLETION),
    NavItem("Speak-up cases", "speakup:cases", HANDLE_SPEAKUP),
    NavItem("Speak-up return", "speakup_returns:return", VIEW_SPEAKUP_RETURN),
    NavItem("Vacancies you run", "vacancies:manage", VIEW_RECRUITMENT),
    NavItem("9-box", "talent:ninebox", VIEW_NINEBOX),
    NavItem("Talent pools", "talent:pools", VIEW_POOLS),
    NavItem("Pool nominations", "talent:nominations", NOMINATE_TO_POOL),
    NavItem("Challenged organisations", "challenged:list", VIEW_CHALLENGED),
    NavItem("Succession plans", "succession:list", VIEW_SUCCESSION),
    NavItem("Succession risk", "succession:regional", VIEW_SUCCESSION_RISK),
    NavItem("Cohorts", "programmes:cohorts", RUN_PROGRAMME),
    NavItem("Prior learning", "standards:prior_learning", REVIEW_PRIOR_LEARNING),
    NavItem("Gate exceptions", "standards:exceptions", VIEW_EXCEPTIONS),
    NavItem("Imports", "imports:list", IMPORT_DATA),
    NavItem("Your modules", "learning:provider", POST_COMPLETIONS),
    NavItem("Users", "accounts:users", MANAGE_USERS),
    NavItem("Audit log", "audit:list", VIEW_AUDIT),
]


def navigation_for(request, *, with_names: bool = False) -> list[dict]:
    """The menu items the current role may open, with the current section marked."""
    assignment = getattr(request, "assignment", None)
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    items = []
    for item in NAVIGATION:
        if item.permission and not assignment_has(assignment, item.permission):
            continue
        if item.needs_person and not user.person_id:
            continue
        href = reverse(item.url_name)
        current = request.path == href if href == "/" else request.path.startswith(href)
        entry = {"text": item.text, "href": href, "active": current}
        if with_names:
            entry["url_name"] = item.url_name
        items.append(entry)
    return items


def shell(request) -> dict:
    """Context processor for the Jinja2 templates."""
    return {
        "shell": {
            "assignment": getattr(request, "assignment", None),
            "assignments": getattr(request, "assignments", []),
            "navigation": navigation_for(request),
            "messages": list(messages.get_messages(request)),
        }
    }
