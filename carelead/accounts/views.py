"""Sign in and out (with the second factor), password reset, switching role, and user administration."""

import logging

import django_otp
import requests
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, SuspiciousOperation, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_static.models import StaticDevice
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from carelead.accounts.forms import (
    GrantRoleForm,
    LinkPersonForm,
    SignInForm,
    SwitchRoleForm,
    TwoFactorCodeForm,
    UserCreateForm,
    UserSearchForm,
)
from carelead.accounts.middleware import SESSION_KEY, SIGNED_OUT_KEY, before_two_factor, session_mark_signed_in
from carelead.accounts.models import RoleAssignment
from carelead.accounts.oidc import (
    DID_NOT_WORK,
    REFUSED_KEY,
    SIGNED_IN_WITH_KEY,
    SIGNED_IN_WITH_OIDC,
    oidc_enabled,
    oidc_second_factor_given,
)
from carelead.accounts.permissions import MANAGE_USERS, Scope, permission_required
from carelead.accounts.roles import ROLE_SCOPES, Role
from carelead.accounts.selectors import user_get, user_list
from carelead.accounts.services import (
    recovery_codes_replace,
    role_grant,
    role_revoke,
    totp_device_confirm,
    totp_device_start,
    two_factor_check,
    two_factor_reset,
    user_create,
    user_link_person,
    user_set_active,
)
from carelead.accounts.twofactor import (
    totp_device_for,
    totp_qr_svg,
    totp_secret_grouped,
    two_factor_status,
    user_needs_two_factor,
)
from carelead.audit.models import AuditLog
from carelead.audit.services import Actor, audit_record
from carelead.organisations.models import Organisation

logger = logging.getLogger(__name__)

# New recovery codes wait here between the request that makes them and the page that shows them, once.
NEW_CODES_KEY = "carelead_new_recovery_codes"


def _after_sign_in(request, user, *, next_url: str, method: str | None = None, second_factor_given: bool = False):
    """What every way of signing in does once the user is known: mark the session, record the sign-in, and send
    someone whose role needs two factors (and has not given the second elsewhere) to give it; None to carry on."""
    session_mark_signed_in(request.session)
    needs_two_factor = user_needs_two_factor(user=user)
    changes = {"method": method} if method else {}
    if needs_two_factor:
        changes["second_factor"] = "given at the identity provider" if second_factor_given else "required"
    audit_record(
        actor=Actor(user=user),
        action=AuditLog.Action.SIGN_IN,
        object_type="accounts.User",
        object_id=user.pk,
        object_repr=user.email,
        changes=changes or None,
        organisation_id=_home_organisation_id(user),
    )
    if needs_two_factor and not second_factor_given:
        step = "accounts:two_factor_verify" if totp_device_for(user=user) else "accounts:two_factor_setup"
        return redirect(_with_next(reverse(step), next_url))
    return None


@method_decorator(login_not_required, name="dispatch")
class SignInView(auth_views.LoginView):
    """The password step. LoginView hands the request to authenticate(), so django-axes counts failures and
    locks out; users who need two-factor sign-in go on to the code (or set-up) page."""

    template_name = "accounts/login.jinja"
    form_class = SignInForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        reason = self.request.session.pop(SIGNED_OUT_KEY, None)
        if reason == "idle":
            context["signed_out"] = (
                f"You were signed out because you had not used CareLead for "
                f"{_duration(settings.CARELEAD_SESSION_IDLE_SECONDS)}. Sign in again to carry on."
            )
        elif reason == "expired":
            context["signed_out"] = (
                f"You were signed out because you signed in more than {_duration(settings.SESSION_COOKIE_AGE)} ago. "
                "Sign in again to carry on."
            )
        if oidc_enabled():
            context["oidc_url"] = _with_next(reverse("accounts:oidc_authenticate"), self.get_redirect_url())
            context["oidc_refused"] = self.request.session.pop(REFUSED_KEY, None)
        return context

    def form_valid(self, form):
        user = form.get_user()
        response = super().form_valid(form)
        return _after_sign_in(self.request, user, next_url=self.get_redirect_url()) or response

    def form_invalid(self, form):
        attempted = (form.data.get("username") or "")[:200]
        locked = bool(getattr(self.request, "axes_locked_out", False))
        audit_record(
            actor=Actor(system="sign-in"),
            action=AuditLog.Action.SIGN_IN_LOCKED if locked else AuditLog.Action.SIGN_IN_FAILED,
            object_type="accounts.User",
            object_repr=attempted,
        )
        return super().form_invalid(form)


