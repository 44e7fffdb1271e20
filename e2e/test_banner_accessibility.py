"""Accessibility: axe-core finds nothing serious, the keyboard alone completes a choice,
and the banner works on a phone, at 200 % zoom, in dark mode and with reduced motion."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Browser, Locator, Page, expect

from .helpers import Servers, open_banner, records_for, wait_for_receipt

AXE = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"


def serious_violations(page: Page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    result, checked = page.evaluate(
        """async () => {
            const r = await axe.run(document);
            const flat = list => list.map(v => ({id: v.id, impact: v.impact,
                nodes: v.nodes.map(n => n.target.flat().join(' '))}));
            return [flat(r.violations), flat(r.passes)];
        }"""
    )
    # axe must really have looked inside the banner's shadow root.
    assert any("sk-" in node for rule in checked for node in rule["nodes"])
    # The host page is not ours to fix; judge only what the banner draws.
    ours = [
        v
        for v in result
        if v["impact"] in {"serious", "critical"}
        and any("samtykke" in node or "sk-" in node for node in v["nodes"])
    ]
    return ours


def test_banner_has_no_serious_accessibility_violations(page: Page, servers: Servers) -> None:
    open_banner(page, servers.host_url + "/")
    assert serious_violations(page) == []


def test_modal_has_no_serious_accessibility_violations(page: Page, servers: Servers) -> None:
    open_banner(page, servers.host_url + "/")
    page.get_by_role("button", name="Customize").click()
    page.get_by_role("dialog", name="Cookie settings").get_by_text(
        "Cookies in this category (6)"
    ).click()
    assert serious_violations(page) == []


def test_dialogs_are_labelled_and_described(page: Page, servers: Servers) -> None:
    open_banner(page, servers.host_url + "/")
    banner = page.get_by_role("dialog", name="We use cookies")
    expect(banner).to_have_attribute("aria-describedby", "sk-d")
    expect(banner).to_be_focused()  # focus moved into the banner
    page.get_by_role("button", name="Customize").click()
    modal = page.get_by_role("dialog", name="Cookie settings")
    expect(modal).to_have_attribute("aria-modal", "true")
    expect(modal).to_be_focused()


def tab_to(page: Page, target: Locator, most: int = 20) -> None:
    """Press Tab until `target` has the focus (inside the banner's shadow root)."""
    for _ in range(most):
        page.keyboard.press("Tab")
        if target.evaluate("el => el.getRootNode().activeElement === el"):
            return
    raise AssertionError(f"Tab never reached {target}")


def test_keyboard_alone_completes_a_custom_choice(page: Page, servers: Servers) -> None:
    open_banner(page, servers.host_url + "/")
    page.keyboard.press("Tab")  # from the banner to its first button
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Customize")).to_be_focused()
    page.keyboard.press("Enter")
    modal = page.get_by_role("dialog", name="Cookie settings")
    expect(modal).to_be_focused()
    functionality = modal.get_by_role("switch", name="Functionality")
    tab_to(page, functionality)
    page.keyboard.press("Space")
    expect(functionality).to_be_checked()
    tab_to(page, modal.get_by_role("button", name="Save choices"))
    page.keyboard.press("Enter")
    subject = wait_for_receipt(page)
    [record] = records_for(servers, subject)
    assert record.action == "custom"
    assert sorted(record.granted) == ["functionality", "necessary"]


def test_focus_stays_in_the_modal_and_escape_closes_it(page: Page, servers: Servers) -> None:
    open_banner(page, servers.host_url + "/")
    page.get_by_role("button", name="Customize").click()
    modal = page.get_by_role("dialog", name="Cookie settings")
    for _ in range(40):
        page.keyboard.press("Tab")
        inside = modal.evaluate("m => m.contains(m.getRootNode().activeElement)")
        assert inside, "focus left the modal"
    page.keyboard.press("Shift+Tab")
    assert modal.evaluate("m => m.contains(m.getRootNode().activeElement)")
    page.keyboard.press("Escape")
    expect(modal).to_be_hidden()
    # No choice was made yet, so the first layer is back.
    expect(page.get_by_role("dialog", name="We use cookies")).to_be_visible()


def test_focus_ring_is_visible(page: Page, servers: Servers) -> None:
    open_banner(page, servers.host_url + "/")
    page.keyboard.press("Tab")
    outline = page.get_by_role("button", name="Accept all").evaluate(
        "el => getComputedStyle(el).outlineStyle + ' ' + getComputedStyle(el).outlineWidth"
    )
    assert outline == "solid 3px"


def test_usable_at_320_px(browser: Browser, servers: Servers) -> None:
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    open_banner(page, servers.host_url + "/")
    banner = page.get_by_role("dialog", name="We use cookies").bounding_box()
    assert banner and banner["x"] >= 0 and banner["x"] + banner["width"] <= 320
    assert banner["height"] <= 0.5 * 640, "the banner must leave the page readable"
    for name in ("Accept all", "Reject all", "Customize"):
        box = page.get_by_role("button", name=name).bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= 320
        assert box["height"] >= 44  # touch target
    page.get_by_role("button", name="Customize").click()
    save = page.get_by_role("button", name="Save choices")
    save.scroll_into_view_if_needed()
    expect(save).to_be_in_viewport()
    context.close()


def test_usable_at_200_percent_zoom(browser: Browser, servers: Servers) -> None:
    # 200 % zoom of a 1280 x 800 window leaves 640 x 400 CSS pixels.
    context = browser.new_context(viewport={"width": 640, "height": 400}, device_scale_factor=2)
    page = context.new_page()
    open_banner(page, servers.host_url + "/")
    for name in ("Accept all", "Reject all", "Customize"):
        expect(page.get_by_role("button", name=name)).to_be_in_viewport()
    page.get_by_role("button", name="Customize").click()
    save = page.get_by_role("button", name="Save choices")
    save.scroll_into_view_if_needed()
    expect(save).to_be_in_viewport()
    save.click()
    wait_for_receipt(page)
    context.close()


def test_dark_mode_and_reduced_motion_are_honoured(browser: Browser, servers: Servers) -> None:
    context = browser.new_context(color_scheme="dark", reduced_motion="reduce")
    page = context.new_page()
    open_banner(page, servers.host_url + "/")
    background = page.get_by_role("dialog", name="We use cookies").evaluate(
        "el => getComputedStyle(el).backgroundColor"
    )
    assert background == "rgb(29, 33, 38)"
    page.get_by_role("button", name="Customize").click()
    toggle = page.get_by_role("switch", name="Functionality")
    transition = toggle.evaluate("el => getComputedStyle(el, '::after').transitionDuration")
    assert transition == "0s"
    context.close()
