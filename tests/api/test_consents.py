from __future__ import annotations

import hashlib
import json

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, inspect, select

from consent_app.extensions import db
from consent_app.models import ConsentRecord, Site, VisitorCredential
from consent_app.services.ledger.receipts import read_token
from tests.conftest import running_app
from tests.factories import SHOP_ORIGIN, consent_payload, make_site, subject

HEADERS = {"Origin": SHOP_ORIGIN, "User-Agent": "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0)"}
REFUSED = {"functionality": False, "advertising": False}


pytestmark = pytest.mark.usefixtures("shop")


def post(client: FlaskClient, body: object, headers: dict[str, str] | None = None, raw=None):
    data = raw if raw is not None else json.dumps(body)
    return client.post(
        "/api/v1/consents",
        data=data,
        headers=HEADERS if headers is None else headers,
        content_type="application/json",
    )


def record_count() -> int:
    return db.session.scalar(select(func.count()).select_from(ConsentRecord))


def test_valid_decision_is_stored_with_a_signed_receipt(client: FlaskClient, app: Flask) -> None:
    response = post(client, consent_payload())
    assert response.status_code == 201
    body = response.get_json()
    assert set(body) == {"receipt_id", "receipt", "expires_at", "visitor_secret"}
    assert len(body["receipt_id"]) == 26
    assert body["expires_at"].endswith("Z")
    claims = read_token(body["receipt"], app.config["RECEIPT_SIGNING_KEY"])
    assert claims["receipt_id"] == body["receipt_id"]
    assert claims["granted"] == ["functionality", "necessary"]
    record = db.session.scalar(select(ConsentRecord))
    assert record.path == "/products/a"
    assert record.origin == SHOP_ORIGIN
    assert record.device_class == "mobile"
    assert record.language == "nb"


def test_allowed_origin_gets_exact_cors_headers(client: FlaskClient) -> None:
    response = post(client, consent_payload())
    assert response.headers["Access-Control-Allow-Origin"] == SHOP_ORIGIN
    assert "Origin" in response.headers["Vary"]


def test_preflight_names_the_origin_never_a_wildcard(client: FlaskClient) -> None:
    response = client.options(
        "/api/v1/consents",
        headers={
            "Origin": SHOP_ORIGIN,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert response.status_code == 204
    assert response.headers["Access-Control-Allow-Origin"] == SHOP_ORIGIN
    assert "POST" in response.headers["Access-Control-Allow-Methods"]


def test_preflight_from_a_stranger_gets_no_cors_grant(client: FlaskClient) -> None:
    response = client.options("/api/v1/consents", headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in response.headers


def test_no_ip_address_is_stored_anywhere(client: FlaskClient, app: Flask) -> None:
    response = client.post(
        "/api/v1/consents",
        json=consent_payload(),
        headers={**HEADERS, "X-Forwarded-For": "203.0.113.77"},
        environ_base={"REMOTE_ADDR": "198.51.100.23"},
    )
    assert response.status_code == 201
    tables = inspect(db.engine).get_table_names()
    with db.engine.connect() as conn:
        for table in tables:
            for row in conn.exec_driver_sql(f"SELECT * FROM {table}"):
                text = " ".join(str(v) for v in row)
                assert "198.51.100.23" not in text and "203.0.113.77" not in text


@pytest.mark.parametrize(
    ("raw", "status", "code"),
    [
        ("{not json", 400, "invalid_json"),
        ("", 400, "invalid_json"),
        ("[1, 2]", 422, "invalid_payload"),
        ("\xff", 400, "invalid_json"),
    ],
)
def test_malformed_bodies_get_json_errors(client: FlaskClient, raw, status, code) -> None:
    response = post(client, None, raw=raw.encode("latin-1"))
    assert response.status_code == status
    assert response.get_json()["error"] == code
    assert response.get_json()["message"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"choices": {"functionality": "yes", "advertising": False}}, "choices.functionality"),
        ({"subject_id": "short"}, "subject_id"),
        ({"subject_id": "has spaces in it and more"}, "subject_id"),
        ({"action": "maybe"}, "action"),
        ({"gpc": "false"}, "gpc"),
        ({"policy_version": 1}, "policy_version"),
        ({"page": "javascript:alert(1)"}, "page"),
        ({"language": "not a language tag"}, "language"),
        ({"extra": 1}, "extra"),
    ],
)
def test_wrong_types_get_invalid_payload_with_the_field(client: FlaskClient, change, field) -> None:
    response = post(client, consent_payload(**change))
    assert response.status_code == 422
    body = response.get_json()
    assert body["error"] == "invalid_payload"
    assert field in [f["field"] for f in body["fields"]]


