"""The imported cookie catalog: Open Cookie Database files an operator loaded with
`flask consent import-cookies FILE` (without --site). Shared by every site."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .site import CookieDefinitionColumns
from .types import UTCDateTime, utcnow


class CatalogCookie(CookieDefinitionColumns, db.Model):  # type: ignore[name-defined]
    """A cookie definition from an imported file. Classification consults these after a
    site's own rules and our curated catalog, and before the bundled snapshot of the
    Open Cookie Database (see services/classify.py): an import is a newer edition of it."""

    __tablename__ = "catalog_cookies"
    __table_args__ = (UniqueConstraint("pattern", "match"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
