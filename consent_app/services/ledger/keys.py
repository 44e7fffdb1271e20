"""Ed25519 signing keys (library `cryptography`), published as a JWKS (RFC 8037).

Keys come from the environment as `RECEIPT_ED25519_KEYS="kid:seed kid:seed ..."` (seed =
the 32-byte private key, base64url without padding); the last one signs. Rotation: add a
new key at the end and keep the old ones, whose public halves stay at
/.well-known/jwks.json so receipts and tree heads they signed keep verifying. A retired key
whose private half is destroyed can stay published via `RECEIPT_ED25519_PUBLIC_KEYS`
("kid:public-key ...").
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey


class InvalidKeyConfiguration(ValueError):
    """A configured key is malformed; the app refuses to start rather than sign nothing."""


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _raw_public(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def thumbprint(public: Ed25519PublicKey) -> str:
    """RFC 7638 JWK thumbprint: the default key id."""
    required = {"crv": "Ed25519", "kty": "OKP", "x": b64url(_raw_public(public))}
    return b64url(
        hashlib.sha256(
            json.dumps(required, separators=(",", ":"), sort_keys=True).encode()
        ).digest()
    )


@dataclass(frozen=True)
class Ed25519Signature:
    kid: str
    signature: str  # base64url, no padding


@dataclass(frozen=True)
class PublishedKey:
    kid: str
    public: Ed25519PublicKey
    private: Ed25519PrivateKey | None = None

    def jwk(self) -> dict[str, str]:
        return {
            "kty": "OKP",
            "crv": "Ed25519",
            "x": b64url(_raw_public(self.public)),
            "kid": self.kid,
            "use": "sig",
            "alg": "EdDSA",
        }


class KeyRing:
    """Every published key; the newest one with a private half signs."""

    def __init__(self, keys: list[PublishedKey]) -> None:
        self.keys = {key.kid: key for key in keys}
        signing = [key for key in keys if key.private is not None]
        self.active = signing[-1] if signing else None

    def sign(self, data: bytes) -> Ed25519Signature | None:
        if self.active is None or self.active.private is None:
            return None
        return Ed25519Signature(self.active.kid, b64url(self.active.private.sign(data)))

    def verify(self, kid: str | None, signature: str | None, data: bytes) -> bool:
        key = self.keys.get(kid or "")
        if key is None or not signature:
            return False
        try:
            key.public.verify(b64url_decode(signature), data)
        except (InvalidSignature, ValueError, binascii.Error):
            return False
        return True

    def jwks(self) -> dict[str, list[dict[str, str]]]:
        return {"keys": [key.jwk() for key in self.keys.values()]}


def _entries(spec: str) -> list[tuple[str, bytes]]:
    entries = []
    for item in spec.replace(",", " ").split():
        kid, sep, material = item.rpartition(":")
        try:
            raw = b64url_decode(material)
        except (binascii.Error, ValueError) as exc:
            raise InvalidKeyConfiguration(f"key {kid or item!r} is not base64url") from exc
        if len(raw) != 32:
            raise InvalidKeyConfiguration(f"key {kid or item!r} must be 32 bytes, not {len(raw)}")
        entries.append((kid if sep else "", raw))
    return entries


def load_keyring(private_spec: str = "", public_spec: str = "") -> KeyRing:
    """Parse the two environment variables (see the module docstring)."""
    keys = []
    for kid, raw in _entries(public_spec):
        public = Ed25519PublicKey.from_public_bytes(raw)
        keys.append(PublishedKey(kid or thumbprint(public), public))
    for kid, raw in _entries(private_spec):
        private = Ed25519PrivateKey.from_private_bytes(raw)
        public = private.public_key()
        keys.append(PublishedKey(kid or thumbprint(public), public, private))
    return KeyRing(keys)


def seed_of(private: Ed25519PrivateKey) -> bytes:
    """The 32-byte seed a private key is made from (what RECEIPT_ED25519_KEYS holds)."""
    return private.private_bytes(
        serialization.Encoding.Raw,
        serialization.PrivateFormat.Raw,
        serialization.NoEncryption(),
    )


def generate_key() -> tuple[str, str]:
    """A new key: (kid, the `kid:seed` entry to append to RECEIPT_ED25519_KEYS)."""
    private = Ed25519PrivateKey.generate()
    kid = thumbprint(private.public_key())
    return kid, f"{kid}:{b64url(seed_of(private))}"
