"""The marketer's and the admin's doors, in Chromium: the overview shows the seeded
numbers and downloads a CSV; an admin classifies a reported cookie in one action and
publishes a major policy version, after which the demo page's banner asks again."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import func, select

from consent_app.demo.history import seed_history
from consent_app.extensions import db
from consent_app.models import ConsentRecord, CookieRule, ReportedCookie
from consent_app.services.sites.profiles import consent_epoch, get_site

from .helpers import Servers, make_user, sign_in


@pytest.fixture(scope="module")
def seeded(servers: Servers) -> Iterator[Servers]:
    """Thirty days of demo history, and one user per door."""
    with servers.app.app_context():
        site = get_site("demo")
        seed_history(
            site,
            records=1500,
            days=30,
            origin=site.origins[0].origin,
            signing_key=servers.app.config["RECEIPT_SIGNING_KEY"],
            seed=8,
        )
        db.session.remove()
    make_user(servers, "marketer", "marketer@e2e.example")
    make_user(servers, "admin", "admin@e2e.example")
    yield servers


def demo_decisions(servers: Servers) -> int:
    with servers.app.app_context():
        count = db.session.scalar(
            select(func.count()).where(ConsentRecord.site_id == get_site("demo").id)
        )
        db.session.remove()
        return int(count)


def test_marketer_sees_the_seeded_numbers_and_downloads_a_csv(page: Page, seeded) -> None:
    sign_in(page, seeded, "marketer@e2e.example")
    expect(page.get_by_role("heading", name="Dashboard", exact=True)).to_be_visible()
    page.get_by_label("Site").select_option(label="Nordlys Programvare AS (demo)")
    page.get_by_role("button", name="Show").click()
    decisions = demo_decisions(seeded)  # the seeded history, and today's banner tests
    figure = page.locator(".figures div", has=page.get_by_text("Decisions", exact=True))
    expect(figure.locator("dd")).to_have_text(f"{decisions:,}")
    expect(page.locator("svg.chart").first).to_be_visible()
    assert page.locator("script").count() == 0  # charts are drawn on the server
    with page.expect_download() as download:
        page.get_by_role("link", name="Download CSV").first.click()
    assert download.value.suggested_filename.startswith("consent-demo-by-day-")
    text = Path(download.value.path()).read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 31 and rows[-1]["day"] == "total"
    assert int(rows[-1]["decisions"]) == decisions
    assert sum(int(r["decisions"]) for r in rows[:-1]) == decisions


def test_admin_adds_a_cookie_rule_from_the_review_queue(page: Page, seeded) -> None:
    with seeded.app.app_context():
        db.session.add(
            ReportedCookie(site=get_site("demo"), name="_hjSessionUser_42", times_reported=5)
        )
        db.session.commit()
        db.session.remove()
    sign_in(page, seeded, "admin@e2e.example")
    page.get_by_role("link", name="Nordlys Programvare AS (demo)").click()
    page.get_by_role("link", name=re.compile(r"^Review queue")).click()
    row = page.get_by_role("row", name="_hjSessionUser_42")
    row.get_by_label("Category for _hjSessionUser_42").select_option("functionality")
    row.get_by_role("button", name="Add rule").click()
    expect(page.get_by_role("status")).to_contain_text("_hjSessionUser_42 is now functionality.")
    expect(page.get_by_role("row", name="_hjSessionUser_42")).to_have_count(0)
    with seeded.app.app_context():
        rule = db.session.scalar(
            select(CookieRule).where(CookieRule.pattern == "_hjSessionUser_42")
        )
        assert (rule.category, rule.provider) == ("functionality", "Hotjar")
        db.session.remove()
    core = page.request.get(seeded.service_url + "/c/demo.js").text()
    assert '["_hjSessionUser_42","e","functionality"]' in core


def test_a_major_version_makes_the_banner_ask_again(page: Page, browser: Browser, seeded) -> None:
    visitor = browser.new_context()
    demo = visitor.new_page()
    demo.goto(seeded.host_url + "/")
    demo.get_by_role("button", name="Accept all").click()
    demo.wait_for_function("() => window.consent.get().receipt !== null")
    demo.reload()
    expect(demo.get_by_role("button", name="Accept all")).to_have_count(0)  # decided

    sign_in(page, seeded, "admin@e2e.example")
    page.get_by_role("link", name="Nordlys Programvare AS (demo)").click()
    page.get_by_role("link", name="Policy versions").click()
    page.get_by_label("Version").fill("2026-e2e")
    page.get_by_label("Major: every visitor is asked again").check()
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_role("status")).to_contain_text("Version 2026-e2e published.")
    with seeded.app.app_context():
        assert consent_epoch(get_site("demo")) == "2026-e2e"
        db.session.remove()

    # The same visitor a little later (their browser's copy of the banner script expired):
    # the stored choice was made under an older major version, so the banner asks again.
    later = browser.new_context()
    later.add_cookies(visitor.cookies())
    again = later.new_page()
    again.goto(seeded.host_url + "/")
    expect(again.get_by_role("button", name="Accept all")).to_be_visible()
    assert again.evaluate("() => window.consent.get().decided") is False
    visitor.close()
    later.close()
