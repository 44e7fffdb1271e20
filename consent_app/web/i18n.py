"""Which language the HTML pages speak: the user's choice, else the browser's."""

from __future__ import annotations

from flask import g, has_request_context, request, session

from ..services.sites.texts import available_languages, language_name

# The pages themselves are translated into these (the banner has more languages).
UI_LANGUAGES = ("en", "nb", "nn")


def ui_languages() -> list[tuple[str, str]]:
    have = set(available_languages())
    return [(tag, language_name(tag)) for tag in UI_LANGUAGES if tag in have]


def select_locale() -> str | None:
    if not has_request_context():
        return None  # the CLI and other work outside a request: the default locale
    tags = [tag for tag, _ in ui_languages()]
    # A door may speak the language it was opened in (the visitor's page: the banner's).
    chosen = g.get("page_language") or session.get("ui_language")
    if chosen in tags:
        return str(chosen)
    return request.accept_languages.best_match(tags) or "en"