@method_decorator(login_not_required, name="dispatch")
class OIDCSignInView(OIDCAuthenticationRequestView):
    """Single sign-on: send the user to the identity provider (NHS CIS2, say), which sends them back to the
    callback. Not found unless CARELEAD_OIDC_ENABLED is on."""

    def dispatch(self, request, *args, **kwargs):
        if not oidc_enabled():
            raise Http404
        return super().dispatch(request, *args, **kwargs)


@method_decorator(login_not_required, name="dispatch")
class OIDCCallbackView(OIDCAuthenticationCallbackView):
    """Where the identity provider sends the user back. The backend (carelead/accounts/oidc.py) matches them to a
    CareLead user; from here the sign-in goes on as after a password, second factor included unless the provider's
    sign-in counts as one."""

    def dispatch(self, request, *args, **kwargs):
        if not oidc_enabled():
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        try:
            return super().get(request)
        except (SuspiciousOperation, requests.RequestException) as exc:
            # A token that fails its checks, a replayed state or an unreachable provider: the user tries again.
            logger.warning("Sign-in through the identity provider failed: %s", exc)
            return self.login_failure()

    def login_failure(self):
        session = self.request.session
        if REFUSED_KEY not in session:
            session[REFUSED_KEY] = DID_NOT_WORK
        return redirect("accounts:login")

    def login_success(self):
        response = super().login_success()
        session = self.request.session
        session.pop("oidc_login_next", None)
        session[SIGNED_IN_WITH_KEY] = SIGNED_IN_WITH_OIDC
        step = _after_sign_in(
            self.request,
            self.user,
            next_url=response.url,
            method="OpenID Connect",
            second_factor_given=oidc_second_factor_given(session),
        )
        return step or response


