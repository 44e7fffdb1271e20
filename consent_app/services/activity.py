"""Recording and reading the activity log (see models/activity.py)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from ..extensions import db
from ..models import ActivityEntry, User


def record_activity(
    user: User,
    kind: str,
    action: str,
    target: str = "",
    details: dict[str, Any] | None = None,
    *,
    commit: bool = True,
) -> ActivityEntry:
    """Append an entry. Pass commit=False to write it in the caller's transaction, so
    that a change and its record land together or not at all."""
    entry = ActivityEntry(
        kind=kind,
        user_id=user.id,
        user_email=user.email,
        action=action,
        target=target,
        details=details or {},
    )
    db.session.add(entry)
    if commit:
        db.session.commit()
    return entry


def recent_activity(kind: str | None = None, *, page: int = 1, per_page: int = 50) -> Any:
    query = select(ActivityEntry).order_by(ActivityEntry.at.desc(), ActivityEntry.id.desc())
    if kind:
        query = query.where(ActivityEntry.kind == kind)
    return db.paginate(query, page=page, per_page=per_page, error_out=False)
