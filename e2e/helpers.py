"""What the browser tests share: the servers, and reading outcomes from page and database."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

from flask import Flask
from playwright.sync_api import BrowserContext, Page, expect
from sqlalchemy import select

from consent_app.extensions import db
from consent_app.models import AllowedOrigin, Category, ConsentRecord, CookieRule, Site
from consent_app.services.ledger.receipts import verify_record
from consent_app.services.sites.policies import publish

_site_numbers = itertools.count(1)


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
    """A fresh site for a test that changes site configuration; returns its key."""
    key = f"e2e{next(_site_numbers)}"
    with servers.app.app_context():
        site = Site(key=key, name=f"E2E {key}", default_language="en", **fields)
        site.origins = [AllowedOrigin(origin=servers.host_url)]
        site.categories = [
            Category(slug=s, position=i)
            for i, s in enumerate(("necessary", "functionality", "advertising"))
        ]
        site.cookie_rules = [
            CookieRule(pattern="lang", match="exact", category="functionality"),
            CookieRule(pattern="_fbp", match="exact", category="advertising"),
            CookieRule(pattern="_gcl_au", match="exact", category="advertising"),
        ]
        db.session.add(site)
        db.session.commit()
        publish(site, "1", major=True)
        db.session.remove()
    return key


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
