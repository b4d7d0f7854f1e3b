"""Writes to users and role assignments, each audited."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from carelead.accounts.models import RoleAssignment, User
from carelead.audit.models import AuditLog
from carelead.audit.services import Actor, audit_record
from carelead.organisations.models import Organisation


@transaction.atomic
def user_create(*, full_name: str, email: str, by: User) -> User:
    """Create a user with no usable password; they set one through the password reset email."""
    user = User(full_name=full_name, email=email.lower())
    user.set_unusable_password()
    user.full_clean()
    user.save()
    audit_record(
        actor=Actor(user=by),
        action=AuditLog.Action.CREATE,
        object_type="accounts.User",
        object_id=user.pk,
        object_repr=user.email,
        changes={"email": [None, user.email]},
    )
    return user


@transaction.atomic
def role_grant(
    *, user: User, role: str, organisation: Organisation | None, by: User, by_scope_path: str | None
) -> RoleAssignment:
    """Grant a role over a scope; the granter may only grant within their own scope."""
    if by_scope_path is not None and (organisation is None or not organisation.path.startswith(by_scope_path)):
        raise PermissionDenied("You can only grant roles within the organisation you administer.")
    existing = RoleAssignment.objects.filter(user=user, role=role, organisation=organisation).first()
    if existing and existing.is_active:
        raise ValidationError("This user already holds that role for that organisation.")
    assignment = existing or RoleAssignment(user=user, role=role, organisation=organisation)
    assignment.is_active = True
    assignment.granted_by = by
    assignment.full_clean(exclude=["user", "granted_by"])
    assignment.save()
    audit_record(
        actor=Actor(user=by),
        action=AuditLog.Action.GRANT,
        object_type="accounts.RoleAssignment",
        object_id=assignment.pk,
        object_repr=f"{user.email}: {assignment}",
        changes={"role": [None, role], "scope": [None, organisation.code if organisation else "national"]},
        organisation_id=organisation.pk if organisation else None,
    )
    return assignment


@transaction.atomic
def role_revoke(*, assignment: RoleAssignment, by: User) -> RoleAssignment:
    """Withdraw a role assignment (kept, inactive, for the record)."""
    assignment.is_active = False
    assignment.save(update_fields=["is_active"])
    audit_record(
        actor=Actor(user=by),
        action=AuditLog.Action.REVOKE,
        object_type="accounts.RoleAssignment",
        object_id=assignment.pk,
        object_repr=f"{assignment.user.email}: {assignment}",
        changes={"is_active": [True, False]},
        organisation_id=assignment.organisation_id,
    )
    return assignment


@transaction.atomic
def user_link_person(*, user: User, person, by: User) -> User:
    """Link a user to their staff record (one record per user, one user per record)."""
    from carelead.accounts.models import User as UserModel

    if person is not None and UserModel.objects.filter(person=person).exclude(pk=user.pk).exists():
        raise ValidationError("That staff record is already linked to another user.")
    before = user.person.staff_id if user.person_id else None
    user.person = person
    user.save(update_fields=["person"])
    audit_record(
        actor=Actor(user=by),
        action=AuditLog.Action.UPDATE,
        object_type="accounts.User",
        object_id=user.pk,
        object_repr=user.email,
        changes={"staff_record": [before, person.staff_id if person else None]},
        subject_person_id=person.pk if person else None,
        organisation_id=person.organisation_id if person else None,
    )
    return user


@transaction.atomic
def user_set_active(*, user: User, active: bool, by: User) -> User:
    """Enable or disable sign-in for a user; disabling also ends their sessions at the next request."""
    if user.pk == by.pk and not active:
        raise ValidationError("You cannot disable your own account.")
    if user.is_active != active:
        user.is_active = active
        user.save(update_fields=["is_active"])
        audit_record(
            actor=Actor(user=by),
            action=AuditLog.Action.UPDATE,
            object_type="accounts.User",
            object_id=user.pk,
            object_repr=user.email,
            changes={"is_active": [not active, active]},
            organisation_id=user.person.organisation_id if user.person_id else None,
        )
    return user
