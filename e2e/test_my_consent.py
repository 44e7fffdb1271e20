"""The visitor's own page, reached from the banner: receipts, withdrawal, erasure, and the
customer's site learning about a withdrawal made there."""

from __future__ import annotations

import json
from urllib.parse import quote, unquote

from playwright.sync_api import BrowserContext, Page, expect
from sqlalchemy import select

from consent_app.extensions import db
from consent_app.models import Site, VisitorCredential
from consent_app.services.visitor.self_service import VisitorKey, erase

from .helpers import Servers, cookie_names, open_banner, records_for, wait_for_receipt


def open_my_consent(page: Page, context: BrowserContext) -> Page:
    page.get_by_role("button", name="Cookie settings", exact=True).last.click()
    with context.expect_page() as opened:
        page.get_by_role("button", name="See, download or withdraw your consent").click()
    mine = opened.value
    mine.wait_for_load_state()
    return mine


def test_a_withdrawal_on_my_consent_reaches_the_site(page: Page, servers: Servers) -> None:
    open_banner(page, servers.host_url + "/")
    page.get_by_role("button", name="Accept all").click()
    subject = wait_for_receipt(page)
    assert "_fbp" in cookie_names(page.context, servers.host_url)

    mine = open_my_consent(page, page.context)
    assert "token" not in mine.url and subject not in mine.url
    expect(mine.get_by_text(records_for(servers, subject)[0].receipt_id)).to_be_visible()
    back = mine.get_by_role("link", name=f"Back to {servers.host_url}")
    expect(back).to_have_attribute("href", servers.host_url + "/")
    mine.get_by_role("button", name="Withdraw my consent").click()
    expect(mine.get_by_text("Your consent is withdrawn")).to_be_visible()
    mine.close()

    # The next page view on the customer's site applies it: no new receipt is made there.
    page.reload()
    page.wait_for_function("() => window.consent.get().action === 'withdraw'")
    assert page.evaluate("() => window.consent.get().categories.advertising") is False
    assert "_fbp" not in cookie_names(page.context, servers.host_url)
    assert [r.action for r in records_for(servers, subject)] == ["accept_all", "withdraw"]


def test_an_erasure_on_my_consent_makes_the_site_ask_again(page: Page, servers: Servers) -> None:
    open_banner(page, servers.host_url + "/")
    page.get_by_role("button", name="Reject all").click()
    subject = wait_for_receipt(page)
    mine = open_my_consent(page, page.context)
    mine.get_by_label("I understand").check()
    mine.get_by_role("button", name="Erase my data").click()
    expect(mine.get_by_text("Your data is erased")).to_be_visible()
    mine.close()
    page.reload()
    expect(page.get_by_role("button", name="Accept all")).to_be_visible()
    assert page.evaluate("() => window.consent.get().decided") is False
    page.get_by_role("button", name="Accept all").click()
    new_subject = wait_for_receipt(page)
    assert new_subject != subject  # the erased id is never used again


def test_my_consent_speaks_the_banners_language(page: Page, servers: Servers) -> None:
    page.goto(servers.page_url(lang="nn"))
    page.get_by_role("button", name="Avvis alle").click()
    wait_for_receipt(page)
    page.get_by_role(
        "button", name="Innstillingar for informasjonskapslar", exact=True
    ).last.click()
    with page.context.expect_page() as opened:
        page.get_by_role("button", name="Sjå, last ned eller trekk tilbake samtykket ditt").click()
    mine = opened.value
    mine.wait_for_load_state()
    assert mine.locator("html").get_attribute("lang") == "nn"


def test_a_choice_from_before_visitor_secrets_goes_on_as_a_new_subject(
    page: Page, servers: Servers
) -> None:
    """A cookie from before secrets names a subject nobody can claim (migration 0320):
    the next decision starts a new subject, which then opens its own receipts."""
    open_banner(page, servers.host_url + "/")
    page.get_by_role("button", name="Accept all").click()
    wait_for_receipt(page)
    legacy = "legacy0123456789abcdef"
    with servers.app.app_context():
        site_id = db.session.scalar(select(Site.id).where(Site.key == "demo"))
        db.session.add(VisitorCredential.of(site_id, legacy))
        db.session.commit()
        db.session.remove()
    cookie = next(c for c in page.context.cookies(servers.host_url) if c["name"] == "samtykke")
    state = json.loads(unquote(cookie["value"]))
    del state["k"]
    state["s"] = legacy
    page.context.add_cookies([{**cookie, "value": quote(json.dumps(state))}])

    page.reload()
    receipt = page.evaluate("() => window.consent.get().receipt")
    page.evaluate("() => window.consent.rejectAll()")
    subject = wait_for_receipt(page, receipt)
    assert subject != legacy and records_for(servers, legacy) == []
    # (refusing all after accepting is a withdrawal, whoever the subject is now)
    assert [r.action for r in records_for(servers, subject)] == ["withdraw"]
    mine = open_my_consent(page, page.context)
    expect(mine.get_by_role("button", name="Withdraw my consent")).to_be_visible()


def test_a_banner_that_missed_its_erasure_goes_on_as_a_new_subject(
    page: Page, servers: Servers
) -> None:
    """Erased while this browser was away (past the link's life): the old id and secret
    are refused for good, so the next decision starts a new subject."""
    open_banner(page, servers.host_url + "/")
    page.get_by_role("button", name="Accept all").click()
    subject = wait_for_receipt(page)
    with servers.app.app_context():
        erase(VisitorKey("demo", subject), signing_key=servers.app.config["RECEIPT_SIGNING_KEY"])
        db.session.remove()
    receipt = page.evaluate("() => window.consent.get().receipt")
    page.evaluate("() => window.consent.set({advertising: false})")
    renewed = wait_for_receipt(page, receipt)
    assert renewed != subject
    assert [r.action for r in records_for(servers, renewed)] == ["custom"]
