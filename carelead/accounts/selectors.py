"""Reads of users, limited to what the acting assignment may manage."""

from django.db.models import Prefetch, Q, QuerySet

from carelead.accounts.models import RoleAssignment, User
from carelead.accounts.permissions import Scope


def user_list(*, scope: Scope, q: str = "") -> QuerySet[User]:
    """Users visible to an administrator: everyone nationally, else those with a role or record in the scope."""
    users = User.objects.all()
    if not scope.national:
        users = users.filter(
            Q(assignments__organisation__path__startswith=scope.path)
            | Q(person__organisation__path__startswith=scope.path)
        ).distinct()
    if q:
        users = users.filter(Q(full_name__icontains=q) | Q(email__icontains=q))
    return users.prefetch_related(
        Prefetch("assignments", queryset=RoleAssignment.objects.filter(is_active=True).select_related("organisation"))
    ).order_by("full_name", "email")


def user_get(*, scope: Scope, pk: int) -> User:
    """One user the administrator may manage (404 otherwise)."""
    from django.shortcuts import get_object_or_404

    return get_object_or_404(user_list(scope=scope).select_related("person"), pk=pk)
