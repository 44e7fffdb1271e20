from __future__ import annotations

import pytest
from babel.messages.pofile import read_po
from flask import Flask

from consent_app.config import PROJECT_ROOT
from consent_app.services.sites.banner import OWN_COOKIES, OWN_PROVIDER
from consent_app.services.sites.texts import (
    BANNER_TEXTS,
    CATEGORY_TEXTS,
    available_languages,
    banner_texts,
    localized_duration,
)

BANNER_LANGUAGES = ["en", "nb", "nn", "sv", "da", "de", "fr", "es", "fi", "nl", "pl"]


def test_every_banner_language_is_available(app: Flask) -> None:
    assert set(BANNER_LANGUAGES) <= set(available_languages())


@pytest.mark.parametrize("language", BANNER_LANGUAGES[1:])
def test_banner_texts_are_complete(language: str) -> None:
    english = [str(text._args[0]) for text in BANNER_TEXTS.values()]
    english += [str(text._args[0]) for text in (OWN_PROVIDER, *OWN_COOKIES.values())]
    for name, description in CATEGORY_TEXTS.values():
        english += [str(name._args[0]), str(description._args[0])]
    path = PROJECT_ROOT / "translations" / language / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as fh:
        translated = {m.id: m.string for m in read_po(fh) if m.id and m.string and not m.fuzzy}
    assert [msgid for msgid in english if msgid not in translated] == []


def test_placeholders_survive_translation(app: Flask) -> None:
    for language in BANNER_LANGUAGES:
        assert "%(category)s" in str(banner_texts(language, [])["blocked"])


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("13 months", "nb", "13 måneder"),
        ("1 year", "nn", "1 år"),
        ("30 minutes", "de", "30 Minuten"),
        ("session", "nb", "Økt"),
        ("until the end of time", "nb", "until the end of time"),
    ],
)
def test_durations_are_said_in_the_visitors_language(
    app: Flask, text: str, language: str, expected: str
) -> None:
    assert localized_duration(text, language) == expected
