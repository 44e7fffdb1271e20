"""Every public POST is rate limited per client address: with a limit of 2, the third call
from one address is refused (JSON on the API, the error page on /my-consent), while
another address still gets through."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient

from consent_app.api.contract import OPERATIONS
from consent_app.extensions import limiter
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


def record_impression(client: FlaskClient, **environ: str) -> int:
    """A banner display from the shop's page: the cheapest limited call."""
    body = {"site": "shop", "policy_version": "1"}
    headers = {"Origin": SHOP_ORIGIN}
    return client.post(
        "/api/v1/impressions", json=body, headers=headers, environ_base=environ
    ).status_code


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


@pytest.mark.parametrize(
    ("first", "neighbour", "stranger"),
    [
        ("2001:db8:1:2::1", "2001:db8:1:2:ffff:ffff:ffff:fffe", "2001:db8:1:3::1"),
        ("::ffff:192.0.2.7", "192.0.2.7", "192.0.2.8"),
    ],
)
def test_a_limit_counts_an_ipv6_64_as_one_client(
    limited: Flask, first: str, neighbour: str, stranger: str
) -> None:
    """One IPv6 subscriber holds a whole /64: a new address in it is no new client. An
    IPv4 address is a client of its own, also when written IPv4-mapped."""
    client = limited.test_client()

    def call(address: str) -> int:
        return record_impression(client, REMOTE_ADDR=address)

    assert [call(first), call(neighbour)] == [204, 204]
    assert call(neighbour) == 429 and call(first) == 429
    assert call(stranger) == 204


def closed_port() -> int:
    """A loopback port nothing listens on (bound for a moment, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


HUNG_SECONDS = 6


@pytest.fixture
def silent_server() -> Iterator[int]:
    """A loopback port that accepts connections and never answers: a hung Redis, for
    HUNG_SECONDS (then it resets them, so that a client without a timeout fails instead
    of waiting for ever)."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(8)
        hang_up = threading.Timer(HUNG_SECONDS, server.close)
        hang_up.start()
        yield int(server.getsockname()[1])
        hang_up.cancel()


@pytest.fixture
def limiter_trusting_its_store() -> None:
    """Flask-Limiter is one object for every app of this test process and remembers that a
    store failed (one app per process in production); this test's app starts as if new."""
    limiter._storage_dead = False


@pytest.mark.parametrize("redis", ["closed", "silent"])
@pytest.mark.usefixtures("limiter_trusting_its_store")
def test_limits_hold_per_process_while_redis_is_unreachable(
    database_url: str, request: pytest.FixtureRequest, redis: str
) -> None:
    port = closed_port() if redis == "closed" else request.getfixturevalue("silent_server")
    with running_app(
        database_url, RATELIMIT_STORAGE_URI=f"redis://127.0.0.1:{port}", **LIMITS
    ) as app:
        make_site()
        client = app.test_client()
        started = time.monotonic()
        answers = [record_impression(client) for _ in range(3)]
        assert answers == [204, 204, 429]
        assert time.monotonic() - started < HUNG_SECONDS - 1  # no request waits it out
