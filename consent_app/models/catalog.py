"""The imported cookie catalog: Open Cookie Database files an operator loaded with
`flask consent import-cookies FILE` (without --site). Shared by every site."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .types import UTCDateTime, utcnow


class CatalogCookie(db.Model):  # type: ignore[name-defined]
    """A cookie definition from an imported file. Classification consults these after a
    site's own rules and our curated catalog, and before the bundled snapshot of the
    Open Cookie Database (see services/classify.py): an import is a newer edition of it."""

    __tablename__ = "catalog_cookies"
    __table_args__ = (UniqueConstraint("pattern", "match"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    pattern: Mapped[str] = mapped_column(String(255))
    match: Mapped[str] = mapped_column(String(8), default="exact")
    category: Mapped[str] = mapped_column(String(32))
    domain: Mapped[str] = mapped_column(String(255), default="")
    provider: Mapped[str] = mapped_column(String(200), default="")
    purpose: Mapped[str] = mapped_column(Text, default="")
    duration: Mapped[str] = mapped_column(String(100), default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