@method_decorator(before_two_factor, name="dispatch")
class SignOutView(auth_views.LogoutView):
    """Signing out is a POST with its CSRF token. The header's "Sign out" is a link to this page's GET, which asks
    to confirm with a button, because the header's own form cannot carry the token."""

    http_method_names = ["get", "post", "options"]

    def get(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect("accounts:login")
        return render(request, "accounts/logout.jinja")

    def post(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            audit_record(
                actor=Actor(user=request.user),
                action=AuditLog.Action.SIGN_OUT,
                object_type="accounts.User",
                object_id=request.user.pk,
                object_repr=request.user.email,
                organisation_id=_home_organisation_id(request.user),
            )
        return super().post(request, *args, **kwargs)


@method_decorator(login_not_required, name="dispatch")
class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.jinja"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")


@method_decorator(login_not_required, name="dispatch")
class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.jinja"


@method_decorator(login_not_required, name="dispatch")
class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.jinja"
    success_url = reverse_lazy("accounts:password_reset_complete")


@method_decorator(login_not_required, name="dispatch")
class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.jinja"


@before_two_factor
def two_factor_verify(request):
    """The second sign-in step: a code from the authenticator app, or a recovery code."""
    if not request.two_factor_pending:
        return redirect(_next_url(request))
    if totp_device_for(user=request.user) is None:
        return redirect(_with_next(reverse("accounts:two_factor_setup"), _next_url(request, default="")))
    form = TwoFactorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = two_factor_check(user=request.user, code=form.cleaned_data["code"])
        except ValidationError as exc:
            form.add_error("code", _message(exc))
        else:
            _two_factor_passed(request, device)
            if isinstance(device, StaticDevice):
                left = device.token_set.count()
                messages.success(
                    request,
                    f"You signed in with a recovery code. You have {left} left"
                    + (": make new ones from Two-factor sign-in under Your roles." if left <= 3 else "."),
                )
            return redirect(_next_url(request))
    return render(request, "accounts/two_factor_verify.jinja", {"form": form, "page_has_errors": bool(form.errors)})


@before_two_factor
def two_factor_setup(request):
    """Set up an authenticator app: scan the QR code (or type the secret), then confirm with a code from it."""
    status = two_factor_status(user=request.user, roles=[a.role for a in request.assignments])
    if status.set_up and request.two_factor_pending:
        # Replacing an app needs the second factor first; a lost phone is reset by an administrator.
        return redirect(_with_next(reverse("accounts:two_factor_verify"), _next_url(request, default="")))
    if not status.required and not status.set_up:
        messages.info(request, "Your role does not need two-factor sign-in: you sign in with your password.")
        return redirect("accounts:two_factor")
    device = totp_device_start(user=request.user)
    form = TwoFactorCodeForm(request.POST or None)
    form.fields["code"].label = "Code from your authenticator app"
    if request.method == "POST" and form.is_valid():
        try:
            device, codes = totp_device_confirm(device=device, code=form.cleaned_data["code"])
        except ValidationError as exc:
            form.add_error("code", _message(exc))
        else:
            _two_factor_passed(request, device)
            request.session[NEW_CODES_KEY] = codes
            return redirect(_with_next(reverse("accounts:two_factor_codes"), _next_url(request, default="")))
    return render(
        request,
        "accounts/two_factor_setup.jinja",
        {
            "form": form,
            "page_has_errors": bool(form.errors),
            "replacing": status.set_up,
            "qr_code": totp_qr_svg(device),
            "secret": totp_secret_grouped(device),
        },
    )


def two_factor(request):
    """The signed-in user's two-factor sign-in: whether they need it, their app and their recovery codes."""
    status = two_factor_status(user=request.user, roles=[a.role for a in request.assignments])
    return render(
        request,
        "accounts/two_factor.jinja",
        {
            "status": status,
            "breadcrumbs": [
                {"text": "Home", "href": reverse("core:home")},
                {"text": "Your roles", "href": reverse("accounts:switch_role")},
                {"text": "Two-factor sign-in", "href": ""},
            ],
        },
    )


@require_POST
def two_factor_codes_new(request):
    """Replace the user's recovery codes; the old ones stop working."""
    if totp_device_for(user=request.user) is None:
        messages.error(request, "Set up an authenticator app first: your recovery codes come with it.")
        return redirect("accounts:two_factor")
    request.session[NEW_CODES_KEY] = recovery_codes_replace(user=request.user)
    return redirect("accounts:two_factor_codes")


def two_factor_codes(request):
    """New recovery codes, shown once."""
    codes = request.session.pop(NEW_CODES_KEY, None)
    if not codes:
        messages.error(request, "Recovery codes are shown only once. Make new ones if you did not keep them.")
        return redirect("accounts:two_factor")
    return render(
        request,
        "accounts/two_factor_codes.jinja",
        {"codes": codes, "next": _next_url(request)},
    )


def _two_factor_passed(request, device) -> None:
    """Mark the session as having given its second factor, under a new session key."""
    request.session.cycle_key()
    django_otp.login(request, device)


def _with_next(url: str, next_url: str) -> str:
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


def _next_url(request, *, default: str | None = None) -> str:
    """Where to go once the second factor is given: a safe ``next``, else the home page."""
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if wanted and url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return resolve_url(settings.LOGIN_REDIRECT_URL) if default is None else default


def switch_role(request):
    """Choose which of one's role assignments to act under."""
    form = SwitchRoleForm(
        request.POST or None,
        assignments=request.assignments,
        initial={"assignment": request.assignment.pk if request.assignment else None},
    )
    if request.method == "POST" and form.is_valid():
        chosen = next(a for a in request.assignments if a.pk == form.cleaned_data["assignment"])
        request.session[SESSION_KEY] = chosen.pk
        audit_record(
            actor=Actor(user=request.user),
            action=AuditLog.Action.SWITCH_ROLE,
            object_type="accounts.RoleAssignment",
            object_id=chosen.pk,
            object_repr=str(chosen),
            organisation_id=chosen.organisation_id,
        )
        messages.success(request, f"You are now acting as {chosen}.")
        return redirect("core:home")
    return render(
        request,
        "accounts/switch_role.jinja",
        {
            "form": form,
            "page_has_errors": bool(form.errors),
            "breadcrumbs": [{"text": "Home", "href": reverse("core:home")}, {"text": "Your roles", "href": ""}],
        },
    )


def _grantable_roles(assignment) -> list[tuple[str, str]]:
    if assignment.is_national:
        return list(Role.choices)
    # Organisation admins grant the organisation's own roles, never national or regional ones.
    return [
        (r.value, r.label)
        for r in Role
        if r not in (Role.NATIONAL_ADMIN, Role.REGULATOR, Role.NED_TEAM, Role.REGIONAL_TALENT, Role.PROVIDER)
    ]


@permission_required(MANAGE_USERS)
def users(request):
    """Users the administrator may manage, searchable and paginated."""
    scope = Scope.of(request.assignment)
    form = UserSearchForm(request.GET or None)
    q = form.cleaned_data["q"] if form.is_valid() else ""
    page = Paginator(user_list(scope=scope, q=q), 25).get_page(request.GET.get("page"))
    return render(request, "accounts/users.jinja", {"form": form, "page": page, "q": q})


@permission_required(MANAGE_USERS)
def user_new(request):
    """Create a user and give them their first role."""
    scope = Scope.of(request.assignment)
    form = UserCreateForm(request.POST or None)
    grant = GrantRoleForm(
        request.POST or None, allowed_roles=_grantable_roles(request.assignment), initial={"role": Role.STAFF}
    )
    if request.method == "POST" and form.is_valid() and grant.is_valid():
        with transaction.atomic():
            user = user_create(
                full_name=form.cleaned_data["full_name"], email=form.cleaned_data["email"], by=request.user
            )
            granted = _grant_from_form(request, user=user, grant=grant, scope=scope)
            if not granted:
                transaction.set_rollback(True)
        if granted:
            messages.success(request, f"{user.full_name} has been added. Send them a password reset to sign in.")
            return redirect("accounts:user", pk=user.pk)
    return render(
        request,
        "accounts/user_new.jinja",
        {"form": form, "grant": grant, "page_has_errors": bool(form.errors or grant.errors)},
    )


@permission_required(MANAGE_USERS)
def user_detail(request, pk: int):
    """A user, their roles, and a form to grant another."""
    scope = Scope.of(request.assignment)
    user = user_get(scope=scope, pk=pk)
    grant = GrantRoleForm(request.POST or None, allowed_roles=_grantable_roles(request.assignment))
    if request.method == "POST" and grant.is_valid() and _grant_from_form(request, user=user, grant=grant, scope=scope):
        messages.success(request, "The role has been granted.")
        return redirect("accounts:user", pk=user.pk)
    assignments = list(user.assignments.select_related("organisation").order_by("-is_active", "role"))
    link = LinkPersonForm(initial={"staff_id": user.person.staff_id if user.person_id else ""})
    two_factor = two_factor_status(user=user, roles=[a.role for a in assignments if a.is_active])
    return render(
        request,
        "accounts/user_detail.jinja",
        {
            "subject": user,
            "assignments": assignments,
            "grant": grant,
            "link": link,
            "two_factor": two_factor,
            "scope": scope,
            "page_has_errors": bool(grant.errors),
        },
    )


@require_POST
@permission_required(MANAGE_USERS)
def user_link(request, pk: int):
    """Link a user to a staff record within the administrator's scope."""
    from carelead.people.models import Person

    scope = Scope.of(request.assignment)
    user = user_get(scope=scope, pk=pk)
    form = LinkPersonForm(request.POST)
    if form.is_valid():
        staff_id = form.cleaned_data["staff_id"].strip()
        person = None
        if staff_id:
            people = Person.objects.select_related("organisation").filter(staff_id=staff_id)
            if not scope.national:
                people = people.filter(organisation__path__startswith=scope.path)
            person = people.first()
        if staff_id and person is None:
            messages.error(request, f"No staff record {staff_id} is held within the organisation you administer.")
        else:
            try:
                user_link_person(user=user, person=person, by=request.user)
            except ValidationError as exc:
                messages.error(request, _message(exc))
            else:
                messages.success(request, "The staff record link has been saved.")
    return redirect("accounts:user", pk=user.pk)


@require_POST
@permission_required(MANAGE_USERS)
def user_active(request, pk: int):
    """Disable or re-enable a user's sign-in."""
    user = user_get(scope=Scope.of(request.assignment), pk=pk)
    active = request.POST.get("active") == "1"
    try:
        user_set_active(user=user, active=active, by=request.user)
    except ValidationError as exc:
        messages.error(request, _message(exc))
    else:
        messages.success(request, f"{user.full_name} can {'now' if active else 'no longer'} sign in.")
    return redirect("accounts:user", pk=user.pk)


@require_POST
@permission_required(MANAGE_USERS)
def user_two_factor_reset(request, pk: int):
    """Remove a user's authenticator app and recovery codes (a lost phone); they set up again at next sign-in."""
    scope = Scope.of(request.assignment)
    user = user_get(scope=scope, pk=pk)
    if not scope.national and any(
        a.organisation is None or not scope.contains_path(a.organisation.path)
        for a in user.assignments.filter(is_active=True).select_related("organisation")
    ):
        # Their other roles reach beyond this administrator: resetting is for an administrator who covers them all.
        raise PermissionDenied
    try:
        two_factor_reset(user=user, by=request.user)
    except ValidationError as exc:
        messages.error(request, _message(exc))
    else:
        messages.success(
            request,
            f"{user.full_name}'s two-factor sign-in has been reset. They set up an authenticator app when they "
            "next sign in.",
        )
    return redirect("accounts:user", pk=user.pk)


@require_POST
@permission_required(MANAGE_USERS)
def assignment_revoke(request, pk: int):
    """Withdraw one role assignment within the administrator's scope."""
    scope = Scope.of(request.assignment)
    assignment = get_object_or_404(RoleAssignment.objects.select_related("organisation", "user"), pk=pk, is_active=True)
    if not scope.national and (
        assignment.organisation is None or not scope.contains_path(assignment.organisation.path)
    ):
        raise PermissionDenied
    if assignment.pk == request.assignment.pk:
        messages.error(request, "You cannot withdraw the role you are acting under.")
    else:
        role_revoke(assignment=assignment, by=request.user)
        messages.success(request, "The role has been withdrawn.")
    return redirect("accounts:user", pk=assignment.user_id)


def _grant_from_form(request, *, user, grant: GrantRoleForm, scope: Scope) -> bool:
    """Grant the role a valid form names; errors go back onto the form. True when granted."""
    organisation = _scope_organisation(grant)
    if grant.errors:
        return False
    try:
        role_grant(
            user=user,
            role=grant.cleaned_data["role"],
            organisation=organisation,
            by=request.user,
            by_scope_path=scope.path,
        )
    except (ValidationError, PermissionDenied) as exc:
        grant.add_error("organisation_code", _message(exc))
        return False
    return True


def _scope_organisation(grant: GrantRoleForm) -> Organisation | None:
    code = grant.cleaned_data.get("organisation_code", "").strip()
    role = grant.cleaned_data["role"]
    if not code:
        if None not in ROLE_SCOPES[role]:
            grant.add_error("organisation_code", "Enter the code of the organisation this role covers")
        return None
    organisation = Organisation.objects.filter(code__iexact=code).first()
    if organisation is None:
        grant.add_error("organisation_code", f"No organisation has the code {code}")
    return organisation


def _home_organisation_id(user) -> int | None:
    """The organisation a user's sign-ins belong to in the audit log: their employer, else their first role's."""
    if user.person_id:
        return user.person.organisation_id
    first = user.assignments.filter(is_active=True, organisation__isnull=False).order_by("pk").first()
    return first.organisation_id if first else None


def _duration(seconds: int) -> str:
    """A duration in words: "8 hours", "90 minutes"."""
    minutes = round(seconds / 60)
    if minutes >= 60 and minutes % 60 == 0:
        hours = minutes // 60
        return f"{hours} hour{'s' if hours != 1 else ''}"
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


def _message(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "; ".join(exc.messages)
    return str(exc) or "You cannot do that."
