"""Published versions of a site's privacy policy and banner text."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .site import Site
from .types import UTCDateTime, utcnow


class PolicyVersion(db.Model):  # type: ignore[name-defined]
    """A version label visitors consent under. A `major` version asks everyone again."""

    __tablename__ = "policy_versions"
    __table_args__ = (UniqueConstraint("site_id", "label"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"), index=True)
    label: Mapped[str] = mapped_column(String(32))
    major: Mapped[bool] = mapped_column(default=True)
    # SHA-256 of the banner text shown under this version, so a receipt names the words.
    text_hash: Mapped[str] = mapped_column(String(64), default="")
    published_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Category -> the purpose stated to visitors (English), as receipts quote it.
    purposes: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)

    site: Mapped[Site] = relationship()
