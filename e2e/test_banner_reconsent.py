"""Asking again: a major policy version asks everyone again, a minor one does not."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from .helpers import Servers, make_site, publish_version, records_for, wait_for_receipt


def decide_reject(page: Page, url: str) -> str:
    page.goto(url)
    page.get_by_role("button", name="Reject all").click()
    return wait_for_receipt(page)


def test_minor_policy_version_does_not_ask_again(page: Page, servers: Servers) -> None:
    key = make_site(servers)
    subject = decide_reject(page, servers.page_url(key))
    publish_version(servers, key, "1.1", major=False)
    page.reload()
    page.wait_for_function("() => window.consent && window.consent.get().policy === '1.1'")
    expect(page.get_by_role("dialog", name="We use cookies")).to_have_count(0)
    assert page.evaluate("() => window.consent.get().decided") is True
    assert len(records_for(servers, subject)) == 1


def test_major_policy_version_asks_everyone_again(page: Page, servers: Servers) -> None:
    key = make_site(servers)
    subject = decide_reject(page, servers.page_url(key))
    publish_version(servers, key, "2", major=True)
    page.reload()
    expect(page.get_by_role("button", name="Accept all")).to_be_visible()
    assert page.evaluate("() => window.consent.get().decided") is False
    page.get_by_role("button", name="Accept all").click()
    wait_for_receipt(page)
    records = records_for(servers, subject)
    # The same visitor, now under version 2.
    assert [(r.action, r.policy_version.label) for r in records] == [
        ("reject_all", "1"),
        ("accept_all", "2"),
    ]
