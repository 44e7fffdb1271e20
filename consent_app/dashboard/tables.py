"""The dashboard's tables, defined once for the page and for its CSV download.

On the page, values are formatted by Babel for the reader's locale; in the CSV they are
plain machine values (ISO dates, codes, integers, rates as decimal fractions).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import format_date, get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..models import ACTIONS, Site
from ..services.spreadsheet_csv import csv_text
from ..services.stats.figures import Breakdown, Figures
from ..web.labels import ACTION_LABELS, DEVICE_LABELS, category_name

BREAKDOWN_LABELS = {
    "day": _l("Day"),
    "country": _l("Country"),
    "language": _l("Language"),
    "device": _l("Device class"),
    "policy": _l("Policy version"),
}


def key_label(dimension: str, key: Any) -> str:
    """A breakdown value as the reader says it: a date, a country or language name."""
    if dimension == "day":
        return str(format_date(key, "medium"))
    if dimension == "policy":
        return str(_("Version %(label)s", label=key))
    if not key:
        return str(_("Unknown"))
    locale = get_locale()
    if dimension == "country" and locale is not None:
        return str(locale.territories.get(key, key))
    if dimension == "language" and locale is not None:
        # Norwegian writes language names in lower case; as a row label it starts a line.
        name = str(locale.languages.get(key.replace("-", "_"), key))
        return name[:1].upper() + name[1:]
    if dimension == "device":
        return str(DEVICE_LABELS.get(key, key))
    return str(key)


@dataclass(frozen=True)
class Column:
    key: str  # the CSV header
    label: Any  # the page header (a lazy translation)
    kind: str  # "count", "rate" or "points" (a difference of rates): how the page formats it
    value: Callable[[Figures], int | float | None] | None = None  # for tables of Figures


def _share(action: str) -> Callable[[Figures], float | None]:
    return lambda figures: figures.share(action)


def _opt_in(category: str) -> Callable[[Figures], float | None]:
    return lambda figures: figures.opt_in_rate(category)


def figure_columns(categories: list[str], site: Site) -> list[Column]:
    columns = [
        Column("impressions", _l("Impressions"), "count", lambda f: f.impressions),
        Column("decisions", _l("Decisions"), "count", lambda f: f.decisions),
        Column("interaction_rate", _l("Interaction rate"), "rate", lambda f: f.interaction_rate),
        Column("ignored", _l("Ignored"), "count", lambda f: f.ignored),
        Column("ignored_rate", _l("Ignored rate"), "rate", lambda f: f.ignored_rate),
    ]
    columns += [
        Column(f"{action}_share", ACTION_LABELS[action], "rate", _share(action))
        for action in ACTIONS
    ]
    columns.append(
        Column("gpc_signal_share", _l("With GPC signal"), "rate", lambda f: f.gpc_signal_share)
    )
    columns += [
        Column(
            f"opt_in_{slug}",
            _l("%(category)s opt-in", category=category_name(slug, site)),
            "rate",
            _opt_in(slug),
        )
        for slug in categories
    ]
    return columns


@dataclass(frozen=True)
class Row:
    key: Any  # the raw value (a date, a code, a label); None for the total
    label: str
    cells: list[int | float | None]
    kinds: list[str] | None = None  # per cell, where the row differs from its columns


@dataclass(frozen=True)
class Table:
    name: str
    key_header: str  # CSV header of the first column
    key_label: Any  # page header of the first column
    columns: list[Column]
    rows: list[Row]
    total: Row | None = None


def breakdown_table(result: Breakdown, site: Site) -> Table:
    columns = figure_columns(result.categories, site)

    def cells(figures: Figures) -> list[int | float | None]:
        return [c.value(figures) for c in columns if c.value]

    rows = [Row(key, key_label(result.dimension, key), cells(f)) for key, f in result.rows]
    total = Row(None, _("Total"), cells(result.total))
    label = BREAKDOWN_LABELS[result.dimension]
    return Table("breakdown", result.dimension, label, columns, rows, total)


def category_table(figures: Figures, categories: list[str], site: Site) -> Table:
    columns = [
        Column("granted", _l("Granted"), "count"),
        Column("denied", _l("Denied"), "count"),
        Column("opt_in_rate", _l("Opt-in rate"), "rate"),
    ]
    rows = []
    for slug in categories:
        granted, denied = figures.categories.get(slug, (0, 0))
        name = category_name(slug, site)
        rows.append(Row(slug, name, [granted, denied, figures.opt_in_rate(slug)]))
    return Table("categories", "category", _l("Category"), columns, rows)


def comparison_table(
    first: Figures, second: Figures, site: Site, categories: list[str], labels: tuple[str, str]
) -> Table:
    """One row per rate of the two versions, and the difference in percentage points."""
    columns = [
        Column("first", _("Version %(label)s", label=labels[0]), "rate"),
        Column("second", _("Version %(label)s", label=labels[1]), "rate"),
        Column("difference", _l("Difference"), "points"),
    ]
    rows = []
    for column in figure_columns(categories, site):
        assert column.value is not None
        a, b = column.value(first), column.value(second)
        difference = None if a is None or b is None else b - a
        kinds = ["count"] * 3 if column.kind == "count" else None
        rows.append(Row(column.key, str(column.label), [a, b, difference], kinds))
    return Table("comparison", "figure", _l("Figure"), columns, rows)


def _csv_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.4f}"
    if isinstance(value, date):
        return value.isoformat()
    return value


def table_csv(table: Table) -> str:
    rows = [[table.key_header, *(c.key for c in table.columns)]]
    for row in [*table.rows, *([table.total] if table.total else [])]:
        key = "total" if row.key is None else row.key
        rows.append([_csv_cell(key), *(_csv_cell(v) for v in row.cells)])
    return csv_text(rows)
