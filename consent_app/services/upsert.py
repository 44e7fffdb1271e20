"""INSERT ... ON CONFLICT DO UPDATE / DO NOTHING on both engines we support.

Banners call in parallel (a visitor's two preference writes, many visitors reporting the
same cookie); a read-then-write would race into a unique-constraint error.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, Table
from sqlalchemy.dialects import postgresql, sqlite

from ..extensions import db


def upsert(
    table: Table,
    values: Mapping[str, Any],
    *,
    conflict: Sequence[str],
    update: Mapping[str, Any],
) -> None:
    """Insert `values`, or on a conflict over the `conflict` columns apply `update`
    (column -> value or SQL expression; `table.excluded` is not needed by callers)."""
    statement = _insert(table).values(**values)
    statement = statement.on_conflict_do_update(index_elements=list(conflict), set_=dict(update))
    db.session.execute(statement)


def insert_new(connection: Connection, table: Table, values: Mapping[str, Any]) -> bool:
    """Insert `values` unless a row with the same unique key exists; True if inserted."""
    # RETURNING, not rowcount: with RETURNING (which SQLAlchemy may add for the primary
    # key) psycopg reports rowcount -1 whether a row was inserted or not.
    key = list(table.primary_key.columns)
    statement = _insert(table).values(**values).on_conflict_do_nothing().returning(*key)
    return connection.execute(statement).first() is not None


def add_counts(table: Table, rows: Sequence[Mapping[str, Any]]) -> None:
    """Insert each row, or add its counts to the existing row with the same primary key
    (counters such as the dashboard's rollups). Every row names the same columns; the
    table's other columns start at zero."""
    if not rows:
        return
    keys = [c.name for c in table.primary_key.columns]
    counts = [name for name in rows[0] if name not in keys]
    statement = _insert(table)
    statement = statement.on_conflict_do_update(
        index_elements=keys,
        set_={name: table.c[name] + statement.excluded[name] for name in counts},
    )
    zeros = {c.name: 0 for c in table.columns if c.name not in keys}
    db.session.connection().execute(statement, [{**zeros, **row} for row in rows])


def _insert(table: Table) -> Any:
    dialect = postgresql if db.engine.dialect.name == "postgresql" else sqlite
    return dialect.insert(table)