def test_missing_field_is_named(client: FlaskClient) -> None:
    payload = consent_payload()
    del payload["choices"]
    response = post(client, payload)
    assert response.status_code == 422
    assert "choices" in [f["field"] for f in response.get_json()["fields"]]


def test_unknown_category_is_refused(client: FlaskClient) -> None:
    choices = {"functionality": True, "advertising": True, "analytics": True}
    response = post(client, consent_payload(choices=choices))
    assert response.status_code == 422
    assert response.get_json()["error"] == "unknown_category"
    assert record_count() == 0


def test_choices_must_name_every_category(client: FlaskClient) -> None:
    response = post(client, consent_payload(choices={"functionality": True}))
    assert response.status_code == 422
    assert response.get_json()["error"] == "invalid_payload"


def test_necessary_cannot_be_refused(client: FlaskClient) -> None:
    choices = {"necessary": False, "functionality": True, "advertising": True}
    response = post(client, consent_payload(choices=choices, action="accept_all"))
    assert response.status_code == 422


def test_action_must_match_choices(client: FlaskClient) -> None:
    response = post(client, consent_payload(action="reject_all"))
    assert response.status_code == 422
    assert response.get_json()["fields"][0]["field"] == "action"


def test_unknown_site_is_404(client: FlaskClient) -> None:
    response = post(client, consent_payload(site="nosuchsite"))
    assert response.status_code == 404
    assert response.get_json()["error"] == "unknown_site"


def test_unknown_policy_version_is_refused(client: FlaskClient) -> None:
    response = post(client, consent_payload(policy_version="99"))
    assert response.status_code == 422
    assert response.get_json()["error"] == "unknown_policy_version"


@pytest.mark.parametrize("origin", ["https://evil.example", "http://shop.example", None])
def test_wrong_or_missing_origin_is_403(client: FlaskClient, origin: str | None) -> None:
    headers = {"Origin": origin} if origin else {}
    response = post(client, consent_payload(), headers=headers)
    assert response.status_code == 403
    assert response.get_json()["error"] == "origin_not_allowed"
    assert "Access-Control-Allow-Origin" not in response.headers
    assert record_count() == 0


def test_page_on_another_origin_is_refused(client: FlaskClient) -> None:
    response = post(client, consent_payload(page="https://elsewhere.example/x"))
    assert response.status_code == 422


def test_body_over_16_kib_is_413(client: FlaskClient) -> None:
    payload = consent_payload(padding="x" * (17 * 1024))
    response = post(client, payload)
    assert response.status_code == 413
    assert response.get_json()["error"] == "payload_too_large"


def test_wrong_method_is_json_405(client: FlaskClient) -> None:
    response = client.get("/api/v1/consents")
    assert response.status_code == 405
    assert response.get_json()["error"] == "method_not_allowed"


def test_rate_limit_answers_429_in_json(database_url: str) -> None:
    with running_app(database_url, CONSENT_RATE_LIMIT="2 per minute") as app:
        make_site(key="limited")
        client = app.test_client()
        codes = [
            post(client, consent_payload(site="limited", subject_id=subject(i))).status_code
            for i in range(3)
        ]
        assert codes == [201, 201, 429]
        last = post(client, consent_payload(site="limited", subject_id=subject(3)))
        assert last.get_json()["error"] == "rate_limited"
        assert record_count() == 2


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", ""])
def test_body_that_is_not_declared_json_is_415(client: FlaskClient, content_type: str) -> None:
    response = client.post(
        "/api/v1/consents",
        data=json.dumps(consent_payload()),
        headers={**HEADERS, "Content-Type": content_type},
    )
    assert response.status_code == 415
    assert response.get_json()["error"] == "unsupported_media_type"
    assert record_count() == 0


