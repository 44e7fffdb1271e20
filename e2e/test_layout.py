"""Layout on small and large screens: on a phone no page scrolls sideways (a wide table or
chart scrolls inside its own box), chart text stays readable, the banner's cookie tables
fit a 320px screen, and the dashboard's per-day table fits a 1280px screen."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from consent_app.demo.history import seed_history
from consent_app.extensions import db
from consent_app.services.sites.profiles import get_site

from .helpers import Servers, make_user, open_banner, sign_in, wait_for_receipt
from .test_banner_accessibility import serious_violations

# A handful of pages per role, among them the widest: the admin's eight-column cookie
# rules, the activity log, the sites and users lists and the audit search.
PAGES = {
    "admin": [
        "/",
        "/dashboard/",
        "/dashboard/compare",
        "/admin/",
        "/admin/users",
        "/admin/sites/demo/rules",
        "/activity",
        "/audit/",
    ],
    "marketer": ["/dashboard/?by=language", "/dashboard/?by=policy"],
    "auditor": ["/audit/", "/audit/?action=withdraw"],
}


@pytest.fixture(scope="module")
def users(servers: Servers) -> Iterator[Servers]:
    """A little demo history (charts and tables to draw) and one user per role."""
    with servers.app.app_context():
        site = get_site("demo")
        seed_history(
            site,
            records=300,
            days=30,
            origin=site.origins[0].origin,
            signing_key=servers.app.config["RECEIPT_SIGNING_KEY"],
            seed=21,
        )
        db.session.remove()
    for role in PAGES:
        make_user(servers, role, f"layout-{role}@e2e.example")
    yield servers


def signed_in(browser: Browser, servers: Servers, role: str, width: int, language: str) -> Page:
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    sign_in(page, servers, f"layout-{role}@e2e.example")
    if language != "en":
        page.locator("#ui-language").select_option(language)
        page.get_by_role("button", name="Change").click()
        expect(page.locator("html")).to_have_attribute("lang", language)
    return page


def page_overflow(page: Page) -> int:
    """How many CSS pixels the page is wider than the window (0: no sideways scrolling)."""
    return int(page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth"))


@pytest.mark.parametrize("language", ["en", "nb"])
@pytest.mark.parametrize("role", sorted(PAGES))
def test_no_console_page_scrolls_sideways_at_375_px(
    browser: Browser, users: Servers, role: str, language: str
) -> None:
    page = signed_in(browser, users, role, 375, language)
    wide = {}
    for path in PAGES[role]:
        page.goto(users.service_url + path)
        assert "/auth/login" not in page.url
        if excess := page_overflow(page):
            wide[path] = excess
    if role == "auditor":  # a receipt, with its hashes and signatures
        page.goto(users.service_url + "/audit/")
        page.locator("main table a").first.click()
        # Loaded, stylesheet and all: measured before it applies, the page is wider.
        page.wait_for_url("**/audit/receipts/*", wait_until="load")
        expect(page.locator("h1 .mono")).to_be_visible()
        if excess := page_overflow(page):
            wide[page.url] = excess
    assert wide == {}, f"pages wider than the screen (px too wide): {wide}"
    page.context.close()


def test_dashboard_charts_stay_readable_at_375_px(browser: Browser, users: Servers) -> None:
    page = signed_in(browser, users, "marketer", 375, "en")
    page.goto(users.service_url + "/dashboard/")
    charts = page.locator("svg.chart")
    assert charts.count() >= 2
    for chart in charts.all():
        # The charts' text is 12 units high; drawn at no less than 9.5 px.
        scale = chart.evaluate(
            "svg => svg.getBoundingClientRect().width / svg.viewBox.baseVal.width"
        )
        assert 12 * scale >= 9.5
    assert page_overflow(page) == 0
    page.context.close()


@pytest.mark.parametrize("language", ["en", "nb"])
def test_dashboard_day_table_fits_at_1280_px(
    browser: Browser, users: Servers, language: str
) -> None:
    page = signed_in(browser, users, "marketer", 1280, language)
    page.goto(users.service_url + "/dashboard/")
    box = page.locator(".table-scroll", has=page.locator("#table-breakdown"))
    hidden = box.evaluate("el => el.scrollWidth - el.clientWidth")
    assert hidden == 0, f"{hidden} px of the per-day table hidden behind a scroll"
    page.context.close()


def open_modal_with_all_cookies(page: Page) -> None:
    page.get_by_role("button", name="Customize").click()
    modal = page.get_by_role("dialog", name="Cookie settings")
    summaries = modal.locator("details > summary")
    for index in range(summaries.count()):
        summaries.nth(index).click()
    expect(modal.locator("details[open]")).to_have_count(summaries.count())


def test_banner_cookie_tables_fit_at_320_px(browser: Browser, servers: Servers) -> None:
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    open_banner(page, servers.host_url + "/")
    open_modal_with_all_cookies(page)
    assert page_overflow(page) == 0
    tables = page.get_by_role("dialog", name="Cookie settings").locator(".scroll")
    assert tables.count() >= 2
    for table in tables.all():
        # Nothing of a cookie's name, provider, purpose or duration is cut off.
        assert table.evaluate("el => el.scrollWidth - el.clientWidth") == 0
    duration = page.get_by_role("cell", name="3 months").first
    duration.scroll_into_view_if_needed()
    expect(duration).to_be_in_viewport()
    assert serious_violations(page) == []
    context.close()


def test_my_consent_does_not_scroll_sideways_at_375_px(browser: Browser, servers: Servers) -> None:
    visitor = browser.new_context(viewport={"width": 375, "height": 700})
    page = visitor.new_page()
    open_banner(page, servers.host_url + "/")
    page.get_by_role("button", name="Accept all").click()
    wait_for_receipt(page)
    page.get_by_role("button", name="Cookie settings", exact=True).last.click()
    with visitor.expect_page() as opened:
        page.get_by_role("button", name="See, download or withdraw your consent").click()
    mine = opened.value
    mine.wait_for_load_state()
    expect(mine.get_by_role("heading", name="My consent")).to_be_visible()
    assert page_overflow(mine) == 0
    visitor.close()
