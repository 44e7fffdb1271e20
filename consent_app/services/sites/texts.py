"""Banner texts, from the gettext catalogs under translations/.

Strings are marked here with lazy_gettext so that `flask translate update` extracts them;
they are rendered per language with force_locale when a banner script is built.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from babel import Locale
from babel.units import format_unit
from flask import current_app
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

BANNER_TEXTS = {
    "title": _l("We use cookies"),
    "body": _l(
        "We use necessary cookies to make this site work. With your consent we also use "
        "functionality cookies to remember your language and location, and advertising "
        "cookies to measure visits and show relevant ads. You can change your choice at "
        "any time."
    ),
    "accept_all": _l("Accept all"),
    "reject_all": _l("Reject all"),
    "customize": _l("Customize"),
    "save": _l("Save choices"),
    "settings_title": _l("Cookie settings"),
    "settings_body": _l(
        "Choose which cookies we may use. Necessary cookies are always on. "
        "You can change or withdraw your consent at any time."
    ),
    "always_on": _l("Always on"),
    "close": _l("Close"),
    "reopen": _l("Cookie settings"),
    "cookie_name": _l("Name"),
    "cookie_provider": _l("Provider"),
    "cookie_purpose": _l("Purpose"),
    "cookie_duration": _l("Duration"),
    "cookies_used": _l("Cookies in this category"),
    "language": _l("Language"),
    "my_consent": _l("See, download or withdraw your consent"),
    "gpc_note": _l(
        "Your browser sends a Global Privacy Control signal, so advertising stays off "
        "unless you switch it on here."
    ),
    # Shown in place of an embedded frame (video, map) until its category is allowed.
    "blocked": _l("This content is blocked until you allow: %(category)s."),
    "allow": _l("Allow and show"),
    "session": _l("Session"),
}

CATEGORY_TEXTS = {
    "necessary": (
        _l("Necessary"),
        _l(
            "Needed for the site to work, to keep it secure and to remember your consent "
            "choice. They cannot be switched off."
        ),
    ),
    "functionality": (
        _l("Functionality"),
        _l("Recognise you when you come back and remember your language and location."),
    ),
    "advertising": (
        _l("Advertising"),
        _l(
            "Record your visits, the pages you view, the links you follow, and your browser, "
            "device and IP address, to measure and personalise advertising."
        ),
    ),
}


def translations_dir() -> Path:
    return Path(current_app.config["BABEL_TRANSLATION_DIRECTORIES"])


@lru_cache(maxsize=8)
def _languages_in(directory: str) -> tuple[str, ...]:
    found = {"en"}
    for po in Path(directory).glob("*/LC_MESSAGES/messages.po"):
        found.add(po.parent.parent.name.replace("_", "-"))
    return tuple(sorted(found))


def available_languages() -> tuple[str, ...]:
    """Languages with a banner catalog, as BCP 47 tags (en, nb, nn ...)."""
    return _languages_in(str(translations_dir()))


def best_language(wanted: list[str], default: str) -> str:
    """The first wanted language we have a catalog for, by exact tag then base language."""
    available = available_languages()
    for tag in wanted:
        tag = tag.strip().replace("_", "-").lower()
        if tag in available:
            return tag
        if tag.split("-")[0] in available:
            return tag.split("-")[0]
        # Plain "no" (Norwegian) means Bokmal for almost every reader.
        if tag.split("-")[0] == "no":
            return "nb"
    return default if default in available else "en"


def language_name(tag: str) -> str:
    """The language's own name (e.g. "norsk bokmål"), for the language switcher."""
    name = Locale.parse(tag, sep="-").get_display_name(Locale.parse(tag, sep="-")) or tag
    return name[:1].upper() + name[1:]


def reopen_label(language: str) -> str:
    """The floating button's accessible label."""
    with force_locale(language.replace("-", "_")):
        return str(BANNER_TEXTS["reopen"])


_DURATION = re.compile(r"^\s*(\d+)\s*(minute|hour|day|week|month|year)s?\s*$", re.I)


def localized_duration(text: str, language: str) -> str:
    """'13 months' in the visitor's language via CLDR ('13 måneder'); free text as is."""
    if text.strip().lower() == "session":
        with force_locale(language.replace("-", "_")):
            return str(BANNER_TEXTS["session"])
    match = _DURATION.match(text)
    if not match:
        return text
    amount, unit = int(match.group(1)), match.group(2).lower()
    return format_unit(amount, f"duration-{unit}", length="long", locale=language.replace("-", "_"))


def category_name(slug: str) -> str:
    """A category's built-in name in the current locale, else its slug as a title. A site's
    own names come first where there are any (wording.category_names)."""
    texts = CATEGORY_TEXTS.get(slug)
    return str(texts[0]) if texts else slug.title()


def banner_texts(language: str, categories: list[str]) -> dict[str, object]:
    """All texts a banner needs in one language, category names and descriptions included."""
    with force_locale(language.replace("-", "_")):
        texts: dict[str, object] = {key: str(value) for key, value in BANNER_TEXTS.items()}
        texts["categories"] = {
            slug: {
                "name": category_name(slug),
                "description": str(CATEGORY_TEXTS[slug][1]) if slug in CATEGORY_TEXTS else "",
            }
            for slug in categories
        }
    return texts
