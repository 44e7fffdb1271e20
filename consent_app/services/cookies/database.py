"""Reading cookie catalogs: our curated CSV and the Open Cookie Database CSV format."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parents[2] / "data"
CURATED_CATALOG = DATA_DIR / "catalog.csv"
OPEN_COOKIE_DATABASE = DATA_DIR / "open-cookie-database.csv"

# The Open Cookie Database has six categories; our reference customer's policy has two
# consent categories besides `necessary`. Its Advertising cookies record visits, pages,
# links, browser and device, which is what analytics cookies do, so analytics is
# advertising here. Functional and Personalization remember the visitor's choices.
OCD_CATEGORY_MAP = {
    "Necessary": "necessary",
    "Security": "necessary",
    "Functional": "functionality",
    "Personalization": "functionality",
    "Analytics": "advertising",
    "Marketing": "advertising",
}
OCD_COLUMNS = (
    "Platform",
    "Category",
    "Cookie / Data Key name",
    "Domain",
    "Description",
    "Retention period",
    "Wildcard match",
)


@dataclass(frozen=True)
class CookieDefinition:
    """One catalog entry: which cookie names it covers and what they are for."""

    pattern: str
    match: str  # exact | prefix | regex
    category: str
    provider: str = ""
    purpose: str = ""
    duration: str = ""
    domain: str = ""


class MalformedCookieFile(ValueError):
    """The file is not in the expected CSV format; the message says where."""


def read_curated(path: Path = CURATED_CATALOG) -> list[CookieDefinition]:
    with path.open(encoding="utf-8", newline="") as fh:
        return [
            CookieDefinition(
                pattern=row["name"],
                match=row["match"],
                category=row["category"],
                provider=row["provider"],
                purpose=row["purpose"],
                duration=row["duration"],
            )
            for row in csv.DictReader(fh)
        ]


def read_open_cookie_database(lines: Iterable[str]) -> Iterator[CookieDefinition]:
    """Yield definitions from Open Cookie Database CSV text, or raise MalformedCookieFile."""
    reader = csv.DictReader(lines)
    missing = [c for c in OCD_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise MalformedCookieFile(f"missing column(s): {', '.join(missing)}")
    for line_no, row in enumerate(reader, start=2):
        name = (row["Cookie / Data Key name"] or "").strip()
        category = OCD_CATEGORY_MAP.get((row["Category"] or "").strip())
        wildcard = (row["Wildcard match"] or "0").strip()
        if not name:
            raise MalformedCookieFile(f"line {line_no}: empty cookie name")
        if category is None:
            raise MalformedCookieFile(f"line {line_no}: unknown category {row['Category']!r}")
        if wildcard not in {"0", "1"}:
            raise MalformedCookieFile(f"line {line_no}: wildcard match must be 0 or 1")
        yield CookieDefinition(
            pattern=name,
            match="prefix" if wildcard == "1" else "exact",
            category=category,
            provider=(row["Platform"] or "").strip(),
            purpose=(row["Description"] or "").strip(),
            duration=(row["Retention period"] or "").strip(),
            domain=(row["Domain"] or "").strip(),
        )


def read_bundled_open_cookie_database() -> list[CookieDefinition]:
    text = OPEN_COOKIE_DATABASE.read_text(encoding="utf-8")
    return list(read_open_cookie_database(io.StringIO(text, newline="")))
