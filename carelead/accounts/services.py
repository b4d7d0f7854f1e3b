"""Writes to users, role assignments and two-factor sign-in, each audited."""

import math

import django_otp
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from carelead.accounts.models import RoleAssignment, User
from carelead.accounts.twofactor import (
    RECOVERY_CODE_COUNT,
    RECOVERY_DEVICE_NAME,
    TOTP_DEVICE_NAME,
    code_is_totp,
    code_normalise,
    recovery_device_for,
    totp_device_for,
)
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


def _two_factor_audit(*, user: User, by: User, action: str, changes: dict | None = None) -> None:
    audit_record(
        actor=Actor(user=by),
        action=action,
        object_type="accounts.User",
        object_id=user.pk,
        object_repr=user.email,
        changes=changes,
        organisation_id=user.person.organisation_id if user.person_id else None,
    )


def _throttle_message(device) -> str | None:
    """Why a device refuses codes for now, or None when it accepts them."""
    allowed, details = device.verify_is_allowed()
    if allowed:
        return None
    wait = max(1, math.ceil((details["locked_until"] - timezone.now()).total_seconds())) if details else 1
    return f"You have entered too many wrong codes. Wait {wait} second{'s' if wait != 1 else ''}, then try again."


def totp_device_start(*, user: User) -> TOTPDevice:
    """The authenticator app the user is setting up: a new secret, kept unconfirmed until they enter a code."""
    device = totp_device_for(user=user, confirmed=False)
    if device is None:
        device = TOTPDevice(user=user, name=TOTP_DEVICE_NAME, confirmed=False)
        device.full_clean(exclude=["user"])
        device.save()
    device.user = user  # its otpauth:// address names the user
    return device


def totp_device_confirm(*, device: TOTPDevice, code: str) -> tuple[TOTPDevice, list[str]]:
    """Confirm an authenticator app with a code from it; it replaces any earlier app and comes with new recovery
    codes. Returns the device and the codes (to show once). A wrong code counts towards throttling."""
    user = device.user
    code = code_normalise(code)
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk, confirmed=False)
        refused = _throttle_message(device)
        # A wrong code is counted (and committed) by the device itself, so later tries wait longer.
        verified = refused is None and device.verify_token(code)
    if refused:
        raise ValidationError(refused, code="throttled")
    if not verified:
        raise ValidationError(
            "The code is not right. Enter the 6-digit code your authenticator app shows now.", code="wrong_code"
        )
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = _recovery_codes_make(user=user)
        _two_factor_audit(
            user=user,
            by=user,
            action=AuditLog.Action.TWO_FACTOR_SET_UP,
            changes={"authenticator_app": [None, "set up"], "recovery_codes": [None, len(codes)]},
        )
    return device, codes


def _recovery_codes_make(*, user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes = set()
    while len(codes) < RECOVERY_CODE_COUNT:
        codes.add(StaticToken.random_token())
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in sorted(codes)])
    return sorted(codes)


@transaction.atomic
def recovery_codes_replace(*, user: User) -> list[str]:
    """Give the user a new set of recovery codes; the old ones stop working. Returns the codes (to show once)."""
    before = recovery_device_for(user=user)
    left = before.token_set.count() if before else 0
    codes = _recovery_codes_make(user=user)
    _two_factor_audit(
        user=user, by=user, action=AuditLog.Action.RECOVERY_CODES_NEW, changes={"recovery_codes": [left, len(codes)]}
    )
    return codes


def two_factor_check(*, user: User, code: str):
    """Check the second factor at sign-in: a code from the authenticator app or an unused recovery code (which
    is then used up). Returns the device that accepted it; raises ValidationError, audited, otherwise."""
    code = code_normalise(code)
    by_app = code_is_totp(code)
    device = totp_device_for(user=user) if by_app else recovery_device_for(user=user)
    refused = _throttle_message(device) if device is not None else None
    verified = None
    if device is not None and refused is None:
        verified = django_otp.verify_token(user, device.persistent_id, code)
    method = "authenticator app" if by_app else "recovery code"
    if verified is None:
        _two_factor_audit(
            user=user,
            by=user,
            action=AuditLog.Action.TWO_FACTOR_FAILED,
            changes={"with": method, "throttled": bool(refused)},
        )
        if refused:
            raise ValidationError(refused, code="throttled")
        raise ValidationError(
            "The code is not right. Enter the 6-digit code your authenticator app shows now, or an unused "
            "recovery code.",
            code="wrong_code",
        )
    changes = {"with": method}
    if not by_app:
        changes["recovery_codes_left"] = verified.token_set.count()
    _two_factor_audit(user=user, by=user, action=AuditLog.Action.TWO_FACTOR_PASSED, changes=changes)
    return verified


@transaction.atomic
def two_factor_reset(*, user: User, by: User) -> None:
    """Remove a user's authenticator app and recovery codes (a lost phone): they set up again at next sign-in."""
    if user.pk == by.pk:
        raise ValidationError("You cannot reset your own two-factor sign-in. Ask another administrator.")
    had_app = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    _two_factor_audit(
        user=user,
        by=by,
        action=AuditLog.Action.TWO_FACTOR_RESET,
        changes={"authenticator_app": ["set up" if had_app else None, None]},
    )
