"""The imported cookie catalog, and importing Open Cookie Database files into it.

Where imported rules go (`flask consent import-cookies FILE`):

- without --site, into the shared catalog (models/catalog.py). Classification consults it
  after a site's own rules and our curated catalog, and before the bundled snapshot of the
  Open Cookie Database (services/classify.py): an import is normally a newer edition of
  that database, so it should beat the old snapshot but not our curation. It feeds the
  admin's look-up and the review queue's suggestions, never a banner directly.
- with --site KEY, into that site's own rules, which come first and are carried in the
  site's banner script, so the banner acts on them at once.

The file is read and checked completely before anything is written, and written in one
transaction: a malformed file changes nothing.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select

from ...extensions import db
from ...models import CatalogCookie, CookieRule, Site
from ..accounts.activity import record_operator_change
from ..sites.profiles import as_definition
from .classify import RuleSet
from .database import CookieDefinition, MalformedCookieFile, read_open_cookie_database

FIELDS = ("category", "domain", "provider", "purpose", "duration")
LIMITS = {"pattern": 255, "domain": 255, "provider": 200, "duration": 100}


def imported_catalog() -> RuleSet:
    rows = db.session.scalars(select(CatalogCookie).order_by(CatalogCookie.id))
    return RuleSet(as_definition(row) for row in rows)


def read_cookie_file(path: Path) -> list[CookieDefinition]:
    """Every definition in an Open Cookie Database CSV file, or MalformedCookieFile."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            definitions = list(read_open_cookie_database(fh))
    except UnicodeDecodeError as exc:
        raise MalformedCookieFile(f"not UTF-8 text (byte {exc.start})") from None
    except csv.Error as exc:
        raise MalformedCookieFile(f"not valid CSV: {exc}") from None
    for index, definition in enumerate(definitions):
        for name, limit in LIMITS.items():
            if len(getattr(definition, name)) > limit:
                raise MalformedCookieFile(f"line {index + 2}: {name} over {limit} characters")
    return definitions


@dataclass
class ImportReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (name, why)


def _same(row: CatalogCookie | CookieRule, definition: CookieDefinition) -> bool:
    return all(getattr(row, name) == getattr(definition, name) for name in FIELDS)


def import_cookies(
    definitions: Iterable[CookieDefinition], *, site: Site | None, operator: str
) -> ImportReport:
    """Add or update each definition (by name and match kind) in the shared catalog or a
    site's rules; the first definition of a name in the file wins, as in the catalogs."""
    report = ImportReport()
    if site is None:
        rows = db.session.scalars(select(CatalogCookie))
        existing: dict[tuple[str, str], CatalogCookie | CookieRule] = {
            (r.pattern, r.match): r for r in rows
        }
    else:
        existing = {(r.pattern, r.match): r for r in site.cookie_rules}
        categories = {c.slug for c in site.categories}
    seen: set[tuple[str, str]] = set()
    now = datetime.now(UTC)
    for definition in definitions:
        key = (definition.pattern, definition.match)
        label = definition.pattern + ("*" if definition.match == "prefix" else "")
        if key in seen:
            report.skipped.append((label, "named earlier in the file"))
            continue
        seen.add(key)
        if site is not None and definition.category not in categories:
            report.skipped.append((label, f"site has no category {definition.category!r}"))
            continue
        row = existing.get(key)
        if row is not None and _same(row, definition):
            report.skipped.append((label, "unchanged"))
            continue
        if row is None:
            row = CatalogCookie() if site is None else CookieRule(site=site)
            row.pattern, row.match = definition.pattern, definition.match
            db.session.add(row)
            report.added.append(label)
        else:
            report.updated.append(label)
        for name in FIELDS:
            setattr(row, name, getattr(definition, name))
        if isinstance(row, CatalogCookie):
            row.updated_at = now
    target = f"site {site.key}" if site is not None else "catalog"
    counts = {
        "added": len(report.added),
        "updated": len(report.updated),
        "skipped": len(report.skipped),
    }
    record_operator_change(operator, "cookies.import", target, counts)
    db.session.commit()
    return report
