"""What the browser tests share: the servers, and reading outcomes from page and database."""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from flask import Flask
from playwright.sync_api import BrowserContext, Page, Response, expect
from sqlalchemy import select

from consent_app.extensions import db
from consent_app.models import ConsentRecord, Site
from consent_app.services.ledger.receipts import verify_record
from consent_app.services.sites.policies import publish
from tests import factories

_site_numbers = itertools.count(1)
# The demo page (consent_app/demo) sets these cookies.
DEMO_PAGE_RULES = (
    ("lang", "exact", "functionality"),
    ("_fbp", "exact", "advertising"),
    ("_gcl_au", "exact", "advertising"),
)
T = TypeVar("T")


@dataclass
class Servers:
    app: Flask
    service_url: str
    host_url: str
    domain_host_url: str

    def page_url(self, site: str = "demo", path: str = "/", **query: str) -> str:
        params = {"site": site, **query} if site != "demo" else query
        suffix = "&".join(f"{k}={v}" for k, v in params.items())
        return f"{self.host_url}{path}" + (f"?{suffix}" if suffix else "")


def cookie_names(context: BrowserContext, url: str) -> set[str]:
    return {c["name"] for c in context.cookies(url)}


def records_for(servers: Servers, subject_id: str) -> list[ConsentRecord]:
    """The subject's stored decisions, oldest first; each must verify."""
    with servers.app.app_context():
        rows = db.session.scalars(
            select(ConsentRecord)
            .where(ConsentRecord.subject_id == subject_id)
            .order_by(ConsentRecord.id)
        ).all()
        for row in rows:
            assert verify_record(row, servers.app.config["RECEIPT_SIGNING_KEY"]).valid
        db.session.remove()
        return list(rows)


def make_site(servers: Servers, **fields: Any) -> str:
    """A fresh site (tests/factories.py's) for a test that changes site configuration,
    on the demo page's origin, knowing the cookies that page sets; returns its key."""
    key = f"e2e{next(_site_numbers)}"
    with servers.app.app_context():
        factories.make_site(
            key,
            origins=[servers.host_url],
            rules=DEMO_PAGE_RULES,
            **{"name": f"E2E {key}", "default_language": "en", **fields},
        )
        db.session.remove()
    return key


def make_user(servers: Servers, role: str, email: str) -> None:
    """A user (tests/factories.py's, with its USER_PASSWORD) for sign_in."""
    with servers.app.app_context():
        factories.make_user(role, email)
        db.session.remove()


def sign_in(page: Page, servers: Servers, email: str) -> Response | None:
    """Sign in through the form, as a person does; returns the sign-in page's response."""
    response = page.goto(servers.service_url + "/auth/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(factories.USER_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    return response


def wait_until(page: Page, condition: Callable[[], T], message: str, timeout: float = 5) -> T:
    """Polls `condition` (e.g. a database query) until it is true; fails after `timeout`
    seconds. Waits through the page, so that its events keep arriving meanwhile."""
    deadline = time.monotonic() + timeout
    while not (value := condition()):
        assert time.monotonic() < deadline, f"{message} (waited {timeout} s)"
        page.wait_for_timeout(50)
    return value


def publish_version(servers: Servers, site_key: str, label: str, *, major: bool) -> None:
    with servers.app.app_context():
        site = db.session.scalar(select(Site).where(Site.key == site_key))
        publish(site, label, major=major)
        db.session.remove()


def open_banner(page: Page, url: str) -> None:
    page.goto(url)
    expect(page.get_by_role("button", name="Accept all")).to_be_visible()


def wait_for_receipt(page: Page, previous: str | None = None) -> str:
    """Wait until the service stored the newest decision; returns the subject id."""
    page.wait_for_function(
        "previous => { const c = window.consent.get();"
        " return c.receipt && c.receipt !== previous }",
        arg=previous,
    )
    return str(page.evaluate("() => window.consent.get().subject"))
