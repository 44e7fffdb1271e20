"""Building the banner scripts a site embeds: the core with its configuration inline, and
the UI for one language. Built bundles live in static/js/dist (`npm run build`)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import lru_cache

from ..config import PROJECT_ROOT
from ..models import NECESSARY, Site
from .classify import RuleSet, builtin_catalog
from .site_texts import with_site_texts
from .sites import consent_epoch, current_policy, site_rules
from .texts import available_languages, banner_texts, language_name

DIST = PROJECT_ROOT / "static" / "js" / "dist"
CONSENT_COOKIE = "samtykke"
CORE_PLACEHOLDER = "__SAMTYKKE_CONFIG__"
UI_PLACEHOLDER = "__SAMTYKKE_UI__"
MATCH_CODES = {"exact": "e", "prefix": "p", "regex": "r"}


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


def core_config(site: Site) -> dict[str, object]:
    """Everything the core needs on every page: categories, rules, policy, lifetime."""
    ordered = RuleSet(site_rules(site))
    rules = [[d.pattern, MATCH_CODES[d.match], d.category] for d in ordered.exact.values()]
    rules += [[d.pattern, "p", d.category] for d in ordered.prefixes]
    rules += [[p.pattern, "r", d.category] for p, d in ordered.regexes]
    languages = available_languages()
    return {
        "site": site.key,
        "policy": current_policy(site).label,
        "epoch": consent_epoch(site),
        "categories": optional_categories(site),
        "rules": rules,
        "unknown": site.unknown_cookie_policy,
        "days": site.consent_lifetime_days,
        "cookie": CONSENT_COOKIE,
        "langs": list(languages),
        "lang": site.default_language if site.default_language in languages else "en",
    }


def ui_config(site: Site, language: str) -> dict[str, object]:
    """Texts in one language, plus the known cookies of each category for the modal."""
    categories = [NECESSARY, *optional_categories(site)]
    cookies: dict[str, list[list[str]]] = {slug: [] for slug in categories}
    own = builtin_catalog()[0].exact[CONSENT_COOKIE]
    cookies[NECESSARY].append([own.pattern, own.provider, own.purpose, own.duration])
    for rule in site.cookie_rules:
        if rule.category in cookies:
            name = rule.pattern + ("*" if rule.match == "prefix" else "")
            cookies[rule.category].append([name, rule.provider, rule.purpose, rule.duration])
    return {
        "lang": language,
        "texts": with_site_texts(site, language, banner_texts(language, categories)),
        "langs": [[tag, language_name(tag)] for tag in available_languages()],
        "cookies": cookies,
    }


def core_script(site: Site) -> Script:
    return _render("core.js", CORE_PLACEHOLDER, core_config(site))


def ui_script(site: Site, language: str) -> Script:
    return _render("ui.js", UI_PLACEHOLDER, ui_config(site, language))
