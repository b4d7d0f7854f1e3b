"""Attach the signed-in user's role assignments, and the one they are acting under, to each request."""

from carelead.accounts.roles import ROLE_PRECEDENCE

SESSION_KEY = "carelead_assignment_id"


def _default(assignments):
    order = {role: i for i, role in enumerate(ROLE_PRECEDENCE)}
    return min(assignments, key=lambda a: (order.get(a.role, 99), a.pk)) if assignments else None


class RoleAssignmentMiddleware:
    """Sets request.assignments (active ones) and request.assignment (the one acted under, or None)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.assignments = []
        request.assignment = None
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            assignments = list(
                user.assignments.filter(is_active=True).select_related("organisation").order_by("role", "pk")
            )
            chosen = request.session.get(SESSION_KEY)
            current = next((a for a in assignments if a.pk == chosen), None) or _default(assignments)
            request.assignments = assignments
            request.assignment = current
        return self.get_response(request)
