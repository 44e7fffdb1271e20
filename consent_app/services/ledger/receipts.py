"""Consent receipts: canonical JSON of a decision, signed with itsdangerous (HMAC-SHA256)
and, when a key is configured, with Ed25519.

The token is `base64url(canonical JSON) "." signature`, so anyone holding it can read the
receipt, and whoever holds the key can check that not one byte changed. The Ed25519
signature covers the same canonical JSON, so anyone can check it against the public key at
/.well-known/jwks.json. Its ledger leaf is SHA-256(0x00 || canonical JSON).

The fields follow the Kantara Consent Receipt and ISO/IEC TS 27560: receipt id, format
version, controller, subject, server time, jurisdiction, the policy version and a hash of
the text the visitor saw, granted and denied categories with their purposes, action,
GPC, language, device class, where the decision was made, and expiry.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from itsdangerous import BadSignature, Signer

from ...models import ConsentRecord
from ..errors import Gone
from .keys import Ed25519Signature, KeyRing
from .merkle import leaf_hash

# "2": purposes added. A new format is a new number, never a silent change.
RECEIPT_FORMAT = "2"
RECEIPT_SALT = "consent.receipt.v1"


class InvalidReceipt(Exception):
    """The token is malformed or its signature does not match."""


class ReceiptErased(Gone):
    code = "receipt_erased"


def canonical_json(data: Any) -> bytes:
    """Sorted keys, no whitespace, UTF-8: the same bytes for the same facts, always."""
    return json.dumps(
        data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def isoformat_z(moment: datetime) -> str:
    """UTC ISO 8601 with a Z and millisecond precision (what every engine can store)."""
    # isoformat() is several times faster than strftime, and this runs once per row in
    # verify-log and exports; "+00:00" is always the last six characters in UTC.
    return moment.astimezone(UTC).isoformat(timespec="milliseconds")[:-6] + "Z"


def claims(
    *,
    receipt_id: str,
    site_key: str,
    controller: str,
    subject_id: str,
    created_at: datetime,
    expires_at: datetime,
    policy_label: str,
    policy_text_hash: str,
    action: str,
    granted: list[str],
    denied: list[str],
    gpc: bool,
    language: str | None,
    country: str | None,
    device_class: str | None,
    origin: str,
    path: str,
    purposes: dict[str, str],
) -> dict[str, Any]:
    """The facts a receipt states. The one place that decides a receipt's content."""
    return {
        "format": RECEIPT_FORMAT,
        "receipt_id": receipt_id,
        "site": site_key,
        "controller": controller,
        "subject_id": subject_id,
        "issued_at": isoformat_z(created_at),
        "expires_at": isoformat_z(expires_at),
        "policy_version": policy_label,
        "policy_text_hash": policy_text_hash,
        "action": action,
        "granted": sorted(granted),
        "denied": sorted(denied),
        "gpc": gpc,
        "language": language,
        "jurisdiction": country,
        "device_class": device_class,
        "origin": origin,
        "path": path,
        "purposes": {slug: purposes.get(slug, "") for slug in sorted({*granted, *denied})},
    }


def receipt_claims(record: ConsentRecord) -> dict[str, Any]:
    """The claims a stored consent record states (to compare with its signed token)."""
    if record.erased or record.subject_id is None or record.path is None:
        raise ReceiptErased(f"the personal fields of receipt {record.receipt_id} were erased")
    return claims(
        receipt_id=record.receipt_id,
        site_key=record.site.key,
        controller=record.controller,
        subject_id=record.subject_id,
        created_at=record.created_at,
        expires_at=record.expires_at,
        policy_label=record.policy_version.label,
        policy_text_hash=record.policy_version.text_hash,
        action=record.action,
        granted=record.granted,
        denied=record.denied,
        gpc=record.gpc,
        language=record.language,
        country=record.country,
        device_class=record.device_class,
        origin=record.origin,
        path=record.path,
        purposes=record.policy_version.purposes,
    )


