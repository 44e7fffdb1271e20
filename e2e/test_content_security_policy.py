"""The console under its Content-Security-Policy in Chromium: the sign-in page and the
dashboard with its SVG charts work and the browser reports no violation; an inline handler
slipped into the page is refused (so the check below would see one)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import ConsoleMessage, Page, expect

from consent_app.demo.history import seed_history
from consent_app.extensions import db
from consent_app.services.sites.profiles import get_site

from .helpers import Servers, make_site, make_user, sign_in

EMAIL = "csp-marketer@e2e.example"
RECORDS = 120
# Runs in every document before its own scripts; violation events are how the browser
# tells a page what its policy refused.
WATCH_VIOLATIONS = """
window.cspViolations = [];
document.addEventListener('securitypolicyviolation', (event) => {
  window.cspViolations.push(event.violatedDirective + ' ' + (event.blockedURI || 'inline'));
});
"""


@pytest.fixture(scope="module")
def site_name(servers: Servers) -> Iterator[str]:
    """A site of its own with two weeks of decisions, and a marketer to read them."""
    key = make_site(servers)
    with servers.app.app_context():
        site = get_site(key)
        seed_history(
            site,
            records=RECORDS,
            days=14,
            origin=servers.host_url,
            signing_key=servers.app.config["RECEIPT_SIGNING_KEY"],
            seed=5,
        )
        name = site.name
        db.session.remove()
    make_user(servers, "marketer", EMAIL)
    yield name


def violations(page: Page) -> list[str]:
    return list(page.evaluate("() => window.cspViolations"))


def test_the_dashboard_works_with_no_policy_violation(
    page: Page, servers: Servers, site_name: str
) -> None:
    console: list[str] = []

    def keep_policy_messages(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text:
            console.append(message.text)

    page.on("console", keep_policy_messages)
    page.add_init_script(WATCH_VIOLATIONS)

    response = sign_in(page, servers, EMAIL)
    assert response is not None
    policy = response.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in policy and "'nonce-" in policy
    expect(page.get_by_role("heading", name="Dashboard", exact=True)).to_be_visible()
    assert violations(page) == []

    page.get_by_label("Site").select_option(label=site_name)
    page.get_by_role("button", name="Show").click()
    figure = page.locator(".figures div", has=page.get_by_text("Decisions", exact=True))
    expect(figure.locator("dd")).to_have_text(str(RECORDS))
    expect(page.locator("svg.chart").first).to_be_visible()
    page.wait_for_load_state("load")  # stylesheet and icon are in
    assert page.locator("link[rel=stylesheet]").count() == 1
    header = page.evaluate("() => getComputedStyle(document.querySelector('.site-header')).display")
    assert header == "flex"  # the stylesheet applied
    assert violations(page) == [] and console == []

    # The control: an inline handler added to this page is refused and reported.
    with page.expect_console_message(lambda m: "Content Security Policy" in m.text):
        page.evaluate(
            """() => document.body.insertAdjacentHTML('beforeend',
                 '<img src="/static/favicon.svg" onload="window.handlerRan = true">')"""
        )
    page.wait_for_function("() => window.cspViolations.length > 0")
    assert page.evaluate("() => window.handlerRan") is None
    assert violations(page)[0].startswith("script-src")
    assert console and "inline event handler" in console[0]
