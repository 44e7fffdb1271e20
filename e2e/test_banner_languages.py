"""Languages: stored preference, then data-lang, then <html lang>, then the browser's
languages, then the site default; a switcher in the modal; preferences that persist only
while functionality is granted."""

from __future__ import annotations

from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from consent_app.extensions import db
from consent_app.models import Preference

from .helpers import Servers, cookie_names, wait_for_receipt, wait_until


def first_button(page: Page) -> str:
    page.wait_for_function("() => document.querySelector('[data-samtykke]')")
    button = page.locator("[data-samtykke] >> .bar .btn").first
    expect(button).to_be_visible()
    return button.inner_text()


def preference_rows(servers: Servers) -> list[tuple[str | None, str | None]]:
    with servers.app.app_context():
        rows = [(p.language, p.location) for p in db.session.scalars(select(Preference))]
        db.session.remove()
        return rows


def test_data_lang_beats_html_lang(page: Page, servers: Servers) -> None:
    page.goto(servers.page_url(lang="de", **{"data-lang": "nn"}))
    assert first_button(page) == "Godta alle"


def test_html_lang_beats_the_browser(page: Page, servers: Servers) -> None:
    page.goto(servers.page_url(lang="fi"))
    assert first_button(page) == "Hyväksy kaikki"


def test_browser_languages_come_next(browser: Browser, servers: Servers) -> None:
    context = browser.new_context(locale="sv-SE")
    page = context.new_page()
    page.goto(servers.page_url(lang="xx"))
    assert first_button(page) == "Godkänn alla"
    context.close()


def test_site_default_when_nothing_matches(browser: Browser, servers: Servers) -> None:
    context = browser.new_context(locale="ja-JP")
    page = context.new_page()
    page.goto(servers.page_url(lang="ko"))
    assert first_button(page) == "Godta alle"  # the demo site's default is Bokmål
    context.close()


def test_switcher_changes_the_language_of_the_modal(page: Page, servers: Servers) -> None:
    page.goto(servers.page_url())
    page.get_by_role("button", name="Customize").click()
    page.get_by_label("Language", exact=True).select_option("pl")
    expect(page.get_by_role("dialog", name="Ustawienia plików cookie")).to_be_visible()
    expect(page.get_by_role("button", name="Zapisz wybór")).to_be_visible()


def test_preferences_persist_only_with_functionality(page: Page, servers: Servers) -> None:
    page.goto(servers.page_url())
    page.get_by_role("button", name="Reject all").click()
    wait_for_receipt(page)
    stored = page.evaluate("() => window.consent.setPreference('location', 'Bergen')")
    assert stored is False
    assert "samtykke_pref" not in cookie_names(page.context, servers.host_url)
    assert page.evaluate("() => window.consent.getPreference('location')") is None

    page.locator("#settings").click()
    page.get_by_role("switch", name="Functionality").check()
    previous = page.evaluate("() => window.consent.get().receipt")
    page.get_by_role("button", name="Save choices").click()
    subject = wait_for_receipt(page, previous=previous)
    page.locator("#pref-lang").select_option("nn")
    page.locator("#pref-location").select_option("Tromsø")
    page.locator("#remember").click()
    assert "samtykke_pref" in cookie_names(page.context, servers.host_url)
    expect(page.locator("#prefs")).to_have_text("saved")
    wait_until(page, lambda: ("nn", "Tromsø") in preference_rows(servers), "not stored")
    assert ("nn", "Tromsø") in preference_rows(servers)

    # The banner itself now speaks the stored language.
    page.reload()
    page.locator("#settings").click()
    expect(page.get_by_role("dialog", name="Innstillingar for informasjonskapslar")).to_be_visible()

    # Refusing functionality deletes both the cookie and the row on the service.
    previous = page.evaluate("() => window.consent.get().receipt")
    page.get_by_role("button", name="Avvis alle").click()
    wait_for_receipt(page, previous=previous)
    assert "samtykke_pref" not in cookie_names(page.context, servers.host_url)
    assert ("nn", "Tromsø") not in preference_rows(servers)
    assert subject


def test_frame_placeholders_follow_a_language_switch(page: Page, servers: Servers) -> None:
    page.goto(servers.page_url())
    expect(
        page.get_by_text("This content is blocked until you allow: Advertising.")
    ).to_be_visible()
    page.get_by_role("button", name="Customize").click()
    page.get_by_label("Language", exact=True).select_option("nn")
    expect(
        page.get_by_text("Dette innhaldet er blokkert til du tillèt: Annonsering.")
    ).to_be_visible()
    expect(page.get_by_text("This content is blocked until you allow")).to_have_count(0)


def test_the_language_of_a_choice_is_kept_for_the_next_page(page: Page, servers: Servers) -> None:
    page.goto(servers.page_url())
    page.get_by_role("button", name="Customize").click()
    page.get_by_label("Language", exact=True).select_option("nn")
    page.get_by_role("button", name="Avvis alle").click()
    wait_for_receipt(page)
    page.reload()
    page.get_by_role(
        "button", name="Innstillingar for informasjonskapslar", exact=True
    ).last.click()
    expect(page.get_by_role("dialog", name="Innstillingar for informasjonskapslar")).to_be_visible()
