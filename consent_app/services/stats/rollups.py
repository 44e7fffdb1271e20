"""The rollups (models/stats.py) beside the raw consent log: counting impressions into
them, and checking that they equal a direct count over consent_records.

Database triggers keep the decision counts (migration 0201); this module never writes
them. `rollup_differences()` is the proof that the triggers did their job: it counts the
raw records again, independently (the category counts in Python, not in SQL), and lists
every key where the two disagree. `flask consent check-rollups` runs it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlalchemy import Date, cast, func, or_, select, type_coerce
from sqlalchemy.sql.elements import ColumnElement

from ...extensions import db
from ...models import ACTIONS, CategoryStats, ConsentRecord, ConsentStats

DECISION_COUNTS = ("decisions", *ACTIONS, "gpc_signal")
Key = tuple[int, date, int, str, str, str]


def day_of(moment: Any) -> ColumnElement[date]:
    """The UTC calendar day of a timestamp column, as the triggers compute it."""
    if db.engine.dialect.name == "postgresql":
        return cast(func.timezone("UTC", moment), Date)
    return type_coerce(func.date(moment), Date)


def record_key_columns() -> list[Any]:
    """A consent record's rollup key: unknown country, language and device are ''."""
    return [
        ConsentRecord.site_id,
        day_of(ConsentRecord.created_at),
        ConsentRecord.policy_version_id,
        func.coalesce(ConsentRecord.country, ""),
        func.coalesce(ConsentRecord.language, ""),
        func.coalesce(ConsentRecord.device_class, ""),
    ]


def _stats_key_columns(model: type[ConsentStats] | type[CategoryStats]) -> list[Any]:
    return [
        model.site_id,
        model.day,
        model.policy_version_id,
        model.country,
        model.language,
        model.device_class,
    ]


def _decision_counts(query: Any) -> dict[Key, dict[str, int]]:
    """{key: {count name: value}} from rows of the six key columns, then DECISION_COUNTS."""
    return {
        tuple(row[:6]): dict(zip(DECISION_COUNTS, row[6:], strict=True))
        for row in db.session.execute(query)
    }


def direct_decision_counts(site_id: int | None = None) -> dict[Key, dict[str, int]]:
    """Decisions per rollup key, counted straight from consent_records."""
    key = record_key_columns()
    action = ConsentRecord.action
    sums = [func.count()] + [func.count().filter(action == a) for a in ACTIONS]
    sums.append(func.count().filter(ConsentRecord.gpc.is_(True)))
    query = select(*key, *sums).group_by(*key)
    if site_id is not None:
        query = query.where(ConsentRecord.site_id == site_id)
    return _decision_counts(query)


def direct_category_counts(site_id: int | None = None) -> dict[tuple[Key, str], tuple[int, int]]:
    """(granted, denied) per rollup key and optional category, from consent_records."""
    query = select(*record_key_columns(), ConsentRecord.granted, ConsentRecord.denied)
    if site_id is not None:
        query = query.where(ConsentRecord.site_id == site_id)
    granted: Counter[tuple[Key, str]] = Counter()
    denied: Counter[tuple[Key, str]] = Counter()
    for row in db.session.execute(query.execution_options(yield_per=10_000)):
        key = tuple(row[:6])
        granted.update((key, c) for c in row[6] if c != "necessary")
        denied.update((key, c) for c in row[7] if c != "necessary")
    return {k: (granted[k], denied[k]) for k in granted.keys() | denied.keys()}


def rollup_decision_counts(site_id: int | None = None) -> dict[Key, dict[str, int]]:
    columns = [getattr(ConsentStats, name) for name in DECISION_COUNTS]
    query = select(*_stats_key_columns(ConsentStats), *columns).where(
        or_(*(c != 0 for c in columns))
    )
    if site_id is not None:
        query = query.where(ConsentStats.site_id == site_id)
    return _decision_counts(query)


def rollup_category_counts(site_id: int | None = None) -> dict[tuple[Key, str], tuple[int, int]]:
    query = select(
        *_stats_key_columns(CategoryStats),
        CategoryStats.category,
        CategoryStats.granted,
        CategoryStats.denied,
    ).where(or_(CategoryStats.granted != 0, CategoryStats.denied != 0))
    if site_id is not None:
        query = query.where(CategoryStats.site_id == site_id)
    return {(tuple(row[:6]), row[6]): (row[7], row[8]) for row in db.session.execute(query)}


def _differences(name: str, expected: dict[Any, Any], found: dict[Any, Any]) -> Iterable[str]:
    for key in sorted(expected.keys() | found.keys(), key=repr):
        if expected.get(key) != found.get(key):
            yield f"{name} {key}: records say {expected.get(key)}, rollup says {found.get(key)}"


def rollup_differences(site_id: int | None = None) -> list[str]:
    """Every key where the rollups and a direct count over the records disagree."""
    return [
        *_differences(
            "decisions", direct_decision_counts(site_id), rollup_decision_counts(site_id)
        ),
        *_differences(
            "categories", direct_category_counts(site_id), rollup_category_counts(site_id)
        ),
    ]
