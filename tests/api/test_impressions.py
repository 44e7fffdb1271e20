from __future__ import annotations

import json

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, inspect, select

from consent_app.extensions import db
from consent_app.models import ConsentRecord, ConsentStats, PolicyVersion
from tests.conftest import running_app
from tests.factories import SHOP_ORIGIN, make_site

PHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0) Mobile/15E148"
HEADERS = {"Origin": SHOP_ORIGIN, "User-Agent": PHONE}


pytestmark = pytest.mark.usefixtures("shop")


def shown(**overrides: object) -> dict[str, object]:
    return {"site": "shop", "policy_version": "1", "language": "nb", "gpc": False, **overrides}


def beacon(client: FlaskClient, body: object, headers=None, content_type="text/plain"):
    """What navigator.sendBeacon sends for a string body."""
    return client.post(
        "/api/v1/impressions",
        data=body if isinstance(body, bytes) else json.dumps(body),
        headers=HEADERS if headers is None else headers,
        content_type=f"{content_type};charset=UTF-8" if content_type else None,
    )


def impressions() -> list[tuple[str, str, str, int, int]]:
    rows = db.session.execute(
        select(
            ConsentStats.country,
            ConsentStats.language,
            ConsentStats.device_class,
            ConsentStats.impressions,
            ConsentStats.impressions_gpc,
        ).where(ConsentStats.impressions > 0)
    )
    return [tuple(row) for row in rows]


def test_a_beacon_counts_one_impression_in_the_days_rollup(client: FlaskClient) -> None:
    response = beacon(client, shown())
    assert response.status_code == 204
    assert response.get_data() == b""
    assert impressions() == [("", "nb", "mobile", 1, 0)]
    row = db.session.scalar(select(ConsentStats))
    assert row.policy_version_id == db.session.scalar(select(PolicyVersion.id))
    assert row.decisions == 0


def test_impressions_add_up_per_language_device_and_gpc(client: FlaskClient) -> None:
    for _ in range(3):
        beacon(client, shown())
    beacon(client, shown(gpc=True))
    beacon(client, shown(language=None), headers={**HEADERS, "User-Agent": "Mozilla/5.0 (X11)"})
    assert sorted(impressions()) == [("", "", "desktop", 1, 0), ("", "nb", "mobile", 4, 1)]


def test_json_content_type_is_accepted_too(client: FlaskClient) -> None:
    assert beacon(client, shown(), content_type="application/json").status_code == 204
    assert impressions()[0][3] == 1


def test_an_impression_sets_no_cookie_and_stores_nothing_personal(client: FlaskClient) -> None:
    response = client.post(
        "/api/v1/impressions",
        data=json.dumps(shown()),
        content_type="text/plain",
        headers={**HEADERS, "X-Forwarded-For": "203.0.113.77"},
        environ_base={"REMOTE_ADDR": "198.51.100.23"},
    )
    assert response.status_code == 204
    assert "Set-Cookie" not in response.headers
    assert db.session.scalar(select(func.count()).select_from(ConsentRecord)) == 0
    with db.engine.connect() as conn:
        for table in inspect(db.engine).get_table_names():
            for row in conn.exec_driver_sql(f"SELECT * FROM {table}"):
                text = " ".join(str(v) for v in row)
                assert "198.51.100.23" not in text and "203.0.113.77" not in text
                assert "iPhone" not in text


def test_a_subject_id_is_refused_not_stored(client: FlaskClient) -> None:
    response = beacon(client, shown(subject_id="k3J9abcdefghijklmnop"))
    assert response.status_code == 422
    assert "subject_id" in [f["field"] for f in response.get_json()["fields"]]
    assert impressions() == []


def test_allowed_origin_gets_its_cors_grant(client: FlaskClient) -> None:
    response = beacon(client, shown())
    assert response.headers["Access-Control-Allow-Origin"] == SHOP_ORIGIN


@pytest.mark.parametrize("origin", ["https://evil.example", None])
def test_an_origin_the_site_does_not_allow_is_403(client: FlaskClient, origin) -> None:
    response = beacon(client, shown(), headers={"Origin": origin} if origin else {})
    assert response.status_code == 403
    assert response.get_json()["error"] == "origin_not_allowed"
    assert impressions() == []


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        (shown(site="nosuchsite"), 404, "unknown_site"),
        (shown(policy_version="9"), 422, "unknown_policy_version"),
        (shown(gpc="yes"), 422, "invalid_payload"),
        (shown(language="not a tag"), 422, "invalid_payload"),
        ({"site": "shop"}, 422, "invalid_payload"),
        (b"{not json", 400, "invalid_json"),
        (b"x" * (17 * 1024), 413, "payload_too_large"),
    ],
)
def test_bad_beacons_get_json_errors(client: FlaskClient, body, status, code) -> None:
    response = beacon(client, body)
    assert response.status_code == status
    assert response.get_json()["error"] == code
    assert impressions() == []


def test_a_form_body_is_415(client: FlaskClient) -> None:
    response = beacon(client, shown(), content_type="application/x-www-form-urlencoded")
    assert response.status_code == 415
    assert response.get_json()["error"] == "unsupported_media_type"


def test_impressions_are_rate_limited_per_client_address(database_url: str) -> None:
    with running_app(database_url, IMPRESSION_RATE_LIMIT="2 per minute") as app:
        make_site(key="limited")
        client = app.test_client()
        codes = [beacon(client, shown(site="limited")).status_code for _ in range(3)]
        assert codes == [204, 204, 429]
        other = client.post(
            "/api/v1/impressions",
            data=json.dumps(shown(site="limited")),
            content_type="text/plain",
            headers=HEADERS,
            environ_base={"REMOTE_ADDR": "192.0.2.9"},
        )
        assert other.status_code == 204
        assert sum(row[3] for row in impressions()) == 3
