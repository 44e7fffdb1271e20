from __future__ import annotations

from datetime import datetime

import pytest
from flask import Flask
from flask.testing import FlaskClient

from consent_app.services.ledger.keys import generate_key
from consent_app.services.ledger.log import tree_head_body
from consent_app.services.ledger.merkle import verify_consistency, verify_inclusion
from consent_app.signing import keyring
from tests.conftest import running_app
from tests.factories import make_record, make_records, make_site, seal_all, subject


@pytest.fixture
def two_heads(app: Flask) -> list:
    make_site()
    records = make_records(5)
    seal_all(app)
    records += [make_record(subject_id=subject(i)) for i in range(5, 12)]
    seal_all(app)
    return records


def test_an_empty_log_has_no_head_yet(client: FlaskClient) -> None:
    response = client.get("/api/v1/log/head")
    assert response.status_code == 404
    assert response.get_json()["error"] == "empty_log"


def test_the_head_is_the_latest_signed_one(client: FlaskClient, two_heads: list) -> None:
    response = client.get("/api/v1/log/head")
    head = response.get_json()
    assert head["tree_size"] == 12 and len(head["root_hash"]) == 64
    assert head["timestamp"].endswith("Z") and head["hmac"]
    assert head["ed25519"] is None  # no Ed25519 key in this configuration
    assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_a_receipt_proof_verifies_against_the_head(client: FlaskClient, two_heads: list) -> None:
    record = two_heads[6]
    body = client.get(f"/api/v1/receipts/{record.receipt_id}/proof").get_json()
    assert body["leaf_index"] == 6 and body["tree_size"] == 12
    assert body["tree_head"]["tree_size"] == 12
    assert verify_inclusion(
        6, 12, record.leaf_hash, body["audit_path"], body["tree_head"]["root_hash"]
    )


def test_a_waiting_receipt_has_no_proof_yet(app: Flask, client: FlaskClient) -> None:
    make_site()
    record = make_record()
    response = client.get(f"/api/v1/receipts/{record.receipt_id}/proof")
    assert response.status_code == 409
    assert response.get_json()["error"] == "not_sealed"


def test_an_unknown_receipt_has_no_proof(client: FlaskClient) -> None:
    response = client.get("/api/v1/receipts/01AAAAAAAAAAAAAAAAAAAAAAAA/proof")
    assert response.status_code == 404
    assert response.get_json()["error"] == "unknown_receipt"


def test_consistency_between_two_sizes_verifies(client: FlaskClient, two_heads: list) -> None:
    body = client.get("/api/v1/log/consistency?first=5&second=12").get_json()
    assert verify_consistency(5, 12, body["first_root"], body["second_root"], body["proof"])
    head = client.get("/api/v1/log/head").get_json()
    assert body["second_root"] == head["root_hash"]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("first=a&second=3", "first"),
        ("first=1", "second"),
        ("first=4&second=2", "first"),
        ("first=1&second=13", "second"),
        ("first=0&second=3", "first"),
    ],
)
def test_bad_consistency_sizes_are_422_json(client, two_heads, query: str, field: str) -> None:
    response = client.get(f"/api/v1/log/consistency?{query}")
    assert response.status_code == 422
    body = response.get_json()
    assert body["error"] == "invalid_tree_size"
    assert body["fields"][0]["field"] == field


def test_jwks_publishes_every_key_and_the_head_verifies_with_it(database_url: str) -> None:
    old_kid, old = generate_key()
    new_kid, new = generate_key()
    with running_app(database_url, RECEIPT_ED25519_KEYS=f"{old} {new}") as app:
        make_site()
        make_records(3)
        seal_all(app)
        client = app.test_client()
        jwks = client.get("/.well-known/jwks.json")
        assert jwks.headers["Access-Control-Allow-Origin"] == "*"
        keys = jwks.get_json()["keys"]
        assert [(k["kid"], k["kty"], k["crv"]) for k in keys] == [
            (old_kid, "OKP", "Ed25519"),
            (new_kid, "OKP", "Ed25519"),
        ]
        head = client.get("/api/v1/log/head").get_json()
        assert head["ed25519"]["kid"] == new_kid
        body = tree_head_body(
            head["tree_size"],
            head["root_hash"],
            datetime.fromisoformat(head["timestamp"].replace("Z", "+00:00")),
        )
        assert keyring().verify(new_kid, head["ed25519"]["signature"], body)
