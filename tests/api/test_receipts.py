from __future__ import annotations

import json

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import update

from consent_app.extensions import db
from consent_app.models import ConsentRecord
from consent_app.services.ledger.receipts import read_token, sign_claims
from consent_app.services.visitor.self_service import VisitorKey, erase
from tests.factories import AuthActions, make_record, make_site, seal_all, visitor_secret


def test_anyone_learns_that_a_receipt_verifies_but_not_whose_it_is(
    app: Flask, client: FlaskClient
) -> None:
    make_site()
    record = make_record()
    body = client.get(f"/api/v1/receipts/{record.receipt_id}").get_json()
    assert body["valid"] is True
    assert body["signature_valid"] is True
    assert body["complete"] is False
    assert body["receipt"] is None
    assert "subject_id" not in body["claims"] and "path" not in body["claims"]
    assert record.subject_id not in json.dumps(body)
    assert body["claims"]["action"] == "custom" and body["leaf_hash"] == record.leaf_hash


def test_the_visitor_showing_the_secret_gets_the_whole_receipt(
    app: Flask, client: FlaskClient
) -> None:
    make_site()
    record = make_record()
    response = client.get(
        f"/api/v1/receipts/{record.receipt_id}",
        headers={"X-Visitor-Secret": visitor_secret(record.subject_id)},
    )
    body = response.get_json()
    assert body["complete"] is True and body["receipt"] == record.receipt
    assert body["claims"]["subject_id"] == record.subject_id
    assert "no-store" in response.headers["Cache-Control"]
    wrong = client.get(
        f"/api/v1/receipts/{record.receipt_id}", headers={"X-Visitor-Secret": "s" * 43}
    )
    assert wrong.get_json()["complete"] is False


@pytest.mark.parametrize(
    ("role", "complete"), [("auditor", True), ("admin", True), ("marketer", False)]
)
def test_a_signed_in_auditor_gets_the_whole_receipt(
    client: FlaskClient, auth: AuthActions, role: str, complete: bool
) -> None:
    make_site()
    record = make_record()
    auth.login(role)
    body = client.get(f"/api/v1/receipts/{record.receipt_id}").get_json()
    assert body["complete"] is complete
    assert ("subject_id" in body["claims"]) is complete


def test_tampered_stored_token_is_reported_invalid(app: Flask, client: FlaskClient) -> None:
    make_site()
    record = make_record()
    body, signature = record.receipt.split(".")
    flipped = body[:-2] + ("A" if body[-2] != "A" else "B") + body[-1]
    db.session.execute(
        update(ConsentRecord)
        .where(ConsentRecord.id == record.id)
        .values(receipt=f"{flipped}.{signature}")
    )
    db.session.commit()
    answer = client.get(f"/api/v1/receipts/{record.receipt_id}").get_json()
    assert answer["valid"] is False
    assert answer["signature_valid"] is False


def test_tampered_stored_field_is_reported_invalid(app: Flask, client: FlaskClient) -> None:
    make_site()
    record = make_record(
        choices={"functionality": False, "advertising": False},
        action="reject_all",
    )
    db.session.execute(
        update(ConsentRecord).where(ConsentRecord.id == record.id).values(action="accept_all")
    )
    db.session.commit()
    db.session.expire_all()
    answer = client.get(f"/api/v1/receipts/{record.receipt_id}").get_json()
    assert answer["signature_valid"] is True
    assert answer["matches_record"] is False
    assert answer["valid"] is False


def test_unknown_receipt_is_404_json(client: FlaskClient) -> None:
    response = client.get("/api/v1/receipts/01AAAAAAAAAAAAAAAAAAAAAAAA")
    assert response.status_code == 404
    assert response.get_json()["error"] == "unknown_receipt"


def test_verify_endpoint_checks_a_token_the_visitor_holds(app: Flask, client: FlaskClient) -> None:
    make_site()
    record = make_record()
    ok = client.post("/api/v1/receipts/verify", json={"receipt": record.receipt}).get_json()
    assert ok["valid"] is True and ok["claims"]["receipt_id"] == record.receipt_id
    assert ok["log_index"] is None  # stored, not sealed yet
    forged = record.receipt[:-3] + "abc"
    bad = client.post("/api/v1/receipts/verify", json={"receipt": forged}).get_json()
    assert bad["valid"] is False and bad["claims"] is None


def test_a_signed_token_the_log_does_not_hold_is_not_valid(app: Flask, client: FlaskClient) -> None:
    """The HMAC only says the service signed these bytes once; the log must hold them."""
    make_site()
    record = make_record()
    claims = read_token(record.receipt, app.config["RECEIPT_SIGNING_KEY"])
    never_logged = sign_claims(
        {**claims, "receipt_id": "01AAAAAAAAAAAAAAAAAAAAAAAA"}, app.config["RECEIPT_SIGNING_KEY"]
    )
    body = client.post("/api/v1/receipts/verify", json={"receipt": never_logged}).get_json()
    assert body["valid"] is False and "no receipt" in body["reason"]
    altered = sign_claims({**claims, "action": "accept_all"}, app.config["RECEIPT_SIGNING_KEY"])
    body = client.post("/api/v1/receipts/verify", json={"receipt": altered}).get_json()
    assert body["valid"] is False and "different receipt" in body["reason"]


def test_an_erased_receipts_token_still_verifies_against_its_leaf(
    app: Flask, client: FlaskClient
) -> None:
    make_site()
    record = make_record()
    token = record.receipt
    erase(VisitorKey("shop", record.subject_id), signing_key=app.config["RECEIPT_SIGNING_KEY"])
    seal_all(app)
    body = client.post("/api/v1/receipts/verify", json={"receipt": token}).get_json()
    assert body["valid"] is True and body["log_index"] == 0


def test_verify_endpoint_rejects_a_non_string(client: FlaskClient) -> None:
    response = client.post("/api/v1/receipts/verify", json={"receipt": 5})
    assert response.status_code == 422


def test_an_erased_receipt_answers_410(app: Flask, client: FlaskClient) -> None:
    make_site()
    record = make_record()
    erase(VisitorKey("shop", record.subject_id), signing_key=app.config["RECEIPT_SIGNING_KEY"])
    response = client.get(f"/api/v1/receipts/{record.receipt_id}")
    assert response.status_code == 410
    assert response.get_json()["error"] == "receipt_erased"


def test_the_stored_receipt_names_its_leaf_and_position(app: Flask, client: FlaskClient) -> None:
    make_site()
    record = make_record()
    assert client.get(f"/api/v1/receipts/{record.receipt_id}").get_json()["log_index"] is None
    seal_all(app)
    body = client.get(f"/api/v1/receipts/{record.receipt_id}").get_json()
    assert body["log_index"] == 0 and body["leaf_hash"] == record.leaf_hash
