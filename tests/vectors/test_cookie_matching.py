"""Cookie-name matching in the service (RuleSet) and the WSGI filter against the vectors in
cookie_matching.json, which the banner's classifier passes too (static/js/test)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from consent_app.integrations.wsgi import ConsentCookieFilter
from consent_app.services.cookies.classify import RuleSet
from consent_app.services.cookies.database import CookieDefinition
from consent_app.services.cookies.patterns import check_regex
from consent_app.services.sites.banner import core_config
from tests.factories import make_site


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    names = [name for name, _ in pairs]
    duplicates = {name for name in names if names.count(name) > 1}
    assert not duplicates, f"listed twice in one case: {duplicates}"
    return dict(pairs)


VECTORS = json.loads(
    (Path(__file__).parent / "cookie_matching.json").read_text(encoding="utf-8"),
    object_pairs_hook=_unique_keys,
)
RULES: list[list[str]] = VECTORS["rules"]
CASES: dict[str, dict[str, str | None]] = {
    case["about"]: case["expect"] for case in VECTORS["cases"]
}
MATCH_KINDS = {"e": "exact", "p": "prefix", "r": "regex"}
OWN_COOKIES = 2  # the banner's own two cookies come first in every site's rules
NO_RULE = "<no rule>"


def service_matcher() -> Callable[[str], str | None]:
    rules = RuleSet(
        CookieDefinition(pattern=p, match=MATCH_KINDS[k], category=c) for p, k, c in RULES
    )

    def category(name: str) -> str | None:
        found = rules.lookup(name)
        return found.category if found else None

    return category


def wsgi_matcher() -> Callable[[str], str | None]:
    middleware = ConsentCookieFilter(lambda environ, start: [], rules=RULES, unknown=NO_RULE)
    return lambda name: None if (found := middleware.category_of(name)) == NO_RULE else found


MATCHERS = {"service": service_matcher, "wsgi": wsgi_matcher}


@pytest.mark.parametrize("about", CASES)
@pytest.mark.parametrize("matcher", MATCHERS)
def test_matcher_classifies_names_as_the_vectors_say(matcher: str, about: str) -> None:
    category = MATCHERS[matcher]()
    expected = CASES[about]
    assert {name: category(name) for name in expected} == expected


def test_vector_rules_are_what_the_banner_receives_for_a_site_with_them(app: Flask) -> None:
    site = make_site(rules=[(p, MATCH_KINDS[k], c) for p, k, c in RULES[OWN_COOKIES:]])
    assert core_config(site)["rules"] == RULES


@pytest.mark.parametrize("pattern", [p for p, kind, _ in RULES if kind == "r"])
def test_vector_regexes_are_ones_an_admin_can_save(app: Flask, pattern: str) -> None:
    check_regex(pattern)
