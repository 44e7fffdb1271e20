"""Impressions in Chromium: the banner on the customer's page (another origin) sends one
`shown` beacon per first-layer display, and none once the visitor has decided."""

from __future__ import annotations

from playwright.sync_api import Browser, Page, expect
from sqlalchemy import func, select

from consent_app.extensions import db
from consent_app.models import ConsentStats
from consent_app.services.sites.profiles import get_site

from .helpers import Servers, wait_until


def impressions(servers: Servers) -> int:
    with servers.app.app_context():
        count = db.session.scalar(
            select(func.coalesce(func.sum(ConsentStats.impressions), 0)).where(
                ConsentStats.site_id == get_site("demo").id
            )
        )
        db.session.remove()
        return int(count)


def wait_for_impressions(page: Page, servers: Servers, expected: int) -> int:
    """Once the count reaches `expected` (a beacon is sent in the background), the count."""
    wait_until(page, lambda: impressions(servers) >= expected, f"fewer than {expected}")
    return impressions(servers)


def test_each_first_layer_display_counts_one_impression(browser: Browser, servers) -> None:
    context = browser.new_context()
    page = context.new_page()
    beacons: list[str] = []
    page.on("request", lambda r: beacons.append(r.url) if "/impressions" in r.url else None)
    before = impressions(servers)
    page.goto(servers.host_url + "/")
    expect(page.get_by_role("button", name="Accept all")).to_be_visible()
    assert wait_for_impressions(page, servers, before + 1) == before + 1
    page.reload()  # still undecided: the banner shows, and counts, again
    expect(page.get_by_role("button", name="Accept all")).to_be_visible()
    assert wait_for_impressions(page, servers, before + 2) == before + 2
    assert len(beacons) == 2  # one request per display, each seen here
    page.get_by_role("button", name="Accept all").click()
    page.wait_for_function("() => window.consent.get().receipt !== null")
    page.reload()  # returns once the page has loaded: the banner has decided what to show
    page.wait_for_function("() => window.consent.get().decided")
    expect(page.get_by_role("button", name="Accept all")).to_have_count(0)
    # A beacon is sent while the banner draws, before the load event: none was.
    assert len(beacons) == 2
    assert impressions(servers) == before + 2  # decided: no banner, no impression
    # The beacons left no cookie of the service's in the browser.
    assert context.cookies(servers.service_url) == []
    context.close()
