"""Single sign-on through OpenID Connect: the identity provider says who someone is, CareLead decides what they may do.

The provider's ``email`` claim is matched, ignoring case, to an existing active CareLead user. Nobody is created
and no role is granted here: an administrator adds the user and grants their roles in CareLead as for any other
sign-in. The sign-in and callback views are in ``carelead.accounts.views``; the settings are described in
docs/operator-guide.md, "Single sign-on (OpenID Connect)".
"""

import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import SuspiciousOperation
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from carelead.audit.models import AuditLog
from carelead.audit.services import Actor, audit_record

# What the sign-in page tells someone the provider vouched for but CareLead refused, between the callback and the page.
REFUSED_KEY = "carelead_oidc_refused"
# How the session signed in, so the second-factor rule can tell a provider's sign-in from a password.
SIGNED_IN_WITH_KEY = "carelead_signed_in_with"
SIGNED_IN_WITH_OIDC = "oidc"

NOT_REGISTERED = "Your NHS account is not registered with CareLead; ask your organisation's administrator."
NOT_VERIFIED = (
    "Your NHS account's email address has not been verified, so CareLead cannot match it to a user; "
    "ask your organisation's administrator."
)
DID_NOT_WORK = (
    "Signing in with your NHS account did not work. Try again, or sign in with your email address and password."
)


def oidc_enabled() -> bool:
    """Whether single sign-on through OpenID Connect is switched on for this site."""
    return bool(settings.CARELEAD_OIDC_ENABLED)


def oidc_second_factor_given(session) -> bool:
    """Whether this session signed in through the provider, and the site counts that as the second factor."""
    return (
        session.get(SIGNED_IN_WITH_KEY) == SIGNED_IN_WITH_OIDC
        and oidc_enabled()
        and bool(settings.CARELEAD_OIDC_SATISFIES_TWO_FACTOR)
    )


def _claim_true(value) -> bool:
    # Some providers send the JSON string "true" rather than the boolean.
    return value is True or str(value).strip().lower() == "true"


class CareLeadOIDCBackend(OIDCAuthenticationBackend):
    """Signs in an existing active user whose email address the provider vouches for; never creates a user."""

    def authenticate(self, request, **kwargs):
        if not oidc_enabled():
            return None
        return super().authenticate(request, **kwargs)

    def verify_token(self, token, **kwargs):
        """The signature and nonce (checked by mozilla-django-oidc), then the issuer, audience and expiry."""
        payload = super().verify_token(token, **kwargs)
        audience = payload.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        issuer = settings.CARELEAD_OIDC_ISSUER
        if issuer and payload.get("iss", "").rstrip("/") != issuer:
            raise SuspiciousOperation("The ID token comes from another issuer.")
        if self.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation("The ID token was issued for another client.")
        if float(payload.get("exp", 0)) < time.time():
            raise SuspiciousOperation("The ID token has expired.")
        return payload

    def get_or_create_user(self, access_token, id_token, payload):
        """The one active user with the provider's verified email address, or None (refused and audited)."""
        claims = self.get_userinfo(access_token, id_token, payload)
        email = str(claims.get("email") or "").strip()
        if not email:
            return self._refuse(email=email, reason="no email claim", message=NOT_REGISTERED)
        if "email_verified" in claims and not _claim_true(claims["email_verified"]):
            return self._refuse(email=email, reason="email not verified", message=NOT_VERIFIED)
        users = list(get_user_model().objects.filter(email__iexact=email, is_active=True)[:2])
        if len(users) != 1:
            return self._refuse(email=email, reason="not registered", message=NOT_REGISTERED)
        return users[0]

    def get_user(self, user_id):
        user = super().get_user(user_id)
        return user if user is not None and user.is_active else None

    def _refuse(self, *, email: str, reason: str, message: str) -> None:
        audit_record(
            actor=Actor(system="sign-in"),
            action=AuditLog.Action.SIGN_IN_FAILED,
            object_type="accounts.User",
            object_repr=email,
            changes={"method": "OpenID Connect", "reason": reason},
        )
        self.request.session[REFUSED_KEY] = message
        return None
