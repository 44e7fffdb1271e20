"""Building the banner scripts a site embeds: the core with its configuration inline, and
the UI for one language. Built bundles live in static/js/dist (`npm run build`)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import lru_cache

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from ...config import PROJECT_ROOT
from ...models import NECESSARY, Site
from ..cookies.classify import RuleSet, builtin_catalog
from .profiles import consent_epoch, current_policy, site_rules
from .texts import (
    available_languages,
    banner_texts,
    language_name,
    localized_duration,
    reopen_label,
)
from .wording import with_site_texts

DIST = PROJECT_ROOT / "static" / "js" / "dist"
CONSENT_COOKIE = "samtykke"
PREFERENCE_COOKIE = "samtykke_pref"
CORE_PLACEHOLDER = "__SAMTYKKE_CONFIG__"
UI_PLACEHOLDER = "__SAMTYKKE_UI__"
MATCH_CODES = {"exact": "e", "prefix": "p", "regex": "r"}


# Our own cookies, described in the visitor's language (site rules are the admin's words).
OWN_PROVIDER = _l("This consent banner")
OWN_COOKIES = {
    CONSENT_COOKIE: _l("Remembers your cookie choices and the id of your consent receipt."),
    PREFERENCE_COOKIE: _l("Remembers the language and location you chose."),
}


class BannerNotBuilt(RuntimeError):
    """static/js/dist is missing: run `npm run build` (make run and make test do)."""


@dataclass(frozen=True)
class Script:
    body: bytes
    etag: str


@lru_cache(maxsize=4)
def _bundle(name: str, mtime_ns: int) -> str:
    return (DIST / name).read_text(encoding="utf-8")


def bundle(name: str) -> str:
    path = DIST / name
    if not path.exists():
        raise BannerNotBuilt(f"{path} is missing; run `npm run build`")
    # Keyed by mtime so that a rebuild during development is picked up without a restart.
    return _bundle(name, path.stat().st_mtime_ns)


def _js_literal(value: object) -> str:
    # JSON is a JavaScript expression; U+2028/2029 are escaped for older parsers.
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def _render(name: str, placeholder: str, value: object) -> Script:
    body = bundle(name).replace(placeholder, _js_literal(value), 1).encode("utf-8")
    return Script(body=body, etag=hashlib.sha256(body).hexdigest()[:32])


def optional_categories(site: Site) -> list[str]:
    return [c.slug for c in site.categories if c.slug != NECESSARY]


@dataclass(frozen=True)
class Visitor:
    """What the script request tells about the visitor, used and not kept."""

    gpc: bool = False  # the browser sent Sec-GPC: 1
    opt_in: bool = True  # the site's region rule asks this visitor to opt in


def core_config(site: Site, visitor: Visitor = Visitor()) -> dict[str, object]:
    """Everything the core needs on every page: categories, rules, policy, lifetime.

    Keys are short because every returning visitor downloads this on every page view.
    """
    ordered = RuleSet(site_rules(site))
    # Our own cookies first: the consent record itself is necessary.
    rules = [[CONSENT_COOKIE, "e", NECESSARY], [PREFERENCE_COOKIE, "e", "functionality"]]
    rules += [[d.pattern, MATCH_CODES[d.match], d.category] for d in ordered.exact.values()]
    rules += [[d.pattern, "p", d.category] for d in ordered.prefixes]
    rules += [[p.pattern, "r", d.category] for p, d in ordered.regexes]
    languages = available_languages()
    config_language = site.default_language if site.default_language in languages else "en"
    config: dict[str, object] = {
        "site": site.key,
        "policy": current_policy(site).label,
        "epoch": consent_epoch(site),
        "categories": optional_categories(site),
        "rules": rules,
        "unknown": site.unknown_cookie_policy,
        "days": site.consent_lifetime_days,
        "cookie": CONSENT_COOKIE,
        "gcm": int(site.google_consent_mode),
        # The floating button's label until the visitor's own language is known.
        "btn": reopen_label(config_language) if site.reopen_button else 0,
    }
    if visitor.gpc:
        config["gpc"] = 1
    if not visitor.opt_in:
        config["optin"] = 0
    return config


def backend_config(site: Site) -> dict[str, object]:
    """The core configuration for server-side integrations, plus the built-in catalog's
    necessary cookies (framework sessions, CSRF tokens) after the site's own rules, so a
    backend never loses its session cookie to the unknown-cookie policy."""
    config = core_config(site)
    necessary = [d for d in builtin_catalog()[0].exact.values() if d.category == NECESSARY]
    necessary += [d for d in builtin_catalog()[0].prefixes if d.category == NECESSARY]
    rules = list(config["rules"])  # type: ignore[call-overload]
    rules += [[d.pattern, MATCH_CODES[d.match], d.category] for d in necessary]
    return {**config, "rules": rules}


def ui_config(site: Site, language: str) -> dict[str, object]:
    """Texts in one language, plus the known cookies of each category for the modal."""
    categories = [NECESSARY, *optional_categories(site)]
    cookies: dict[str, list[list[str]]] = {slug: [] for slug in categories}
    with force_locale(language.replace("-", "_")):
        for own, purpose in OWN_COOKIES.items():
            rule = builtin_catalog()[0].exact[own]
            duration = localized_duration(rule.duration, language)
            cookies[rule.category].append([own, str(OWN_PROVIDER), str(purpose), duration])
    for rule in site.cookie_rules:
        if rule.category in cookies:
            name = rule.pattern + ("*" if rule.match == "prefix" else "")
            duration = localized_duration(rule.duration, language)
            cookies[rule.category].append([name, rule.provider, rule.purpose, duration])
    return {
        "lang": language,
        "texts": with_site_texts(site, language, banner_texts(language, categories)),
        "langs": [[tag, language_name(tag)] for tag in available_languages()],
        "cookies": cookies,
    }


def core_script(site: Site, visitor: Visitor = Visitor()) -> Script:
    return _render("core.js", CORE_PLACEHOLDER, core_config(site, visitor))


def ui_script(site: Site, language: str) -> Script:
    return _render("ui.js", UI_PLACEHOLDER, ui_config(site, language))
