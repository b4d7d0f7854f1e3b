"""Two-factor sign-in: who needs it, and reads of a user's authenticator app and recovery codes.

A user holding any active role above staff member signs in with their password and then a 6-digit code from an
authenticator app (TOTP, RFC 6238), or one of their single-use recovery codes. A line manager counts: the role
opens the records of the people they manage. The writes are in ``carelead.accounts.services``.
"""

import base64
import re
from collections.abc import Iterable
from dataclasses import dataclass

import segno
from django.conf import settings
from django.utils.safestring import SafeString, mark_safe
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from carelead.accounts.roles import Role

# Roles that sign in with a password alone: a staff member reaches only their own records.
PASSWORD_ONLY_ROLES = frozenset({Role.STAFF})
RECOVERY_CODE_COUNT = 10
TOTP_DEVICE_NAME = "Authenticator app"
RECOVERY_DEVICE_NAME = "Recovery codes"
_TOTP_CODE = re.compile(r"\d{6}")


def user_needs_two_factor(*, user, roles: Iterable[str] | None = None) -> bool:
    """Whether a user must give a second factor to sign in: they hold an active role above staff member.

    ``roles`` are the roles of the user's active assignments, when the caller already has them.
    """
    if not settings.CARELEAD_TWO_FACTOR_REQUIRED or not user.is_authenticated:
        return False
    if roles is None:
        roles = user.assignments.filter(is_active=True).values_list("role", flat=True)
    return any(role not in PASSWORD_ONLY_ROLES for role in roles)


def totp_device_for(*, user, confirmed: bool = True) -> TOTPDevice | None:
    """The user's authenticator app (or, with ``confirmed=False``, the one being set up), if any."""
    return TOTPDevice.objects.filter(user=user, confirmed=confirmed).order_by("-pk").first()


def recovery_device_for(*, user) -> StaticDevice | None:
    """The device holding the user's recovery codes, if they have one."""
    return StaticDevice.objects.filter(user=user, confirmed=True).order_by("-pk").first()


@dataclass(frozen=True)
class TwoFactorStatus:
    """What the status page and the user administration page show about a user's two-factor sign-in."""

    required: bool
    device: TOTPDevice | None
    recovery_codes_left: int

    @property
    def set_up(self) -> bool:
        return self.device is not None


def two_factor_status(*, user, roles: Iterable[str] | None = None) -> TwoFactorStatus:
    """Whether the user needs two factors, their authenticator app and how many recovery codes they have left."""
    recovery = recovery_device_for(user=user)
    return TwoFactorStatus(
        required=user_needs_two_factor(user=user, roles=roles),
        device=totp_device_for(user=user),
        recovery_codes_left=recovery.token_set.count() if recovery else 0,
    )


def code_normalise(code: str) -> str:
    """A code as typed, without the spaces and hyphens people add, in lower case."""
    return re.sub(r"[\s-]", "", code or "").lower()


def code_is_totp(code: str) -> bool:
    """Whether a normalised code has the shape of an authenticator app's code rather than a recovery code."""
    return bool(_TOTP_CODE.fullmatch(code))


def totp_secret(device: TOTPDevice) -> str:
    """The device's secret as the base32 text authenticator apps accept."""
    return base64.b32encode(device.bin_key).decode("ascii").rstrip("=")


def totp_secret_grouped(device: TOTPDevice) -> str:
    """The base32 secret in groups of four characters, for typing it in by hand."""
    secret = totp_secret(device)
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def totp_qr_svg(device: TOTPDevice) -> SafeString:
    """The device's otpauth:// address as a QR code: an inline SVG, with no script and no style attribute."""
    qr = segno.make(device.config_url, error="m")
    svg = qr.svg_inline(scale=5, dark="#000", light="#fff", svgclass="app-qr-code", lineclass=None)
    # segno writes only paths and presentation attributes; the role and name make it an image to screen readers.
    return mark_safe(svg.replace("<svg ", '<svg role="img" aria-label="QR code for your authenticator app" ', 1))
