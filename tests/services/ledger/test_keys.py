from __future__ import annotations

import base64

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from consent_app.services.ledger.keys import (
    InvalidKeyConfiguration,
    b64url,
    generate_key,
    load_keyring,
    thumbprint,
)


def test_a_generated_key_signs_and_its_jwk_verifies() -> None:
    kid, entry = generate_key()
    ring = load_keyring(entry)
    signed = ring.sign(b"tree head")
    assert signed is not None and signed.kid == kid
    (jwk,) = ring.jwks()["keys"]
    assert jwk == {
        "kty": "OKP",
        "crv": "Ed25519",
        "x": jwk["x"],
        "kid": kid,
        "use": "sig",
        "alg": "EdDSA",
    }
    public = Ed25519PublicKey.from_public_bytes(base64.urlsafe_b64decode(jwk["x"] + "="))
    public.verify(base64.urlsafe_b64decode(signed.signature + "=="), b"tree head")


def test_the_kid_is_the_rfc7638_thumbprint() -> None:
    # RFC 8037 appendix A.3: the thumbprint of its example Ed25519 key.
    x = "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"
    public = Ed25519PublicKey.from_public_bytes(base64.urlsafe_b64decode(x + "="))
    assert thumbprint(public) == "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k"


def test_rotation_signs_with_the_newest_and_keeps_old_keys_published() -> None:
    old_kid, old = generate_key()
    new_kid, new = generate_key()
    before = load_keyring(old)
    signature = before.sign(b"receipt")
    after = load_keyring(f"{old} {new}")
    assert after.active is not None and after.active.kid == new_kid
    assert [k["kid"] for k in after.jwks()["keys"]] == [old_kid, new_kid]
    assert after.verify(signature.kid, signature.signature, b"receipt")
    assert not after.verify(signature.kid, signature.signature, b"another receipt")


def test_a_retired_public_key_stays_published_and_verifies() -> None:
    kid, entry = generate_key()
    ring = load_keyring(entry)
    signature = ring.sign(b"old receipt")
    public_only = f"{kid}:{ring.jwks()['keys'][0]['x']}"
    retired = load_keyring("", public_only)
    assert retired.active is None and retired.sign(b"x") is None
    assert retired.verify(kid, signature.signature, b"old receipt")


@pytest.mark.parametrize("spec", ["kid:not-base64!", "kid:" + b64url(b"short")])
def test_a_malformed_key_stops_start_up(spec: str) -> None:
    with pytest.raises(InvalidKeyConfiguration):
        load_keyring(spec)


def test_no_key_means_no_ed25519_signature() -> None:
    ring = load_keyring("")
    assert ring.sign(b"x") is None and ring.jwks() == {"keys": []}
