"""Hostile input to the JSON API: each gets a clear JSON 4xx, the same on SQLite and
PostgreSQL, and nothing of it is stored."""

from __future__ import annotations

import json

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from consent_app.extensions import db
from consent_app.models import ConsentRecord
from tests.factories import SHOP_ORIGIN, consent_payload, make_record

HEADERS = {"Origin": SHOP_ORIGIN}
# A NUL (PostgreSQL refuses it), an escape (terminal tricks) and a right-to-left override
# (Trojan Source); tests/api/test_fields.py tries every refused character on every type.
UNSAFE = ["\x00", "\x1b", "\u202e"]


pytestmark = pytest.mark.usefixtures("shop")


def post_json(client: FlaskClient, path: str, body: object):
    # json.dumps escapes every non-ASCII and control character, so even a lone surrogate
    # reaches the server exactly as a browser's JSON.stringify would send it.
    return client.post(
        path, data=json.dumps(body), headers=HEADERS, content_type="application/json"
    )


def stored_receipts() -> int:
    return db.session.scalar(select(func.count()).select_from(ConsentRecord))


def assert_invalid(response, field: str) -> None:
    assert response.status_code == 422, response.get_data(as_text=True)
    body = response.get_json()
    assert body["error"] == "invalid_payload"
    assert field in {f["field"] for f in body["fields"]}


@pytest.mark.parametrize(
    "page",
    [
        "http://[::1/",
        "https://[::1]:99999/",
        "https://shop.example:0x50/",
        "https:///no-host",
        "https://",
    ],
)
def test_an_unparseable_page_url_is_an_invalid_page(client: FlaskClient, page: str) -> None:
    assert_invalid(post_json(client, "/api/v1/consents", consent_payload(page=page)), "page")
    assert stored_receipts() == 0


def test_control_and_bidi_characters_never_reach_a_receipt_path(client: FlaskClient) -> None:
    for character in UNSAFE:
        page = f"{SHOP_ORIGIN}/pay{character}ment"
        assert_invalid(post_json(client, "/api/v1/consents", consent_payload(page=page)), "page")
    assert stored_receipts() == 0


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/api/v1/consents", consent_payload(policy_version="1{}"), "policy_version"),
        ("/api/v1/consents", consent_payload(language="nb{}"), "language"),
        (
            "/api/v1/preferences",
            {"site": "shop", "subject_id": "k3J9abcdefghijklmnop", "location": "Oslo{}"},
            "location",
        ),
        ("/api/v1/cookies/reports", {"site": "shop", "names": ["_x{}", "_ga"]}, "names.0"),
        ("/api/v1/impressions", {"site": "shop", "policy_version": "1{}"}, "policy_version"),
        ("/api/v1/receipts/verify", {"receipt": "abc{}.def"}, "receipt"),
        ("/api/v1/consents/latest", {"site": "sh{}op", "subject_id": "k3J9abcdefghijkl"}, "site"),
    ],
)
def test_every_text_field_refuses_control_and_bidi_characters(
    client: FlaskClient, path: str, body: dict, field: str
) -> None:
    for character in UNSAFE:
        hostile = json.loads(json.dumps(body).replace("{}", json.dumps(character)[1:-1]))
        assert_invalid(post_json(client, path, hostile), field)


def test_a_json_key_with_a_nul_is_an_invalid_field(client: FlaskClient) -> None:
    body = consent_payload(choices={"functionality": True, "advertising": False, "a\x00": True})
    response = post_json(client, "/api/v1/consents", body)
    assert response.status_code == 422
    assert stored_receipts() == 0


@pytest.mark.parametrize("suffix", ["", "/proof"])
def test_a_receipt_id_of_the_wrong_shape_is_an_unknown_receipt(
    app: Flask, client: FlaskClient, suffix: str
) -> None:
    record = make_record()
    # 26 characters, as every receipt id: the route takes them, and no query is made.
    for receipt_id in (
        "01J%00" + "A" * 22,
        "01J%E2%80%AE" + "A" * 22,
        record.receipt_id.lower(),
        record.receipt_id[:-1] + "%0A",
    ):
        response = client.get(f"/api/v1/receipts/{receipt_id}{suffix}")
        assert response.status_code == 404, response.get_data(as_text=True)
        assert response.get_json()["error"] == "unknown_receipt"
    # Any other length is no receipt's address at all.
    for receipt_id in ("%00", "%E2%80%AE", "x" * 300, record.receipt_id + "%0A"):
        response = client.get(f"/api/v1/receipts/{receipt_id}{suffix}")
        assert response.status_code == 404, response.get_data(as_text=True)
        assert response.get_json()["error"] == "not_found"


def test_verify_is_not_a_receipt_id(client: FlaskClient) -> None:
    response = client.get("/api/v1/receipts/verify")
    assert response.status_code == 405
    assert set(response.headers["Allow"].split(", ")) == {"POST", "OPTIONS"}
    assert response.get_json()["error"] == "method_not_allowed"


def test_a_tree_size_that_is_not_a_whole_number_is_invalid(client: FlaskClient) -> None:
    for size in ("%00", "\u00b2", "\u0661", "1" * 5000, "-1", "+1", " 1", "1.0", "1%0A"):
        response = client.get(f"/api/v1/log/consistency?first=1&second={size}")
        assert response.status_code == 422, (size, response.get_data(as_text=True))
        assert response.get_json()["error"] == "invalid_tree_size"


def test_an_origin_header_with_a_nul_is_simply_not_allowed(client: FlaskClient) -> None:
    hostile = {"Origin": f"{SHOP_ORIGIN}\x00"}
    preflight = client.options("/api/v1/consents", headers=hostile)
    assert preflight.status_code == 204
    assert "Access-Control-Allow-Origin" not in preflight.headers
    response = client.post(
        "/api/v1/consents",
        data=json.dumps(consent_payload()),
        headers=hostile,
        content_type="application/json",
    )
    assert response.status_code == 403
    assert response.get_json()["error"] == "origin_not_allowed"
