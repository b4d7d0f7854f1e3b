"""Permission machinery: each app declares its permissions once; views, APIs and selectors ask here.

A permission names the roles that hold it. Where a permission reaches records, the records are limited to
the assignment's scope by the app's selectors (``Scope`` below), so the same rule filters lists and checks
single objects.
"""

from dataclasses import dataclass
from functools import wraps

from django.core.exceptions import PermissionDenied
from django.db.models import Q

from carelead.accounts.roles import Role


@dataclass(frozen=True)
class Permission:
    code: str
    description: str
    roles: frozenset[str]


REGISTRY: dict[str, Permission] = {}


def declare(code: str, description: str, roles: set[str]) -> str:
    """Register a permission (once, from the owning app's permissions module) and return its code."""
    if code in REGISTRY:
        raise RuntimeError(f"permission {code} declared twice")
    REGISTRY[code] = Permission(code, description, frozenset(roles))
    return code


def role_has(role: str | None, code: str) -> bool:
    """Whether a role holds a permission."""
    return role is not None and role in REGISTRY[code].roles


def assignment_has(assignment, code: str) -> bool:
    """Whether the acting role assignment holds a permission."""
    return assignment is not None and role_has(assignment.role, code)


def require(request, code: str) -> None:
    """Raise 403 unless the request's current assignment holds the permission."""
    if not assignment_has(getattr(request, "assignment", None), code):
        raise PermissionDenied


def permission_required(code: str):
    """View decorator: the current role assignment must hold ``code``."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            require(request, code)
            return view(request, *args, **kwargs)

        wrapped.carelead_permission = code
        return wrapped

    return decorator


@dataclass(frozen=True)
class Scope:
    """What an assignment reaches: an organisation and everything beneath it, or England (path None)."""

    path: str | None
    organisation_id: int | None
    role: str

    @classmethod
    def of(cls, assignment) -> "Scope":
        if assignment.organisation_id is None:
            return cls(path=None, organisation_id=None, role=assignment.role)
        return cls(path=assignment.organisation.path, organisation_id=assignment.organisation_id, role=assignment.role)

    @property
    def national(self) -> bool:
        return self.path is None

    def organisations_q(self, prefix: str = "") -> Q:
        """Q over a model reaching Organisation through ``prefix`` (e.g. "organisation__")."""
        if self.path is None:
            return Q()
        return Q(**{f"{prefix}path__startswith": self.path})

    def contains_path(self, path: str) -> bool:
        return self.path is None or path.startswith(self.path)


# Permissions that belong to no single app.
VIEW_AUDIT = declare("audit.view", "Read the audit log of the scope", {Role.NATIONAL_ADMIN, Role.ORG_ADMIN})
MANAGE_USERS = declare(
    "accounts.manage_users", "Manage users and role assignments in the scope", {Role.NATIONAL_ADMIN, Role.ORG_ADMIN}
)
