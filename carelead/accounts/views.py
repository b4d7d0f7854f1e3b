"""Sign in and out, password reset, switching role, and user administration."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_POST

from carelead.accounts.forms import (
    GrantRoleForm,
    LinkPersonForm,
    SignInForm,
    SwitchRoleForm,
    UserCreateForm,
    UserSearchForm,
)
from carelead.accounts.middleware import SESSION_KEY
from carelead.accounts.models import RoleAssignment
from carelead.accounts.permissions import MANAGE_USERS, Scope, permission_required
from carelead.accounts.roles import ROLE_SCOPES, Role
from carelead.accounts.selectors import user_get, user_list
from carelead.accounts.services import role_grant, role_revoke, user_create, user_link_person, user_set_active
from carelead.audit.models import AuditLog
from carelead.audit.services import Actor, audit_record
from carelead.organisations.models import Organisation


@method_decorator(login_not_required, name="dispatch")
class SignInView(auth_views.LoginView):
    template_name = "accounts/login.jinja"
    form_class = SignInForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        audit_record(
            actor=Actor(user=form.get_user()),
            action=AuditLog.Action.SIGN_IN,
            object_type="accounts.User",
            object_id=form.get_user().pk,
            object_repr=form.get_user().email,
            organisation_id=_home_organisation_id(form.get_user()),
        )
        return response

    def form_invalid(self, form):
        attempted = (form.data.get("username") or "")[:200]
        audit_record(
            actor=Actor(system="sign-in"),
            action=AuditLog.Action.SIGN_IN_FAILED,
            object_type="accounts.User",
            object_repr=attempted,
        )
        return super().form_invalid(form)


class SignOutView(auth_views.LogoutView):
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
    assignments = user.assignments.select_related("organisation").order_by("-is_active", "role")
    link = LinkPersonForm(initial={"staff_id": user.person.staff_id if user.person_id else ""})
    return render(
        request,
        "accounts/user_detail.jinja",
        {
            "subject": user,
            "assignments": assignments,
            "grant": grant,
            "link": link,
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


def _message(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "; ".join(exc.messages)
    return str(exc) or "You cannot do that."
