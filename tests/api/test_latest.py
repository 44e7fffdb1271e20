"""POST /api/v1/consents/latest: what the banner asks after the visitor used /my-consent."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from flask.testing import FlaskClient

from consent_app.services.visitor.self_service import VisitorKey, erase, withdraw
from consent_app.signing import hmac_key, keyring
from tests.factories import SHOP_ORIGIN, make_record, visitor_secret

SUBJECT = "k3J9abcdefghijklmnop"
SOMEONES_SECRET = "s" * 43


def mine() -> dict[str, str]:
    """What the subject's own banner sends."""
    return {"site": "shop", "subject_id": SUBJECT, "visitor_secret": visitor_secret(SUBJECT)}


pytestmark = pytest.mark.usefixtures("shop")


def ask(client: FlaskClient, body: object, origin: str | None = SHOP_ORIGIN):
    return client.post(
        "/api/v1/consents/latest",
        data=json.dumps(body),
        content_type="application/json",
        headers={"Origin": origin} if origin else {},
    )


def test_answers_the_newest_decision(client: FlaskClient) -> None:
    earlier = datetime.now(UTC) - timedelta(days=1)
    make_record(
        now=earlier, choices={"functionality": True, "advertising": True}, action="accept_all"
    )
    newest = make_record()
    response = ask(client, mine())
    assert response.status_code == 200
    assert response.get_json() == {
        "receipt_id": newest.receipt_id,
        "action": "custom",
        "choices": {"functionality": True, "advertising": False},
        "issued_at": response.get_json()["issued_at"],
    }
    assert response.headers["Access-Control-Allow-Origin"] == SHOP_ORIGIN


def test_a_withdrawal_made_on_my_consent_is_what_the_banner_learns(client, app) -> None:
    make_record(choices={"functionality": True, "advertising": True}, action="accept_all")
    withdraw(
        VisitorKey("shop", SUBJECT),
        service_origin="https://consent.example",
        signing_key=hmac_key(),
        keyring=keyring(),
        language="nb",
        device_class="desktop",
    )
    body = ask(client, mine()).get_json()
    assert body["action"] == "withdraw"
    assert body["choices"] == {"functionality": False, "advertising": False}


def test_the_subject_id_alone_reads_nothing(client: FlaskClient) -> None:
    make_record()
    response = ask(client, {"site": "shop", "subject_id": SUBJECT, "visitor_secret": "s" * 43})
    assert response.status_code == 403
    assert response.get_json()["error"] == "invalid_visitor_secret"
    assert ask(client, {"site": "shop", "subject_id": SUBJECT}).status_code == 422


def test_an_unknown_subject_answers_like_a_wrong_secret(client: FlaskClient) -> None:
    response = ask(client, {"site": "shop", "subject_id": SUBJECT, "visitor_secret": "s" * 43})
    assert response.status_code == 403
    assert response.get_json()["error"] == "invalid_visitor_secret"


def test_an_erased_subject_is_410_to_its_own_banner_only(client: FlaskClient) -> None:
    make_record()
    own = mine()
    erase(VisitorKey("shop", SUBJECT), signing_key=hmac_key())
    response = ask(client, own)
    assert response.status_code == 410
    assert response.get_json()["error"] == "subject_erased"
    # Whoever knows only the id cannot even learn that the visitor erased their data.
    stranger = ask(client, {**own, "visitor_secret": SOMEONES_SECRET})
    assert stranger.status_code == 403


@pytest.mark.parametrize(
    ("body", "origin", "status", "code"),
    [
        (
            {"site": "shop", "subject_id": SUBJECT, "visitor_secret": SOMEONES_SECRET},
            "https://evil.example",
            403,
            "origin_not_allowed",
        ),
        (
            {"site": "shop", "subject_id": SUBJECT, "visitor_secret": SOMEONES_SECRET},
            None,
            403,
            "origin_not_allowed",
        ),
        (
            {"site": "nope", "subject_id": SUBJECT, "visitor_secret": SOMEONES_SECRET},
            SHOP_ORIGIN,
            404,
            "unknown_site",
        ),
        ({"site": "shop", "subject_id": "short"}, SHOP_ORIGIN, 422, "invalid_payload"),
        ({"site": "shop"}, SHOP_ORIGIN, 422, "invalid_payload"),
    ],
)
def test_bad_requests_are_clear_json_errors(client, body, origin, status, code) -> None:
    response = ask(client, body, origin)
    assert response.status_code == status
    assert response.get_json()["error"] == code


def test_preflight_from_an_allowed_origin_is_granted(client: FlaskClient) -> None:
    response = client.options(
        "/api/v1/consents/latest",
        headers={"Origin": SHOP_ORIGIN, "Access-Control-Request-Method": "POST"},
    )
    assert response.status_code == 204
    assert response.headers["Access-Control-Allow-Origin"] == SHOP_ORIGIN
