"""Verifiable credentials for counted completions: Open Badges 3.0 in the W3C Verifiable Credentials data model.

Each credential is signed with the platform's Ed25519 key as a Data Integrity proof (cryptosuite eddsa-jcs-2022:
the signature covers the SHA-256 of the canonical JSON of the proof options followed by that of the document).
Another employer verifies it at /credentials/verify/ or through the API, which checks the signature, that
CareLead issued it and that it has not been revoked.
"""

import hashlib
import json
import os
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from carelead.audit.models import AuditLog
from carelead.audit.services import Actor, audit_record
from carelead.learning.models import IssuedCredential, TrainingRecord

ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
ED25519_MULTICODEC = b"\xed\x01"


def _b58encode(data: bytes) -> str:
    number = int.from_bytes(data, "big")
    out = ""
    while number:
        number, rest = divmod(number, 58)
        out = ALPHABET[rest] + out
    return "1" * (len(data) - len(data.lstrip(b"\0"))) + out


def _b58decode(text: str) -> bytes:
    number = 0
    for char in text:
        number = number * 58 + ALPHABET.index(char)
    body = number.to_bytes((number.bit_length() + 7) // 8, "big")
    return b"\0" * (len(text) - len(text.lstrip("1"))) + body


def canonical(value: Any) -> bytes:
    """JSON canonicalisation (RFC 8785) for the values credentials hold: strings, integers, booleans, nulls."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def _key_path() -> Path:
    return Path(settings.DATA_DIR) / "credential_signing_key.pem"


def signing_key() -> Ed25519PrivateKey:
    """The platform's signing key, generated once into the data directory (owner-only)."""
    path = _key_path()
    if not path.exists():
        pem = Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "wb") as handle:
                handle.write(pem)
    return serialization.load_pem_private_key(path.read_bytes(), password=None)


def public_key_multibase() -> str:
    raw = signing_key().public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return "z" + _b58encode(ED25519_MULTICODEC + raw)


def issuer_id() -> str:
    return f"{settings.CARELEAD_PUBLIC_URL}/credentials/issuer"


def issuer_profile() -> dict[str, Any]:
    """The issuer document that names the verification key."""
    return {
        "@context": ["https://www.w3.org/ns/credentials/v2", "https://w3id.org/security/multikey/v1"],
        "id": issuer_id(),
        "type": ["Profile"],
        "name": "CareLead",
        "assertionMethod": [f"{issuer_id()}#key-1"],
        "verificationMethod": [
            {
                "id": f"{issuer_id()}#key-1",
                "type": "Multikey",
                "controller": issuer_id(),
                "publicKeyMultibase": public_key_multibase(),
            }
        ],
    }


def _hash_input(proof_options: dict, document: dict) -> bytes:
    return hashlib.sha256(canonical(proof_options)).digest() + hashlib.sha256(canonical(document)).digest()


def sign(document: dict[str, Any]) -> dict[str, Any]:
    """Add a Data Integrity proof to an unsigned document."""
    options = {
        "@context": document["@context"],
        "type": "DataIntegrityProof",
        "cryptosuite": "eddsa-jcs-2022",
        "created": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "verificationMethod": f"{issuer_id()}#key-1",
        "proofPurpose": "assertionMethod",
    }
    signature = signing_key().sign(_hash_input(options, document))
    proof = {k: v for k, v in options.items() if k != "@context"}
    proof["proofValue"] = "z" + _b58encode(signature)
    return {**document, "proof": proof}


