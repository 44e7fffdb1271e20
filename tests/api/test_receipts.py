from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import update

from consent_app.extensions import db
from consent_app.models import ConsentRecord
from consent_app.services.visitor import VisitorKey, erase
from tests.factories import make_record, make_site, seal_all


def test_stored_receipt_is_returned_and_verifies(app: Flask, client: FlaskClient) -> None:
    make_site()
    record = make_record(app.config["RECEIPT_SIGNING_KEY"])
    body = client.get(f"/api/v1/receipts/{record.receipt_id}").get_json()
    assert body["valid"] is True
    assert body["signature_valid"] is True
    assert body["receipt"] == record.receipt
    assert body["claims"]["subject_id"] == record.subject_id


def test_tampered_stored_token_is_reported_invalid(app: Flask, client: FlaskClient) -> None:
    make_site()
    record = make_record(app.config["RECEIPT_SIGNING_KEY"])
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
        app.config["RECEIPT_SIGNING_KEY"],
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
    record = make_record(app.config["RECEIPT_SIGNING_KEY"])
    ok = client.post("/api/v1/receipts/verify", json={"receipt": record.receipt}).get_json()
    assert ok["valid"] is True and ok["claims"]["receipt_id"] == record.receipt_id
    forged = record.receipt[:-3] + "abc"
    bad = client.post("/api/v1/receipts/verify", json={"receipt": forged}).get_json()
    assert bad["valid"] is False and bad["claims"] is None


def test_verify_endpoint_rejects_a_non_string(client: FlaskClient) -> None:
    response = client.post("/api/v1/receipts/verify", json={"receipt": 5})
    assert response.status_code == 422


def test_an_erased_receipt_answers_410(app: Flask, client: FlaskClient) -> None:
    make_site()
    record = make_record(app.config["RECEIPT_SIGNING_KEY"])
    erase(VisitorKey("shop", record.subject_id), signing_key=app.config["RECEIPT_SIGNING_KEY"])
    response = client.get(f"/api/v1/receipts/{record.receipt_id}")
    assert response.status_code == 410
    assert response.get_json()["error"] == "receipt_erased"


def test_the_stored_receipt_names_its_leaf_and_position(app: Flask, client: FlaskClient) -> None:
    make_site()
    record = make_record(app.config["RECEIPT_SIGNING_KEY"])
    assert client.get(f"/api/v1/receipts/{record.receipt_id}").get_json()["log_index"] is None
    seal_all(app)
    body = client.get(f"/api/v1/receipts/{record.receipt_id}").get_json()
    assert body["log_index"] == 0 and body["leaf_hash"] == record.leaf_hash
