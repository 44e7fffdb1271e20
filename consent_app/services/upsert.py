"""INSERT ... ON CONFLICT DO UPDATE on both engines we support.

Banners call in parallel (a visitor's two preference writes, many visitors reporting the
same cookie); a read-then-write would race into a unique-constraint error.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Table
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
    dialect = postgresql if db.engine.dialect.name == "postgresql" else sqlite
    statement = dialect.insert(table).values(**values)
    statement = statement.on_conflict_do_update(index_elements=list(conflict), set_=dict(update))
    db.session.execute(statement)
