"""How many raters each group may have, and the anonymity threshold no setting can lower.

The limits come from the ``CARELEAD_FEEDBACK_RULES`` setting, ``{group: (minimum, maximum)}`` for the manager,
peer, direct_report and other groups (missing groups keep the defaults below); each request keeps a copy of
the limits in force when it was created, so changing the setting never changes a request already under way.
"""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from carelead.feedback.models import ANONYMOUS_GROUPS, CHOSEN_GROUPS, Group

# Peer, direct-report and other answers are shown only when at least this many in the group answered
# (domain.md section 4). It is a floor of the domain, not a setting.
ANONYMITY_THRESHOLD = 3

DEFAULT_RULES: dict[str, tuple[int, int]] = {
    Group.MANAGER: (0, 1),
    Group.PEER: (3, 8),
    Group.DIRECT_REPORT: (0, 8),
    Group.OTHER: (0, 5),
}
MOST_RATERS = 50


def rules_problems(rules: dict) -> list[str]:
    """What is wrong with a set of limits, as sentences; empty when they are usable."""
    problems = []
    if not isinstance(rules, dict) or set(rules) != set(CHOSEN_GROUPS):
        return [f"Give limits for exactly these groups: {', '.join(CHOSEN_GROUPS)}."]
    for group, limits in rules.items():
        label = Group(group).label.lower()
        try:
            low, high = (int(v) for v in limits)
        except (TypeError, ValueError):
            problems.append(f"The limits for {label} must be two whole numbers.")
            continue
        if not 0 <= low <= high <= MOST_RATERS:
            problems.append(f"The limits for {label} must satisfy 0 ≤ minimum ≤ maximum ≤ {MOST_RATERS}.")
        elif group in ANONYMOUS_GROUPS and (0 < low < ANONYMITY_THRESHOLD or 0 < high < ANONYMITY_THRESHOLD):
            problems.append(
                f"The limits for {label} must be 0 or at least {ANONYMITY_THRESHOLD}: a smaller group's answers "
                "could never be shown."
            )
    return problems


def feedback_rules_default() -> dict[str, list[int]]:
    """The limits in force now: the defaults, overridden group by group by the setting."""
    configured = getattr(settings, "CARELEAD_FEEDBACK_RULES", None) or {}
    unknown = set(configured) - set(CHOSEN_GROUPS)
    if unknown:
        raise ImproperlyConfigured(f"CARELEAD_FEEDBACK_RULES names unknown groups: {', '.join(sorted(unknown))}")
    rules = {group: list(configured.get(group, DEFAULT_RULES[group])) for group in CHOSEN_GROUPS}
    problems = rules_problems(rules)
    if problems:
        raise ImproperlyConfigured("CARELEAD_FEEDBACK_RULES: " + " ".join(problems))
    return rules


def group_count_problem(group: str, count: int, limits: tuple[int, int]) -> str:
    """Why ``count`` raters in ``group`` cannot be sent for approval, or an empty string."""
    low, high = limits
    label = Group(group).label.lower()
    if group == Group.MANAGER:
        if count < low:
            return "Add your line manager as a rater."
        if count > high:
            return f"You can ask at most {high} line manager{'s' if high != 1 else ''}."
        return ""
    if count > high:
        return f"You can ask at most {high} {label}." if high else f"You cannot ask {label} for this feedback."
    if count < low:
        return f"Ask at least {low} {label}."
    if 0 < count < ANONYMITY_THRESHOLD:
        return (
            f"Ask at least {ANONYMITY_THRESHOLD} {label}, or none: answers from a group of fewer than "
            f"{ANONYMITY_THRESHOLD} are never shown."
        )
    return ""


def rules_for(organisation) -> dict[str, list[int]]:
    """The limits for a new request about someone in this organisation: its HR team's, else the national ones."""
    from carelead.feedback.models import OrganisationRules

    own = OrganisationRules.objects.filter(organisation=organisation).values_list("rules", flat=True).first()
    if own and not rules_problems(own):
        return {group: list(own[group]) for group in CHOSEN_GROUPS}
    return feedback_rules_default()
