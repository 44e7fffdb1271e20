"""What lets a visitor, and only the visitor, act on their own receipts."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .types import UTCDateTime, utcnow


class VisitorCredential(db.Model):  # type: ignore[name-defined]
    """The hash of the secret a subject's banner was given with its first receipt.

    A subject id is not a secret: it is stated in every receipt and export. Opening
    /my-consent, reading the latest decision, storing preferences or recording another
    decision for a subject takes the secret whose SHA-256 is `secret_hash`
    (services/visitor_secrets.py). `secret_hash` is NULL for subjects whose receipts were
    made before secrets existed (migration 0320): nobody can claim those, so their
    receipts are reached through the controller's auditors. Erasure deletes the row.
    """

    __tablename__ = "visitor_credentials"
    __table_args__ = (UniqueConstraint("site_id", "subject_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"))
    subject_id: Mapped[str] = mapped_column(String(64))
    secret_hash: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
