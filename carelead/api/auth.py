"""How an API request acts: the token's or session's user, under one of their role assignments."""

from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import BasePermission

from carelead.accounts.middleware import SESSION_KEY, _default
from carelead.accounts.permissions import assignment_has

ASSIGNMENT_HEADER = "X-CareLead-Assignment"


def api_assignment(request):
    """The assignment an API call acts under: the header's, else the session's, else the default one."""
    cached = getattr(request, "_carelead_assignment", None)
    if cached is not None:
        return cached
    user = request.user
    assignments = list(user.assignments.filter(is_active=True).select_related("organisation"))
    wanted = request.headers.get(ASSIGNMENT_HEADER)
    if wanted:
        chosen = next((a for a in assignments if str(a.pk) == wanted), None)
        if chosen is None:
            raise PermissionDenied(f"You hold no active role assignment {wanted}.")
    else:
        session = getattr(request, "session", None)
        chosen_id = session.get(SESSION_KEY) if session is not None else None
        chosen = next((a for a in assignments if a.pk == chosen_id), None) or _default(assignments)
    request._carelead_assignment = chosen
    return chosen


class HasPermission(BasePermission):
    """DRF permission: the acting assignment must hold the view's ``required_permission``."""

    def has_permission(self, request, view) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        code = getattr(view, "required_permission", None)
        return code is None or assignment_has(api_assignment(request), code)
