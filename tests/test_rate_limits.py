"""Every public POST is rate limited per client address: with a limit of 2, the third call
from one address is refused (JSON on the API, the error page on /my-consent), while
another address still gets through."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient

from consent_app.api.contract import OPERATIONS
from tests.conftest import running_app
from tests.factories import SHOP_ORIGIN, consent_payload, make_record, make_site, visitor_secret

SUBJECT = "k3J9abcdefghijklmnop"
LIMITS = {
    "CONSENT_RATE_LIMIT": "2 per minute",
    "IMPRESSION_RATE_LIMIT": "2 per minute",
    "COOKIE_REPORT_RATE_LIMIT": "2 per minute",
    "PREFERENCE_RATE_LIMIT": "2 per minute",
    "VERIFY_RATE_LIMIT": "2 per minute",
    "MY_CONSENT_RATE_LIMIT": "2 per minute",
}
API_PATHS = [
    "/api/v1/consents",
    "/api/v1/consents/latest",
    "/api/v1/preferences",
    "/api/v1/cookies/reports",
    "/api/v1/impressions",
    "/api/v1/receipts/verify",
]


def api_call(path: str) -> dict[str, object]:
    """A valid body for each endpoint, from the subject's own banner where it needs one."""
    mine = {"site": "shop", "subject_id": SUBJECT, "visitor_secret": visitor_secret(SUBJECT)}
    return {
        "/api/v1/consents": consent_payload(visitor_secret=mine["visitor_secret"]),
        "/api/v1/consents/latest": mine,
        "/api/v1/preferences": {**mine, "language": "nn"},
        "/api/v1/cookies/reports": {"site": "shop", "names": ["_unknown"]},
        "/api/v1/impressions": {"site": "shop", "policy_version": "1"},
        "/api/v1/receipts/verify": {"receipt": "not.a-receipt"},
    }[path]


ANOTHER_CLIENT = {"REMOTE_ADDR": "192.0.2.9"}


@pytest.fixture
def limited(database_url: str) -> Iterator[Flask]:
    with running_app(database_url, **LIMITS) as app:
        make_site()
        make_record(subject_id=SUBJECT)
        yield app


def test_every_public_post_of_the_api_is_limited() -> None:
    posts = {op.path for op in OPERATIONS if op.method == "post"}
    assert posts == set(API_PATHS)
    assert all(op.limited for op in OPERATIONS if op.method == "post")


@pytest.mark.parametrize("path", API_PATHS)
def test_the_api_answers_429_json_once_an_address_used_its_limit(limited: Flask, path: str) -> None:
    client = limited.test_client()

    def call(**environ: str):
        headers = {"Origin": SHOP_ORIGIN}
        return client.post(path, json=api_call(path), headers=headers, environ_base=environ)

    first, second, third = call(), call(), call()
    assert first.status_code < 300 and second.status_code < 300, first.get_data(as_text=True)
    assert third.status_code == 429
    assert third.get_json()["error"] == "rate_limited"
    assert int(third.headers["Retry-After"]) > 0
    assert call(**ANOTHER_CLIENT).status_code < 300


def open_page(client: FlaskClient, **environ: str):
    form = {"site": "shop", "subject_id": SUBJECT, "visitor_secret": visitor_secret(SUBJECT)}
    return client.post("/my-consent/open", data=form, environ_base=environ)


def test_opening_my_consent_is_limited_with_the_error_page(limited: Flask) -> None:
    client = limited.test_client()
    assert [open_page(client).status_code for _ in range(2)] == [303, 303]
    refused = open_page(client)
    assert refused.status_code == 429
    assert refused.mimetype == "text/html"
    assert "Too many requests" in refused.get_data(as_text=True)
    assert "Retry-After" in refused.headers
    assert open_page(client, **ANOTHER_CLIENT).status_code == 303


@pytest.mark.parametrize(
    ("path", "form"), [("/my-consent/withdraw", {}), ("/my-consent/erase", {"confirm": "y"})]
)
def test_withdrawing_and_erasing_are_limited(limited: Flask, path: str, form: dict) -> None:
    client = limited.test_client()
    open_page(client)
    answers = [client.post(path, data=form).status_code for _ in range(3)]
    assert answers[0] in (200, 303)
    assert answers[1] in (200, 303, 410)  # (erasing twice: the second finds it erased)
    assert answers[2] == 429
