"""Global Privacy Control, Google Consent Mode v2 and region rules, in the browser."""

from __future__ import annotations

from playwright.sync_api import Browser, Page, Route, expect

from .helpers import Servers, cookie_names, make_site, records_for, wait_for_receipt

SEVEN = {
    "ad_storage",
    "ad_user_data",
    "ad_personalization",
    "analytics_storage",
    "functionality_storage",
    "personalization_storage",
    "security_storage",
}
GPC_ON = "Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', {get: () => true})"


def add_header(name: str, value: str):
    def handle(route: Route) -> None:
        route.continue_(headers={**route.request.headers, name: value})

    return handle


def consent_calls(page: Page) -> list[list]:
    """The ['consent', kind, signals] entries of Google's dataLayer, in order."""
    return page.evaluate(
        "() => (window.dataLayer || []).map(a => Array.from(a)).filter(a => a[0] === 'consent')"
    )


def test_gpc_refuses_advertising_without_asking(browser: Browser, servers: Servers) -> None:
    context = browser.new_context()
    context.add_init_script(GPC_ON)
    page = context.new_page()
    page.goto(servers.page_url())
    subject = wait_for_receipt(page)
    expect(page.get_by_role("dialog", name="We use cookies")).to_have_count(0)
    [record] = records_for(servers, subject)
    assert record.action == "gpc" and record.gpc is True
    assert "advertising" in record.denied
    page.locator("#retry").click()
    assert "_fbp" not in cookie_names(context, servers.host_url)
    context.close()


def test_gpc_visitor_can_still_opt_in_explicitly(browser: Browser, servers: Servers) -> None:
    context = browser.new_context()
    context.add_init_script(GPC_ON)
    page = context.new_page()
    page.goto(servers.page_url())
    subject = wait_for_receipt(page)
    first = page.evaluate("() => window.consent.get().receipt")
    page.get_by_role("button", name="Cookie settings", exact=True).last.click()
    dialog = page.get_by_role("dialog", name="Cookie settings")
    expect(dialog.get_by_text("Global Privacy Control signal")).to_be_visible()
    dialog.get_by_role("button", name="Accept all").click()
    wait_for_receipt(page, previous=first)
    assert [(r.action, r.gpc) for r in records_for(servers, subject)] == [
        ("gpc", True),
        ("accept_all", True),
    ]
    page.wait_for_function("() => window.adScriptRan === 1")
    context.close()


def test_sec_gpc_header_alone_is_honoured(browser: Browser, servers: Servers) -> None:
    context = browser.new_context(extra_http_headers={"Sec-GPC": "1"})
    page = context.new_page()
    page.goto(servers.page_url())
    subject = wait_for_receipt(page)
    assert records_for(servers, subject)[0].action == "gpc"
    context.close()


def test_consent_mode_defaults_are_denied_before_any_tag(page: Page, servers: Servers) -> None:
    page.goto(servers.page_url())
    at_first_tag = page.evaluate("() => window.dataLayerAtFirstTag")
    kind, default = at_first_tag[0]["1"], at_first_tag[0]["2"]
    assert at_first_tag[0]["0"] == "consent" and kind == "default"
    assert set(default) == SEVEN | {"wait_for_update"}
    assert {k: v for k, v in default.items() if k in SEVEN} == {
        k: ("granted" if k == "security_storage" else "denied") for k in SEVEN
    }
    # ...then an update on load.
    assert [c[1] for c in consent_calls(page)][:2] == ["default", "update"]


def test_consent_mode_updates_on_every_change(page: Page, servers: Servers) -> None:
    page.goto(servers.page_url())
    page.get_by_role("button", name="Customize").click()
    page.get_by_role("switch", name="Functionality").check()
    page.get_by_role("button", name="Save choices").click()
    last = consent_calls(page)[-1]
    assert last[1] == "update"
    assert last[2]["functionality_storage"] == last[2]["personalization_storage"] == "granted"
    for key in ("ad_storage", "ad_user_data", "ad_personalization", "analytics_storage"):
        assert last[2][key] == "denied"
    page.locator("#settings").click()
    page.get_by_role("dialog").get_by_role("button", name="Accept all").click()
    last = consent_calls(page)[-1]
    assert all(last[2][key] == "granted" for key in SEVEN)


def test_consent_mode_is_off_for_sites_that_do_not_use_it(page: Page, servers: Servers) -> None:
    key = make_site(servers, google_consent_mode=False)
    page.goto(servers.page_url(key))
    expect(page.get_by_role("button", name="Accept all")).to_be_visible()
    assert consent_calls(page) == []


def test_region_rule_asks_in_the_eea_only(browser: Browser, servers: Servers) -> None:
    key = make_site(servers, region_rule="opt_in_eea")
    for country, ad_cookies_before_choice in (("NO", False), ("US", True)):
        context = browser.new_context()
        page = context.new_page()
        # The trusted proxy in front of the service adds the country; the browser never
        # sends it (it would need a CORS preflight if it did).
        page.route(f"{servers.service_url}/**", add_header("cf-ipcountry", country))
        page.goto(servers.page_url(key))
        expect(page.get_by_role("button", name="Reject all")).to_be_visible()
        page.locator("#retry").click()
        has_ads = "_fbp" in cookie_names(context, servers.host_url)
        assert has_ads is ad_cookies_before_choice, country
        # Everyone can refuse; refusing clears what notice mode allowed.
        page.get_by_role("button", name="Reject all").click()
        wait_for_receipt(page)
        assert "_fbp" not in cookie_names(context, servers.host_url)
        context.close()
