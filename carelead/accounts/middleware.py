"""Attach the signed-in user's role assignments, and the one they are acting under, to each request; and hold
each signed-in session to the sign-in rules (its time limits and the second factor)."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

from carelead.accounts.oidc import oidc_second_factor_given
from carelead.accounts.roles import ROLE_PRECEDENCE
from carelead.accounts.twofactor import totp_device_for, user_needs_two_factor

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


SIGNED_IN_AT_KEY = "carelead_signed_in_at"
SEEN_AT_KEY = "carelead_seen_at"
SIGNED_OUT_KEY = "carelead_signed_out"


def session_mark_signed_in(session) -> None:
    """Note in a new sign-in's session when it began, for the absolute and idle limits."""
    now = int(timezone.now().timestamp())
    session[SIGNED_IN_AT_KEY] = now
    session[SEEN_AT_KEY] = now


def before_two_factor(view):
    """Mark a view that a signed-in user who still owes their second factor may open."""
    view.carelead_before_two_factor = True
    return view


class SignInMiddleware:
    """Holds each signed-in session to the sign-in rules.

    A session ends SESSION_COOKIE_AGE after sign-in, or after CARELEAD_SESSION_IDLE_SECONDS without a request.
    Until a user who needs two-factor sign-in has given their code (or, where the site allows it, signed in through
    the OpenID Connect provider), they reach only the views marked
    ``before_two_factor`` (the code, set-up and sign-out pages); the API refuses their session, while token
    authentication for integrations is unaffected.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.two_factor_pending = False
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            if self._expired(request):
                return self.get_response(request)
            request.two_factor_pending = (
                user_needs_two_factor(user=user, roles=[a.role for a in request.assignments])
                and not user.is_verified()
                and not oidc_second_factor_given(request.session)
            )
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not request.two_factor_pending or getattr(view_func, "carelead_before_two_factor", False):
            return None
        if request.path_info.startswith("/api/"):
            if request.headers.get("Authorization", "").split(" ")[0].lower() == "token":
                return None
            return JsonResponse(
                {
                    "error": {
                        "code": "two_factor_required",
                        "message": "Finish signing in with your two-factor code before using the API with this "
                        "session, or use an API token.",
                        "fields": {},
                    }
                },
                status=403,
            )
        target = "accounts:two_factor_verify" if totp_device_for(user=request.user) else "accounts:two_factor_setup"
        url = reverse(target)
        if request.method == "GET":
            url += "?" + urlencode({"next": request.get_full_path()})
        return redirect(url)

    @staticmethod
    def _expired(request) -> bool:
        """Sign out a session past its limits (True), else note the activity now and then (False)."""
        session, now = request.session, int(timezone.now().timestamp())
        signed_in_at = session.get(SIGNED_IN_AT_KEY)
        seen_at = session.get(SEEN_AT_KEY)
        if signed_in_at is None or seen_at is None:
            # A session from before these limits: they start counting now.
            session_mark_signed_in(session)
            return False
        idle = settings.CARELEAD_SESSION_IDLE_SECONDS
        reason = None
        if now - signed_in_at > settings.SESSION_COOKIE_AGE:
            reason = "expired"
        elif idle and now - seen_at > idle:
            reason = "idle"
        if reason is None:
            # Written at most every tenth of the idle limit, not on every request.
            if idle and now - seen_at > idle // 10:
                session[SEEN_AT_KEY] = now
            return False
        logout(request)
        request.assignments, request.assignment = [], None
        request.session[SIGNED_OUT_KEY] = reason
        return True
