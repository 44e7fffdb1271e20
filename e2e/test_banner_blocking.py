"""The walking skeleton, in Chromium: the banner blocks advertising and functionality
cookies until the visitor agrees, and every click leaves a signed receipt."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from .helpers import Servers, cookie_names, open_banner, records_for, wait_for_receipt


def open_demo(page: Page, servers: Servers) -> None:
    open_banner(page, servers.host_url + "/")


def test_nothing_is_set_before_a_choice(page: Page, servers: Servers) -> None:
    open_demo(page, servers)
    page.locator("#retry").click()
    names = cookie_names(page.context, servers.host_url)
    assert "_fbp" not in names and "_gcl_au" not in names and "lang" not in names
    assert page.evaluate("() => window.adScriptRan") is None
    assert page.evaluate("() => window.functionalityScriptRan") is None


def test_accept_all_runs_the_ad_script_and_sets_both_cookies(page: Page, servers: Servers) -> None:
    open_demo(page, servers)
    page.get_by_role("button", name="Accept all").click()
    expect(page.get_by_role("button", name="Accept all")).to_be_hidden()
    page.wait_for_function("() => window.adScriptRan === 1")
    names = cookie_names(page.context, servers.host_url)
    assert {"_fbp", "_gcl_au", "lang", "samtykke"} <= names
    subject = wait_for_receipt(page)
    [record] = records_for(servers, subject)
    assert record.action == "accept_all"
    assert sorted(record.granted) == ["advertising", "functionality", "necessary"]
    # The service is on another origin: no cookie of the host page reached it.
    assert cookie_names(page.context, servers.service_url) == set()


def test_reject_all_keeps_cookies_out_even_when_scripts_try_again(
    page: Page, servers: Servers
) -> None:
    open_demo(page, servers)
    page.get_by_role("button", name="Reject all").click()
    subject = wait_for_receipt(page)
    page.locator("#retry").click()
    page.reload()
    page.locator("#retry").click()
    names = cookie_names(page.context, servers.host_url)
    assert names == {"samtykke"}
    assert page.evaluate("() => window.adScriptRan") is None
    # A returning visitor with a stored choice is not asked again.
    expect(page.get_by_role("button", name="Reject all")).to_have_count(0)
    [record] = records_for(servers, subject)
    assert record.action == "reject_all"
    assert record.granted == ["necessary"]
    assert sorted(record.denied) == ["advertising", "functionality"]


def test_reject_all_deletes_advertising_cookies_set_before_the_banner(
    page: Page, servers: Servers
) -> None:
    page.context.add_cookies(
        [
            {"name": "_fbp", "value": "old", "url": servers.host_url + "/"},
            {"name": "_gcl_au", "value": "old", "url": servers.host_url + "/"},
        ]
    )
    page.goto(servers.host_url + "/")
    # The core drops cookies of ungranted categories as soon as it loads.
    assert "_fbp" not in cookie_names(page.context, servers.host_url)
    page.get_by_role("button", name="Reject all").click()
    wait_for_receipt(page)
    assert cookie_names(page.context, servers.host_url) == {"samtykke"}


def test_custom_choice_grants_functionality_only(page: Page, servers: Servers) -> None:
    open_demo(page, servers)
    page.get_by_role("button", name="Customize").click()
    page.get_by_role("switch", name="Functionality").check()
    page.get_by_role("button", name="Save choices").click()
    subject = wait_for_receipt(page)
    page.locator("#retry").click()
    names = cookie_names(page.context, servers.host_url)
    assert "lang" in names and "_fbp" not in names
    [record] = records_for(servers, subject)
    assert record.action == "custom"
    assert sorted(record.granted) == ["functionality", "necessary"]


def test_each_click_leaves_a_receipt_and_refusing_later_is_a_withdrawal(
    page: Page, servers: Servers
) -> None:
    open_demo(page, servers)
    page.get_by_role("button", name="Accept all").click()
    subject = wait_for_receipt(page)
    first = page.evaluate("() => window.consent.get().receipt")
    page.locator("#settings").click()  # the host page's own "Cookie settings" button
    page.get_by_role("button", name="Reject all").click()
    wait_for_receipt(page, previous=first)
    actions = [r.action for r in records_for(servers, subject)]
    assert sorted(actions) == ["accept_all", "withdraw"]
    assert "_fbp" not in cookie_names(page.context, servers.host_url)
