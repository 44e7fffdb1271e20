"""Recording and reading the activity log (see models/activity.py)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from ...extensions import db
from ...models import ActivityEntry, User


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


def commit_change(
    user: User, action: str, target: str = "", details: dict[str, Any] | None = None
) -> None:
    """Record an admin's change and commit it together with the change itself."""
    record_activity(user, "change", action, target, details, commit=False)
    db.session.commit()


def record_operator_change(
    who: str, action: str, target: str = "", details: dict[str, Any] | None = None
) -> None:
    """Add a change made from the command line (no signed-in user) to the session; `who`
    says who ran it. The caller commits it with the change."""
    db.session.add(
        ActivityEntry(
            kind="change",
            user_id=None,
            user_email=who,
            action=action,
            target=target,
            details=details or {},
        )
    )


def recent_activity(kind: str | None = None, *, page: int = 1, per_page: int = 50) -> Any:
    query = select(ActivityEntry).order_by(ActivityEntry.at.desc(), ActivityEntry.id.desc())
    if kind:
        query = query.where(ActivityEntry.kind == kind)
    return db.paginate(query, page=page, per_page=per_page, error_out=False)
