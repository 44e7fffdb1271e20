"""What lets a visitor, and only the visitor, act on their own receipts."""

from __future__ import annotations

import hashlib
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .types import UTCDateTime, utcnow


def subject_key(subject_id: str) -> str:
    """SHA-256 of a subject id: what claims and lookups go by, and all that stays of an
    erased subject. (A plain hash is enough: the banner's ids are 128 random bits.)"""
    return hashlib.sha256(subject_id.encode("utf-8")).hexdigest()


class VisitorCredential(db.Model):  # type: ignore[name-defined]
    """The hash of the secret a subject's banner was given with its first receipt.

    A subject id is not a secret: it is stated in every receipt and export. Opening
    /my-consent, reading the latest decision, storing preferences or recording another
    decision for a subject takes the secret whose SHA-256 is `secret_hash`
    (services/visitor/secrets.py).

    `secret_hash` is NULL where no one can show a secret: for subjects whose receipts were
    made before secrets existed (migration 0320), and for erased subjects, whose row stays
    as a tombstone with only `subject_key` left, so that the erased id can never be
    claimed again (and nobody learns that it was erased by trying).
    """

    __tablename__ = "visitor_credentials"
    __table_args__ = (
        UniqueConstraint("site_id", "subject_key"),
        Index("ix_visitor_credentials_site_subject", "site_id", "subject_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"))
    subject_key: Mapped[str] = mapped_column(String(64))
    # The id itself while the subject has receipts (retention finds subjects by it).
    subject_id: Mapped[str | None] = mapped_column(String(64))
    secret_hash: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @classmethod
    def of(cls, site_id: int, subject_id: str, secret_hash: str | None = None) -> VisitorCredential:
        return cls(
            site_id=site_id,
            subject_key=subject_key(subject_id),
            subject_id=subject_id,
            secret_hash=secret_hash,
        )