@pytest.mark.parametrize("path", ["/api/v2/consents", "/api/nothing", "/api/v1/nothing"])
def test_unknown_api_paths_answer_json_404(client: FlaskClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert response.get_json()["error"] == "not_found"


def test_gpc_action_records_a_refusal_of_advertising(client: FlaskClient) -> None:
    choices = {"functionality": False, "advertising": False}
    response = post(client, consent_payload(choices=choices, action="gpc", gpc=True))
    assert response.status_code == 201
    record = db.session.scalar(select(ConsentRecord))
    assert record.action == "gpc" and record.gpc is True
    assert "advertising" in record.denied


def test_gpc_action_cannot_grant_advertising(client: FlaskClient) -> None:
    choices = {"functionality": False, "advertising": True}
    response = post(client, consent_payload(choices=choices, action="gpc", gpc=True))
    assert response.status_code == 422


def test_gpc_action_needs_the_signal(client: FlaskClient) -> None:
    choices = {"functionality": False, "advertising": False}
    response = post(client, consent_payload(choices=choices, action="gpc", gpc=False))
    assert response.status_code == 422
    assert response.get_json()["fields"][0]["field"] == "gpc"


def test_sec_gpc_header_is_recorded_even_when_the_body_omits_it(client: FlaskClient) -> None:
    response = post(client, consent_payload(gpc=False), headers={**HEADERS, "Sec-GPC": "1"})
    assert response.status_code == 201
    assert db.session.scalar(select(ConsentRecord)).gpc is True


def test_explicit_opt_in_under_gpc_is_allowed(client: FlaskClient) -> None:
    choices = {"functionality": True, "advertising": True}
    response = post(client, consent_payload(choices=choices, action="accept_all", gpc=True))
    assert response.status_code == 201


def test_country_comes_from_the_trusted_header_only_as_a_code(database_url: str) -> None:
    with running_app(database_url, GEO_COUNTRY_HEADER="CF-IPCountry") as app:
        make_site(key="geo")
        response = app.test_client().post(
            "/api/v1/consents",
            json=consent_payload(site="geo"),
            headers={**HEADERS, "CF-IPCountry": "no"},
        )
        assert response.status_code == 201
        record = db.session.scalar(select(ConsentRecord))
        assert record.country == "NO"
        assert read_token(record.receipt, app.config["RECEIPT_SIGNING_KEY"])["jurisdiction"] == "NO"


@pytest.mark.parametrize(
    "path", ["/api/v1/consents", "/api/v1/impressions", "/api/v1/receipts/verify"]
)
def test_json_nested_thousands_deep_is_invalid_json_not_a_crash(client, path: str) -> None:
    response = client.post(
        path, data="[" * 5000 + "]" * 5000, headers=HEADERS, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.get_json()["error"] == "invalid_json"


def test_a_new_subjects_first_receipt_brings_its_secret_and_only_its_hash_is_kept(
    client: FlaskClient,
) -> None:
    secret = post(client, consent_payload()).get_json()["visitor_secret"]
    assert len(secret) == 43
    stored = db.session.scalar(select(VisitorCredential.secret_hash))
    assert stored == hashlib.sha256(secret.encode()).hexdigest() != secret


def test_a_later_decision_must_show_the_subjects_secret(client: FlaskClient) -> None:
    secret = post(client, consent_payload()).get_json()["visitor_secret"]
    again = post(client, consent_payload(action="reject_all", choices=REFUSED))
    assert again.status_code == 403
    assert again.get_json()["error"] == "visitor_secret_required"
    wrong = post(client, consent_payload(visitor_secret="x" * 43))
    assert wrong.status_code == 403
    assert wrong.get_json()["error"] == "invalid_visitor_secret"
    mine = post(client, consent_payload(visitor_secret=secret))
    assert mine.status_code == 201
    assert mine.get_json()["visitor_secret"] is None  # handed out once only
    assert record_count() == 2


def test_a_subject_from_before_secrets_cannot_be_claimed(client: FlaskClient) -> None:
    """Migration 0320 gives such subjects a credential without a hash: nobody can show a
    secret for it, so knowing the id is not enough to decide in that visitor's name."""
    site_id = db.session.scalar(select(Site.id))
    db.session.add(VisitorCredential.of(site_id, "k3J9abcdefghijklmnop"))
    db.session.commit()
    assert post(client, consent_payload()).status_code == 403
    assert post(client, consent_payload(visitor_secret="x" * 43)).status_code == 403
    assert record_count() == 0


def test_a_refused_secret_stores_nothing(client: FlaskClient) -> None:
    post(client, consent_payload())
    post(client, consent_payload(visitor_secret="y" * 43))
    assert record_count() == 1
