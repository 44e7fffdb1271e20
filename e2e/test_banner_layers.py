"""Two layers: equal-weight first layer, a settings modal that explains every category
and its cookies, and a way back to the settings at any time."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from .helpers import Servers, cookie_names, open_banner, records_for, wait_for_receipt

STYLE_PROPS = [
    "font-size",
    "font-weight",
    "font-family",
    "color",
    "background-color",
    "border-top-width",
    "border-top-color",
    "border-radius",
    "padding-top",
    "padding-left",
]


def computed(page: Page, name: str) -> dict:
    button = page.get_by_role("button", name=name, exact=True)
    style = button.evaluate(
        "(el, props) => Object.fromEntries(props.map(p => [p, getComputedStyle(el)"
        ".getPropertyValue(p)]))",
        STYLE_PROPS,
    )
    box = button.bounding_box()
    assert box is not None
    return {
        "tag": button.evaluate("el => el.tagName"),
        **style,
        "width": round(box["width"]),
        "height": round(box["height"]),
    }


def test_first_layer_buttons_have_equal_prominence(page: Page, servers: Servers) -> None:
    open_banner(page, servers.host_url + "/")
    accept, reject, customize = (
        computed(page, n) for n in ("Accept all", "Reject all", "Customize")
    )
    assert accept == reject == customize


def test_modal_lists_categories_with_their_cookies_and_nothing_pre_ticked(
    page: Page, servers: Servers
) -> None:
    open_banner(page, servers.host_url + "/")
    page.get_by_role("button", name="Customize").click()
    dialog = page.get_by_role("dialog", name="Cookie settings")
    expect(dialog).to_be_visible()
    necessary = dialog.get_by_role("switch", name="Necessary")
    expect(necessary).to_be_checked()
    expect(necessary).to_be_disabled()
    for name in ("Functionality", "Advertising"):
        expect(dialog.get_by_role("switch", name=name)).not_to_be_checked()
        expect(dialog.get_by_role("switch", name=name)).to_be_enabled()
    expect(dialog.get_by_text("Record your visits, the pages you view")).to_be_visible()
    dialog.get_by_text("Cookies in this category (6)").click()
    row = dialog.get_by_role("row", name="_fbp")
    expect(row).to_contain_text("Meta (Facebook)")
    expect(row).to_contain_text("3 months")
    expect(dialog.get_by_role("button", name="Save choices")).to_be_visible()


def test_floating_button_and_show_reopen_the_settings(page: Page, servers: Servers) -> None:
    open_banner(page, servers.host_url + "/")
    page.get_by_role("button", name="Accept all").click()
    wait_for_receipt(page)
    reopen = page.get_by_role("button", name="Cookie settings", exact=True).last
    expect(reopen).to_be_visible()
    reopen.click()
    dialog = page.get_by_role("dialog", name="Cookie settings")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_role("switch", name="Advertising")).to_be_checked()
    dialog.get_by_role("button", name="Close").click()
    expect(dialog).to_be_hidden()
    page.evaluate("() => window.consent.show()")
    expect(dialog).to_be_visible()


def test_withdrawing_is_as_easy_as_accepting(page: Page, servers: Servers) -> None:
    open_banner(page, servers.host_url + "/")
    page.get_by_role("button", name="Accept all").click()  # one click to accept
    subject = wait_for_receipt(page)
    first = page.evaluate("() => window.consent.get().receipt")
    assert "_fbp" in cookie_names(page.context, servers.host_url)
    page.get_by_role("button", name="Cookie settings", exact=True).last.click()
    page.get_by_role("dialog").get_by_role("button", name="Reject all").click()  # one to withdraw
    wait_for_receipt(page, previous=first)
    assert [r.action for r in records_for(servers, subject)] == ["accept_all", "withdraw"]
    # Every advertising cookie is gone, and the embedded video no longer runs.
    assert cookie_names(page.context, servers.host_url) == {"samtykke"}
    expect(
        page.get_by_text("This content is blocked until you allow: Advertising.")
    ).to_be_visible()


def test_floating_button_can_be_turned_off(page: Page, servers: Servers) -> None:
    from .helpers import make_site

    key = make_site(servers, reopen_button=False)
    open_banner(page, servers.page_url(key))
    page.get_by_role("button", name="Reject all").click()
    wait_for_receipt(page)
    expect(page.locator("[data-samtykke] >> role=button")).to_have_count(0)
    expect(page.get_by_role("button", name="Cookie settings", exact=True)).to_have_count(1)
