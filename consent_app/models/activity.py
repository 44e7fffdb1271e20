"""Who did what, when: auditors' views and exports, admins' changes. Append-only."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .types import BigIntPK, UTCDateTime, utcnow

ACTIVITY_KINDS = ("access", "change")


class ActivityEntry(db.Model):  # type: ignore[name-defined]
    """One thing a signed-in user did. `kind` is `access` (an auditor looked at or
    exported receipts) or `change` (an admin changed configuration)."""

    __tablename__ = "activity_log"
    __table_args__ = (Index("ix_activity_log_kind_at", "kind", "at"),)

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    kind: Mapped[str] = mapped_column(String(16))
    # Kept as text too, so the entry still says who it was after the user is deleted.
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    user_email: Mapped[str] = mapped_column(String(254))
    action: Mapped[str] = mapped_column(String(64))
    target: Mapped[str] = mapped_column(String(255), default="")
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
