"""The secrets in raters' links. Only a SHA-256 digest is stored, so the database alone cannot open a form."""

import hashlib
import hmac
import secrets

TOKEN_BYTES = 32
# token_urlsafe(32) gives 43 characters; anything much longer is not one of ours and is not hashed.
TOKEN_MAX_LENGTH = 64


def token_digest(token: str) -> str:
    """The stored form of a link's secret."""
    return hashlib.sha256(token.encode()).hexdigest()


def token_new() -> tuple[str, str]:
    """A fresh secret for a link, and its digest."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    return token, token_digest(token)


def token_matches(stored: str, digest: str) -> bool:
    """Whether a stored digest is the digest of the presented secret, compared in constant time."""
    return bool(stored) and hmac.compare_digest(stored, digest)
