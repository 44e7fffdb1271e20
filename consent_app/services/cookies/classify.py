"""Classifying cookie names into consent categories.

Order of authority: the site's own rules, then our curated catalog, then the catalog an
operator imported (`flask consent import-cookies`, services/cookie_catalog.py), then the
bundled Open Cookie Database. Within one rule set an exact name beats the longest
matching prefix, which beats a regular expression.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache

from .database import CookieDefinition, read_bundled_open_cookie_database, read_curated

UNKNOWN = "unknown"


class RuleSet:
    def __init__(self, definitions: Iterable[CookieDefinition]) -> None:
        self.exact: dict[str, CookieDefinition] = {}
        prefixes: list[CookieDefinition] = []
        self.regexes: list[tuple[re.Pattern[str], CookieDefinition]] = []
        for definition in definitions:
            if definition.match == "exact":
                # The first definition of a name wins, as catalogs list the best first.
                self.exact.setdefault(definition.pattern, definition)
            elif definition.match == "prefix":
                prefixes.append(definition)
            elif definition.match == "regex":
                # As browsers read it (\w, \d, \b are ASCII there): the banner and the WSGI
                # filter match names alike (tests/vectors/cookie_matching.json).
                self.regexes.append((re.compile(definition.pattern, re.ASCII), definition))
        self.prefixes = sorted(prefixes, key=lambda d: len(d.pattern), reverse=True)

    def lookup(self, name: str) -> CookieDefinition | None:
        if name in self.exact:
            return self.exact[name]
        for definition in self.prefixes:
            if name.startswith(definition.pattern):
                return definition
        for pattern, definition in self.regexes:
            if pattern.fullmatch(name):
                return definition
        return None


@lru_cache(maxsize=1)
def builtin_catalog() -> tuple[RuleSet, RuleSet]:
    """The curated catalog and the Open Cookie Database, parsed once per process."""
    return RuleSet(read_curated()), RuleSet(read_bundled_open_cookie_database())


def rule_chain(
    site_rules: Sequence[CookieDefinition] = (), imported: RuleSet | None = None
) -> list[tuple[str, RuleSet]]:
    """The rule sets in order of authority, each with the name of where it comes from."""
    curated, open_cookie_database = builtin_catalog()
    chain = [("site", RuleSet(site_rules)), ("curated", curated)]
    if imported is not None:
        chain.append(("imported", imported))
    chain.append(("open-cookie-database", open_cookie_database))
    return chain


def explain(
    name: str, chain: Sequence[tuple[str, RuleSet]]
) -> tuple[CookieDefinition | None, str | None]:
    """The definition that classifies `name` and the source it comes from, or Nones."""
    for source, rule_set in chain:
        found = rule_set.lookup(name)
        if found is not None:
            return found, source
    return None, None


def classify(
    names: Iterable[str],
    site_rules: Sequence[CookieDefinition] = (),
    imported: RuleSet | None = None,
) -> list[tuple[str, CookieDefinition | None]]:
    """Return (name, the definition that classifies it or None) for each name."""
    chain = rule_chain(site_rules, imported)
    return [(name, explain(name, chain)[0]) for name in names]


def category_of(definition: CookieDefinition | None) -> str:
    return UNKNOWN if definition is None else definition.category
