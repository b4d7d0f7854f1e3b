"""Receipt codes and secrets: the reporter's only way back to their case.

Both are random, from an alphabet without look-alike characters (no 0/O, 1/I/L), shown in groups of four. The
receipt code is kept as a SHA-256 digest, enough to find the case and useless to anyone reading the database; the
secret is kept only as a slow password hash. A wrong pair costs the same whether or not the receipt code exists:
one hash check either way.
"""

import hashlib
import re
import secrets
from functools import cache

from django.contrib.auth.hashers import check_password, make_password

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
RECEIPT_LENGTH = 16  # 31**16: about 79 bits
SECRET_LENGTH = 12  # about 59 bits, behind a slow hash and rate limits
_NOT_CODE = re.compile(r"[^A-Z0-9]")


def new_code(length: int) -> str:
    """A fresh random code of ``length`` characters."""
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def normalise(code: str) -> str:
    """What the reporter typed, without spaces or hyphens, in capitals."""
    return _NOT_CODE.sub("", (code or "").upper())


def grouped(code: str) -> str:
    """A code in groups of four, as it is shown: ABCD-EFGH-JKMN-PQRS."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def receipt_digest(receipt: str) -> str:
    return hashlib.sha256(normalise(receipt).encode()).hexdigest()


def secret_hash(secret: str) -> str:
    return make_password(normalise(secret))


@cache
def _decoy_hash() -> str:
    # Checked when no case has the receipt code, so a wrong code takes as long as a wrong secret.
    return make_password(new_code(SECRET_LENGTH))


def secret_matches(secret: str, encoded: str | None) -> bool:
    """Whether ``secret`` matches the stored hash; with no hash, a decoy is checked and False returned."""
    if encoded is None:
        check_password(normalise(secret), _decoy_hash())
        return False
    return check_password(normalise(secret), encoded)
