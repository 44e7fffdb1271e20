"""Erasure records: proof that personal fields were removed, and why, without keeping them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .site import Site
from .types import UTCDateTime, utcnow

ERASURE_REASONS = ("visitor", "retention")


class Erasure(db.Model):  # type: ignore[name-defined]
    """One erasure: a visitor's request (`visitor`) or a retention purge (`retention`).

    The erased receipts point here; their leaf hashes stay, so the log still verifies.
    `subject_digest` is a keyed hash of the site and subject id (never the id itself), so
    the banner can be told that a subject was erased.
    """

    __tablename__ = "erasures"

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"))
    reason: Mapped[str] = mapped_column(String(16))
    subject_digest: Mapped[str | None] = mapped_column(String(64), index=True)
    receipt_count: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    site: Mapped[Site] = relationship()
