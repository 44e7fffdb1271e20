"""Only the visitor's own banner, which holds the visitor secret, can act on their receipts.

An attacker here knows everything that is public or could leak: the receipt id, the public
receipt lookup, the log endpoints, the subject id, even the victim's signed receipt token.
None of it opens the victim's page, reads their latest decision, stores preferences,
withdraws or erases in their name, or records a decision for them.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from consent_app.extensions import db
from consent_app.models import ConsentRecord, Erasure, VisitorCredential
from tests.conftest import running_app
from tests.factories import SHOP_ORIGIN, consent_payload, make_site, seal_all

HEADERS = {"Origin": SHOP_ORIGIN}
VICTIM = "victimabcdefghijklmnop"


@pytest.fixture
def app(database_url: str) -> Iterator[Flask]:
    """Rate limits off: these tests try every guess, where a real attacker would be
    slowed to the per-address limits of tests/test_rate_limits.py."""
    with running_app(database_url, RATELIMIT_ENABLED=False) as app:
        yield app


@pytest.fixture
def victim(app: Flask, client: FlaskClient) -> dict[str, Any]:
    """The victim's banner records a decision, as in a browser; the log is sealed."""
    make_site()
    response = client.post(
        "/api/v1/consents", json=consent_payload(subject_id=VICTIM), headers=HEADERS
    )
    assert response.status_code == 201
    seal_all(app)
    return response.get_json()  # type: ignore[no-any-return]


def strings_in(document: Any) -> Iterator[str]:
    if isinstance(document, str):
        yield document
    elif isinstance(document, dict):
        for key, value in document.items():
            yield key
            yield from strings_in(value)
    elif isinstance(document, list):
        for item in document:
            yield from strings_in(item)


def public_knowledge(client: FlaskClient, victim: dict[str, Any]) -> set[str]:
    """Every string an attacker can collect, plus the victim's leaked token and id."""
    receipt_id = victim["receipt_id"]
    documents = [
        client.get(f"/api/v1/receipts/{receipt_id}").get_json(),
        client.get(f"/api/v1/receipts/{receipt_id}/proof").get_json(),
        client.get("/api/v1/log/head").get_json(),
        client.get("/c/shop.json").get_json(),
    ]
    known = {s for doc in documents for s in strings_in(doc)}
    known |= {receipt_id, VICTIM, victim["receipt"], *victim["receipt"].split(".")}
    assert victim["visitor_secret"] not in known
    return known


def records() -> int:
    return db.session.scalar(select(func.count()).select_from(ConsentRecord)) or 0


def test_nothing_public_opens_the_victims_page(client: FlaskClient, victim) -> None:
    for guess in public_knowledge(client, victim):
        form = {"site": "shop", "subject_id": VICTIM, "visitor_secret": guess}
        response = client.post("/my-consent/open", data=form)
        assert response.status_code in (403, 422), guess
        assert client.get("/my-consent").status_code == 400
        assert client.get("/my-consent/download").status_code == 400
    assert (
        client.post("/my-consent/open", data={"site": "shop", "subject_id": VICTIM}).status_code
        == 403
    )


def test_nothing_public_withdraws_erases_or_decides_in_the_victims_name(
    client: FlaskClient, victim
) -> None:
    before = records()
    refuse = consent_payload(
        subject_id=VICTIM, action="withdraw", choices={"functionality": False, "advertising": False}
    )
    for guess in [None, *public_knowledge(client, victim)]:
        body = {**refuse, "visitor_secret": guess}
        assert client.post("/api/v1/consents", json=body, headers=HEADERS).status_code in (
            403,
            422,
        )
        mine = {"site": "shop", "subject_id": VICTIM, "visitor_secret": guess}
        latest = client.post("/api/v1/consents/latest", json=mine, headers=HEADERS)
        assert latest.status_code in (403, 422) and VICTIM not in latest.get_data(as_text=True)
        preference = {**mine, "language": "nb"}
        assert client.post("/api/v1/preferences", json=preference, headers=HEADERS).status_code in (
            403,
            422,
        )
        assert client.post("/my-consent/withdraw").status_code == 400
        assert client.post("/my-consent/erase", data={"confirm": "y"}).status_code == 400
    assert records() == before
    assert db.session.scalar(select(func.count()).select_from(Erasure)) == 0


def test_the_victims_own_banner_still_does_all_of_it(client: FlaskClient, victim) -> None:
    mine = {"site": "shop", "subject_id": VICTIM, "visitor_secret": victim["visitor_secret"]}
    latest = client.post("/api/v1/consents/latest", json=mine, headers=HEADERS)
    assert latest.get_json()["receipt_id"] == victim["receipt_id"]
    assert client.post("/my-consent/open", data=mine).status_code == 303
    download = json.loads(client.get("/my-consent/download").get_data())
    assert download["subject_id"] == VICTIM
    assert client.post("/my-consent/withdraw").status_code == 303
    assert client.post("/my-consent/erase", data={"confirm": "y"}).status_code == 200
    assert db.session.scalar(select(Erasure.receipt_count)) == 2


def test_an_erased_subject_can_never_be_claimed_again(client: FlaskClient, victim) -> None:
    """Otherwise whoever knows the id could decide in its name and, from the answer,
    learn that the visitor erased their data."""
    mine = {"site": "shop", "subject_id": VICTIM, "visitor_secret": victim["visitor_secret"]}
    assert client.post("/my-consent/open", data=mine).status_code == 303
    assert client.post("/my-consent/erase", data={"confirm": "y"}).status_code == 200
    before = records()
    for secret in (None, victim["visitor_secret"], "s" * 43):
        body = {**consent_payload(subject_id=VICTIM), "visitor_secret": secret}
        response = client.post("/api/v1/consents", json=body, headers=HEADERS)
        assert response.status_code == 403, response.get_json()
    assert records() == before
    [tombstone] = db.session.scalars(select(VisitorCredential)).all()
    assert tombstone.subject_id is None and tombstone.secret_hash is None


def test_a_page_left_open_cannot_withdraw_after_the_erasure(client: FlaskClient, victim) -> None:
    mine = {"site": "shop", "subject_id": VICTIM, "visitor_secret": victim["visitor_secret"]}
    client.post("/my-consent/open", data=mine)
    client.post("/my-consent/erase", data={"confirm": "y"})
    before = records()
    assert client.post("/my-consent/withdraw").status_code == 410
    assert client.post("/my-consent/erase", data={"confirm": "y"}).status_code == 410
    assert records() == before
    # The visitor's own banner is told, and only it.
    latest = client.post("/api/v1/consents/latest", json=mine, headers=HEADERS)
    assert latest.status_code == 410