def _signer(key: str | bytes) -> Signer:
    return Signer(key, salt=RECEIPT_SALT, key_derivation="hmac", digest_method=hashlib.sha256)


def sign_claims(claims: dict[str, Any], key: str | bytes) -> str:
    return _token(canonical_json(claims), key)


def _token(canonical: bytes, key: str | bytes) -> str:
    body = base64.urlsafe_b64encode(canonical).rstrip(b"=")
    return _signer(key).sign(body).decode("ascii")


@dataclass(frozen=True)
class SignedReceipt:
    token: str
    leaf_hash: str
    ed25519: Ed25519Signature | None


def sign_receipt(claims: dict[str, Any], key: str | bytes, keyring: KeyRing) -> SignedReceipt:
    """The HMAC token, the ledger leaf and (when a key is configured) the Ed25519 signature,
    all over one canonical serialisation."""
    canonical = canonical_json(claims)
    return SignedReceipt(_token(canonical, key), leaf_hash(canonical), keyring.sign(canonical))


_URLSAFE_TO_STANDARD = bytes.maketrans(b"-_", b"+/")


def token_body(token: str) -> bytes:
    """The canonical JSON inside a token, without checking its signature.

    binascii directly: exports and verify-log decode a million of these, and
    base64.urlsafe_b64decode's pure-Python wrapping costs more than the decoding.
    """
    end = token.find(".")
    body = (token if end < 0 else token[:end]).encode("ascii", "replace")
    try:
        return binascii.a2b_base64(
            body.translate(_URLSAFE_TO_STANDARD) + b"=" * (-len(body) % 4), strict_mode=True
        )
    except (binascii.Error, ValueError) as exc:
        raise InvalidReceipt("the receipt is not a well-formed token") from exc


def read_token(token: str, key: str | bytes) -> dict[str, Any]:
    """Return the claims of a token whose signature verifies, else raise InvalidReceipt."""
    try:
        body = _signer(key).unsign(token.encode("ascii"))
        padded = body + b"=" * (-len(body) % 4)
        claims = json.loads(base64.urlsafe_b64decode(padded))
    except BadSignature as exc:
        raise InvalidReceipt("the signature does not match the receipt") from exc
    except (UnicodeError, binascii.Error, ValueError, RecursionError) as exc:
        raise InvalidReceipt("the receipt is not a well-formed token") from exc
    if not isinstance(claims, dict):
        raise InvalidReceipt("receipt body is not a JSON object")
    return claims


@dataclass(frozen=True)
class Verification:
    signature_valid: bool
    matches_record: bool
    reason: str = ""
    # None when the receipt carries no Ed25519 signature (no key was configured).
    ed25519_valid: bool | None = None

    @property
    def valid(self) -> bool:
        return self.signature_valid and self.matches_record and self.ed25519_valid is not False


def verify_record(
    record: ConsentRecord, key: str | bytes, keyring: KeyRing | None = None
) -> Verification:
    """Check the stored token's signature, that it states what the row says, that the row's
    leaf hash is its leaf, and its Ed25519 signature when it has one."""
    if record.receipt is None:
        raise ReceiptErased(f"the personal fields of receipt {record.receipt_id} were erased")
    try:
        claims = read_token(record.receipt, key)
    except InvalidReceipt as exc:
        return Verification(False, False, f"signature does not verify: {exc}")
    canonical = canonical_json(claims)
    ed25519 = None
    if record.ed25519_signature is not None:
        ed25519 = keyring is not None and keyring.verify(
            record.ed25519_kid, record.ed25519_signature, canonical
        )
    if canonical != canonical_json(receipt_claims(record)) or leaf_hash(canonical) != (
        record.leaf_hash
    ):
        return Verification(True, False, "stored record differs from its signed receipt", ed25519)
    if ed25519 is False:
        return Verification(True, True, "the Ed25519 signature does not verify", False)
    return Verification(True, True, "", ed25519)
