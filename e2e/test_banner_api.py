"""The banner's contract with the host page: the queue stub, events, one global, no
inline code or style (a strict CSP with a nonce works), and no errors thrown."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from .helpers import Servers, cookie_names, open_banner, wait_for_receipt


def test_calls_queued_before_load_and_events_work(page: Page, servers: Servers) -> None:
    # The demo page queued ['on', 'change', ...] before the banner script loaded.
    open_banner(page, servers.host_url + "/")
    page.evaluate(
        """() => { window.seen = [];
            for (const e of ['change', 'show', 'hide'])
              window.consent.on(e, d => window.seen.push(e)); }"""
    )
    page.get_by_role("button", name="Customize").click()
    page.get_by_role("button", name="Accept all").click()
    wait_for_receipt(page)
    assert page.evaluate("() => window.changesSeen") == 1
    assert page.evaluate("() => window.seen") == ["show", "hide", "change"]
    state = page.evaluate("() => window.consent.get()")
    assert state["decided"] is True
    assert state["categories"] == {"necessary": True, "functionality": True, "advertising": True}


def test_the_only_new_global_is_window_consent(page: Page, servers: Servers) -> None:
    script = "() => Object.getOwnPropertyNames(window)"
    page.goto(servers.host_url + "/bare?banner=0")
    without = set(page.evaluate(script))
    page.goto(servers.host_url + "/bare?banner=1")
    page.wait_for_function("() => document.querySelector('[data-samtykke]')")
    added = set(page.evaluate(script)) - without
    # dataLayer is Google's own, there for Consent Mode.
    assert added == {"consent", "dataLayer"}


def test_a_listener_that_throws_does_not_break_the_banner(page: Page, servers: Servers) -> None:
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    open_banner(page, servers.host_url + "/")
    page.evaluate("() => window.consent.on('change', () => { throw new Error('host bug') })")
    page.get_by_role("button", name="Reject all").click()
    wait_for_receipt(page)
    assert errors == []


def test_strict_csp_with_a_nonce_works(page: Page, servers: Servers) -> None:
    violations: list[str] = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security" in m.text else 0)
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', e => "
        "(window.cspViolations = window.cspViolations || []).push(e.violatedDirective + ' ' "
        "+ e.blockedURI))"
    )
    open_banner(page, servers.host_url + "/strict")
    # Styled: the shadow root's stylesheet applied (buttons are not browser-default grey).
    background = page.get_by_role("button", name="Accept all").evaluate(
        "el => getComputedStyle(el).backgroundColor"
    )
    assert background == "rgb(31, 58, 95)"
    page.get_by_role("button", name="Accept all").click()
    wait_for_receipt(page)
    page.wait_for_function("() => window.adScriptRan === 1")  # nonce passed to blocked tags
    assert page.evaluate("() => window.scriptOrder") == ["ad-inline-1", "ad-src", "ad-inline-2"]
    reopen = page.get_by_role("button", name="Cookie settings", exact=True).last
    expect(reopen).to_be_visible()
    assert page.evaluate("() => window.cspViolations || []") == []
    assert violations == []
    assert "_fbp" in cookie_names(page.context, servers.host_url)


def test_an_unknown_site_key_does_not_break_the_page(page: Page, servers: Servers) -> None:
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(servers.page_url("no-such-site"))
    page.locator("#retry").click()
    expect(page.locator("#ad-status")).to_have_text("not run")
    assert errors == []