def credential_issue(*, record: TrainingRecord, by) -> IssuedCredential:
    """The signed credential for a counted completion, issued once and reused."""
    existing = IssuedCredential.objects.filter(record=record).first()
    if existing is not None:
        return existing
    with transaction.atomic():
        from carelead.standards.models import Module

        module = Module.objects.filter(code=record.course_code).first()
        person = record.person
        credential_id = uuid.uuid4()
        base = settings.CARELEAD_PUBLIC_URL
        document = {
            "@context": [
                "https://www.w3.org/ns/credentials/v2",
                "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
            ],
            "id": f"urn:uuid:{credential_id}",
            "type": ["VerifiableCredential", "OpenBadgeCredential"],
            "issuer": {"id": issuer_id(), "type": ["Profile"], "name": "CareLead"},
            "validFrom": f"{record.date.isoformat()}T00:00:00Z",
            "name": module.title if module else record.course_code,
            "credentialSubject": {
                "type": ["AchievementSubject"],
                "name": person.full_name,
                "identifier": [
                    {
                        "type": "IdentityObject",
                        "identityType": "identifier",
                        "hashed": True,
                        "identityHash": "sha256$" + hashlib.sha256(person.staff_id.encode()).hexdigest(),
                    }
                ],
                "achievement": {
                    "id": f"{base}/standards/curriculum/#{record.course_code}",
                    "type": ["Achievement"],
                    "name": module.title if module else record.course_code,
                    "description": (module.description if module else "") or "A module of the CareLead curriculum.",
                    "criteria": {
                        "narrative": f"Completed with {record.provider_code}, a provider accredited for "
                        "this module on the day of completion."
                    },
                },
            },
        }
        if record.expires_on:
            document["validUntil"] = f"{record.expires_on.isoformat()}T23:59:59Z"
        credential = IssuedCredential.objects.create(
            id=credential_id, record=record, person=person, issued_at=timezone.now(), document=sign(document)
        )
        audit_record(
            actor=Actor(user=by),
            action=AuditLog.Action.CREATE,
            object_type="learning.IssuedCredential",
            object_id=credential_id,
            object_repr=record.course_code,
            subject_person_id=person.pk,
            organisation_id=person.organisation_id,
        )
    return credential


def credential_verify(document: Any) -> dict[str, Any]:
    """Check a presented credential: the signature, the issuer, and that it is known and not revoked."""
    checks: list[dict[str, Any]] = []

    def check(name: str, passed: bool, detail: str) -> bool:
        checks.append({"check": name, "passed": passed, "detail": detail})
        return passed

    if not isinstance(document, dict) or not isinstance(document.get("proof"), dict):
        check("format", False, "This is not a signed credential.")
        return {"valid": False, "checks": checks}
    proof = dict(document["proof"])
    unsigned = {k: v for k, v in document.items() if k != "proof"}
    issuer = unsigned.get("issuer", {})
    ok = check(
        "issuer",
        isinstance(issuer, dict)
        and issuer.get("id") == issuer_id()
        and proof.get("verificationMethod") == f"{issuer_id()}#key-1",
        "Issued by CareLead." if issuer.get("id") == issuer_id() else "Not issued by this CareLead.",
    )
    try:
        signature = _b58decode(str(proof.pop("proofValue", ""))[1:])
        options = {"@context": unsigned.get("@context"), **proof}
        public: Ed25519PublicKey = signing_key().public_key()
        public.verify(signature, _hash_input(options, unsigned))
        signed = check("signature", True, "The signature is valid: nothing has been changed.")
    except (InvalidSignature, ValueError, TypeError):
        signed = check("signature", False, "The signature does not match: the credential has been changed or forged.")
    credential_id = str(unsigned.get("id", "")).removeprefix("urn:uuid:")
    try:
        stored = IssuedCredential.objects.filter(id=uuid.UUID(credential_id)).first()
    except ValueError:
        stored = None
    known = check(
        "record",
        stored is not None,
        "CareLead holds this credential." if stored else "CareLead has no record of this credential.",
    )
    current = known and check(
        "status",
        stored.revoked_at is None,
        "Not revoked." if stored.revoked_at is None else f"Revoked: {stored.revoked_reason}",
    )
    return {
        "valid": bool(ok and signed and known and current),
        "checks": checks,
        "subject": unsigned.get("credentialSubject", {}).get("name") if ok and signed else None,
        "achievement": unsigned.get("name") if ok and signed else None,
    }
