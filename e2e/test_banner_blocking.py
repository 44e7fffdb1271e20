"""The walking skeleton, in Chromium: the banner blocks advertising and functionality
cookies until the visitor agrees, and every click leaves a signed receipt."""

from __future__ import annotations

from playwright.sync_api import Page, expect
from sqlalchemy import select

from consent_app.extensions import db
from consent_app.models import ReportedCookie

from .helpers import Servers, cookie_names, open_banner, records_for, wait_for_receipt, wait_until


def open_demo(page: Page, servers: Servers) -> None:
    open_banner(page, servers.host_url + "/")


def reported_names(servers: Servers) -> set[str]:
    """The cookie names in the admins' review queue."""
    with servers.app.app_context():
        names = set(db.session.scalars(select(ReportedCookie.name)))
        db.session.remove()
    return names


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


def test_blocked_scripts_run_in_document_order(page: Page, servers: Servers) -> None:
    open_demo(page, servers)
    assert page.evaluate("() => window.scriptOrder") == []
    page.get_by_role("button", name="Accept all").click()
    page.wait_for_function("() => window.scriptOrder.length === 3")
    assert page.evaluate("() => window.scriptOrder") == ["ad-inline-1", "ad-src", "ad-inline-2"]


def test_blocked_markup_added_later_runs_once_granted(page: Page, servers: Servers) -> None:
    open_demo(page, servers)
    add = """(blocked) => { for (const [category, code] of blocked) {
        const s = document.createElement('script'); s.type = 'text/plain';
        s.dataset.category = category; s.text = code; document.body.appendChild(s); } }"""
    late_tag = ["advertising", "window.lateTag = (window.lateTag||0)+1"]
    # With it, a necessary one (always allowed): once that has run, the banner has handled
    # the change that added both, and left the advertising one alone.
    page.evaluate(add, [late_tag, ["necessary", "window.sameChange = true"]])
    page.wait_for_function("() => window.sameChange === true")
    assert page.evaluate("() => window.lateTag") is None
    page.get_by_role("button", name="Accept all").click()
    page.wait_for_function("() => window.lateTag === 1")
    page.evaluate(add, [late_tag])
    page.wait_for_function("() => window.lateTag === 2")


def test_cookie_store_writes_are_guarded_too(page: Page, servers: Servers) -> None:
    open_demo(page, servers)
    assert page.evaluate("() => !!window.cookieStore")
    page.evaluate(
        "() => cookieStore.set('_gcl_au', 'x').then(() => cookieStore.set({name: "
        "'nordlys_cs', value: 'y', expires: Date.now() + 1e8}))"
    )
    assert not {"_gcl_au", "nordlys_cs"} & cookie_names(page.context, servers.host_url)
    page.get_by_role("button", name="Accept all").click()
    wait_for_receipt(page)
    page.evaluate("() => cookieStore.set('_gcl_au', 'x')")
    page.evaluate("() => cookieStore.set({name: 'nordlys_cs', value: 'y'})")
    assert {"_gcl_au", "nordlys_cs"} <= cookie_names(page.context, servers.host_url)


def test_unknown_cookie_names_are_reported_without_values(page: Page, servers: Servers) -> None:
    bodies: list[str] = []
    page.on(
        "request",
        lambda r: bodies.append(r.post_data or "") if "cookies/reports" in r.url else None,
    )
    open_demo(page, servers)
    page.get_by_role("button", name="Reject all").click()
    wait_for_receipt(page)
    unknown = ("nordlys_vid", "nordlys_cs")
    # Reports are beacons: sent when the banner appears and after the choice.
    wait_until(page, lambda: all(n in " ".join(bodies) for n in unknown), "names not sent")
    wait_until(page, lambda: set(unknown) <= reported_names(servers), "names not stored")
    assert bodies, "no report was sent"
    sent = " ".join(bodies)
    assert "nordlys_vid" in sent and "nordlys_cs" in sent
    assert "fb.1." not in sent and "cs." not in sent  # names only, never values
    names = reported_names(servers)
    assert {"nordlys_vid", "nordlys_cs"} <= names
    assert "_fbp" not in names  # known to the site's rules


def test_frames_wait_behind_an_accessible_placeholder(page: Page, servers: Servers) -> None:
    open_demo(page, servers)
    frame = page.locator("iframe[title='Product video']")
    assert frame.get_attribute("src") is None
    placeholder = page.get_by_role("region", name="Product video")
    expect(placeholder).to_contain_text("This content is blocked until you allow: Advertising.")
    placeholder.get_by_role("button", name="Allow and show").click()
    subject = wait_for_receipt(page)
    expect(frame).to_have_attribute("src", "/static/video.html")
    expect(page.get_by_role("region", name="Product video")).to_have_count(0)
    [record] = records_for(servers, subject)
    assert record.action == "custom" and "advertising" in record.granted


def variants(url: str) -> list[dict]:
    """_fbp on this host, on both parent domains, on three paths."""
    host = url.split("//")[1].split(":")[0]
    cookies = [
        {"name": "_fbp", "value": f"h{p}", "domain": host, "path": p}
        for p in ("/", "/shop", "/shop/cart")
    ]
    for domain in (".shop.samtykke.test", ".samtykke.test"):
        cookies += [
            {"name": "_fbp", "value": f"d{p}", "domain": domain, "path": p} for p in ("/", "/shop")
        ]
    return cookies


def fbp_count(page: Page, servers: Servers) -> int:
    url = servers.domain_host_url + "/shop/cart/item"
    return sum(c["name"] == "_fbp" for c in page.context.cookies(url))


def test_reject_clears_every_domain_and_path_variant(page: Page, servers: Servers) -> None:
    page.goto(servers.domain_host_url + "/shop/cart/item")
    page.get_by_role("button", name="Accept all").click()
    wait_for_receipt(page)
    page.context.add_cookies(variants(servers.domain_host_url))
    assert fbp_count(page, servers) == 7
    page.locator("#settings").click()
    page.get_by_role("dialog").get_by_role("button", name="Reject all").click()
    assert fbp_count(page, servers) == 0


def test_an_expired_choice_clears_and_asks_again(page: Page, servers: Servers) -> None:
    page.goto(servers.domain_host_url + "/shop/cart/item")
    page.get_by_role("button", name="Accept all").click()
    wait_for_receipt(page)
    page.context.add_cookies(variants(servers.domain_host_url))
    # Seven months later: older than the site's lifetime of 182 days.
    page.evaluate(
        """() => { const c = JSON.parse(decodeURIComponent(document.cookie.split('; ')
            .find(x => x.startsWith('samtykke=')).slice(9)));
          c.t -= 210 * 864e5;
          document.cookie = 'samtykke=' + encodeURIComponent(JSON.stringify(c)) + ';path=/'; }"""
    )
    page.reload()
    expect(page.get_by_role("button", name="Accept all")).to_be_visible()
    assert fbp_count(page, servers) == 0
