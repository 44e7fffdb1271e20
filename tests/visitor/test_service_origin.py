"""A withdrawal receipt is made on the service, so its signed origin is the service's own:
SERVICE_ORIGIN, never what a client's Host (or X-Forwarded-Host) header claims, and with
SERVICE_ORIGIN set no other host is answered at all."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from consent_app.extensions import db
from consent_app.models import ConsentRecord
from consent_app.services.ledger.receipts import read_token
from consent_app.visitor.views import LINK_COOKIE
from tests.conftest import TEST_CONFIG, IsolatedClient, running_app
from tests.factories import make_record, make_site
from tests.visitor.test_views import SUBJECT, open_page

ORIGIN = "https://consent.example.com"


@pytest.fixture
def behind_tls_proxy(database_url: str) -> Iterator[Flask]:
    """The service at ORIGIN, reached over plain http from a TLS-terminating proxy it was
    not told to trust (so the request itself says http)."""
    with running_app(database_url, SERVICE_ORIGIN=ORIGIN) as app:
        make_site()
        make_record(subject_id=SUBJECT)
        yield app


class BrowserAt(IsolatedClient):
    """A browser that calls the service at `base_url` (the Host header and scheme of every
    request it sends)."""

    def __init__(self, *args: Any, base_url: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.base_url = base_url

    def open(self, *args: Any, **kwargs: Any) -> Any:
        return super().open(*args, base_url=self.base_url, **kwargs)


def browser_at(app: Flask, base_url: str) -> FlaskClient:
    return BrowserAt(app, app.response_class, use_cookies=True, base_url=base_url)


def withdrawals() -> list[ConsentRecord]:
    db.session.expire_all()
    query = select(ConsentRecord).where(ConsentRecord.action == "withdraw")
    return list(db.session.scalars(query))


def withdraw(client: FlaskClient, **headers: str) -> int:
    open_page(client)
    return client.post("/my-consent/withdraw", headers=headers).status_code


def test_a_withdrawal_receipt_signs_the_configured_origin(behind_tls_proxy: Flask) -> None:
    client = browser_at(behind_tls_proxy, "http://consent.example.com")
    assert withdraw(client) == 303
    [receipt] = withdrawals()
    assert receipt.origin == ORIGIN
    assert read_token(receipt.receipt, TEST_CONFIG["RECEIPT_SIGNING_KEY"])["origin"] == ORIGIN


def test_a_forged_host_gets_a_400_and_no_receipt(behind_tls_proxy: Flask) -> None:
    client = browser_at(behind_tls_proxy, "http://consent.example.com")
    open_page(client)
    # A client writes whatever headers it likes: the page's cookie, under another Host.
    cookie = client.get_cookie(LINK_COOKIE, domain="consent.example.com", path="/my-consent")
    assert cookie is not None
    forged = {"Host": "bank.example", "Cookie": f"{LINK_COOKIE}={cookie.value}"}
    response = behind_tls_proxy.test_client(use_cookies=False).post(
        "/my-consent/withdraw", headers=forged
    )
    assert response.status_code == 400
    assert response.json is not None and response.json["error"] == "bad_request"
    assert withdrawals() == []


def test_a_forged_forwarded_host_gets_a_400_behind_a_trusted_proxy(database_url: str) -> None:
    with running_app(database_url, SERVICE_ORIGIN=ORIGIN, TRUSTED_PROXY_COUNT=1) as app:
        make_site()
        make_record(subject_id=SUBJECT)
        client = browser_at(app, "http://consent.example.com")
        open_page(client)
        forged = {"X-Forwarded-Host": "bank.example", "X-Forwarded-Proto": "https"}
        assert client.post("/my-consent/withdraw", headers=forged).status_code == 400
        assert withdrawals() == []
        honest = {"X-Forwarded-Host": "consent.example.com", "X-Forwarded-Proto": "https"}
        assert client.post("/my-consent/withdraw", headers=honest).status_code == 303
        assert [receipt.origin for receipt in withdrawals()] == [ORIGIN]


def test_without_a_service_origin_development_signs_the_requests_own(app: Flask) -> None:
    make_site()
    make_record(subject_id=SUBJECT)
    assert withdraw(browser_at(app, "http://127.0.0.1:5000")) == 303
    assert [receipt.origin for receipt in withdrawals()] == ["http://127.0.0.1:5000"]
