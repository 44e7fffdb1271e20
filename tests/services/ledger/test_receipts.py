from __future__ import annotations

import base64
import json

import pytest
from flask import Flask

from consent_app.extensions import db
from consent_app.services.ledger.keys import generate_key
from consent_app.services.ledger.merkle import leaf_hash
from consent_app.services.ledger.receipts import (
    InvalidReceipt,
    canonical_json,
    read_token,
    receipt_claims,
    sign_claims,
    token_body,
    verify_record,
)
from consent_app.signing import keyring
from tests.conftest import TEST_CONFIG, running_app
from tests.factories import make_record, make_site

KEY = TEST_CONFIG["RECEIPT_SIGNING_KEY"]  # the test app's, so its records verify with it too


def test_canonical_json_sorts_keys_drops_whitespace_and_keeps_utf8() -> None:
    data = {"b": 1, "a": {"å": "ø", "c": [1, 2]}, "z": None}
    assert canonical_json(data) == '{"a":{"c":[1,2],"å":"ø"},"b":1,"z":null}'.encode()


def test_canonical_json_is_the_same_whatever_the_insertion_order() -> None:
    one = {"x": 1, "y": [1, {"q": 2, "p": 3}]}
    two = {"y": [1, {"p": 3, "q": 2}], "x": 1}
    assert canonical_json(one) == canonical_json(two)


def test_canonical_json_refuses_nan() -> None:
    with pytest.raises(ValueError):
        canonical_json({"x": float("nan")})


def test_sign_and_read_round_trip() -> None:
    claims = {"receipt_id": "01ABC", "granted": ["necessary"], "gpc": False}
    token = sign_claims(claims, KEY)
    assert read_token(token, KEY) == claims


def test_token_body_is_the_canonical_json() -> None:
    claims = {"b": 2, "a": "æ"}
    body = sign_claims(claims, KEY).split(".")[0]
    decoded = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    assert decoded == canonical_json(claims)


def test_tampered_body_is_rejected() -> None:
    token = sign_claims({"action": "reject_all"}, KEY)
    _body, sig = token.split(".")
    forged = base64.urlsafe_b64encode(canonical_json({"action": "accept_all"})).rstrip(b"=")
    with pytest.raises(InvalidReceipt):
        read_token(forged.decode() + "." + sig, KEY)


def test_token_signed_with_another_key_is_rejected() -> None:
    token = sign_claims({"action": "reject_all"}, "another-key-" * 4)
    with pytest.raises(InvalidReceipt):
        read_token(token, KEY)


@pytest.mark.parametrize("garbage", ["", "nodot", "a.b", "!!!.???", "e30.abc"])
def test_garbage_tokens_are_rejected(garbage: str) -> None:
    with pytest.raises(InvalidReceipt):
        read_token(garbage, KEY)


def test_stored_record_verifies(app: Flask) -> None:
    make_site()
    record = make_record()
    check = verify_record(record, KEY)
    assert check.valid, check.reason


def test_editing_a_stored_field_is_detected(app: Flask) -> None:
    make_site()
    record = make_record(
        choices={"functionality": False, "advertising": False}, action="reject_all"
    )
    record.granted = ["necessary", "advertising"]
    db.session.commit()
    check = verify_record(record, KEY)
    assert check.signature_valid and not check.matches_record
    assert not check.valid


def test_receipt_states_the_decision_without_the_query_string(app: Flask) -> None:
    make_site()
    record = make_record()
    claims = json.loads(canonical_json(receipt_claims(record)))
    assert claims["granted"] == ["functionality", "necessary"]
    assert claims["denied"] == ["advertising"]
    assert claims["origin"] == "https://shop.example"
    assert claims["path"] == "/products/a"
    assert "utm_source" not in json.dumps(claims)
    assert claims["policy_text_hash"] and len(claims["policy_text_hash"]) == 64


def test_receipt_states_every_kantara_and_iso_27560_field(app: Flask) -> None:
    make_site(controller="Shop Holding AS")
    record = make_record(country="NO", gpc=True)
    claims = read_token(record.receipt, KEY)
    assert claims == {
        "format": "2",
        "receipt_id": record.receipt_id,
        "site": "shop",
        "controller": "Shop Holding AS",
        "subject_id": "k3J9abcdefghijklmnop",
        "issued_at": claims["issued_at"],
        "expires_at": claims["expires_at"],
        "jurisdiction": "NO",
        "policy_version": "1",
        "policy_text_hash": record.policy_version.text_hash,
        "granted": ["functionality", "necessary"],
        "denied": ["advertising"],
        "purposes": {
            "advertising": claims["purposes"]["advertising"],
            "functionality": claims["purposes"]["functionality"],
            "necessary": claims["purposes"]["necessary"],
        },
        "action": "custom",
        "gpc": True,
        "language": "nb",
        "device_class": "desktop",
        "origin": "https://shop.example",
        "path": "/products/a",
    }
    assert claims["purposes"]["advertising"].startswith("Record your visits")
    assert claims["issued_at"].endswith("Z") and claims["expires_at"] > claims["issued_at"]


def test_the_leaf_hash_is_over_the_signed_canonical_json(app: Flask) -> None:
    make_site()
    record = make_record()
    assert record.leaf_hash == leaf_hash(token_body(record.receipt))
    assert token_body(record.receipt) == canonical_json(receipt_claims(record))


def test_purposes_quoted_by_a_receipt_do_not_follow_later_text_changes(app: Flask) -> None:
    make_site()
    record = make_record()
    record.policy_version.purposes = {**record.policy_version.purposes, "advertising": "new"}
    db.session.commit()
    assert not verify_record(record, KEY).matches_record  # the stored policy is the truth


def test_ed25519_signature_verifies_and_detects_a_changed_receipt(database_url: str) -> None:
    _kid, entry = generate_key()
    with running_app(database_url, RECEIPT_ED25519_KEYS=entry) as app:
        make_site()
        signing = app.config["RECEIPT_SIGNING_KEY"]
        record = make_record(keyring=keyring())
        assert record.ed25519_kid == keyring().active.kid
        check = verify_record(record, signing, keyring())
        assert check.valid and check.ed25519_valid is True
        record.ed25519_signature = record.ed25519_signature[:-4] + "AAAA"
        check = verify_record(record, signing, keyring())
        assert check.ed25519_valid is False and not check.valid
        db.session.rollback()


def test_a_token_nested_thousands_deep_is_invalid_not_a_crash() -> None:
    body = base64.urlsafe_b64encode(b"[" * 3000 + b"]" * 3000).rstrip(b"=").decode()
    with pytest.raises(InvalidReceipt):
        read_token(body + ".x", KEY)
