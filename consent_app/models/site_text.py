"""A site's own wording for its banner, per language, over the gettext catalogs."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .site import Category, Site


class BannerText(db.Model):  # type: ignore[name-defined]
    """One banner text (a key of services/texts.py BANNER_TEXTS, e.g. `title`) in one
    language, replacing the catalog's translation for this site only."""

    __tablename__ = "banner_texts"
    __table_args__ = (UniqueConstraint("site_id", "language", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"))
    language: Mapped[str] = mapped_column(String(16))
    key: Mapped[str] = mapped_column(String(32))
    text: Mapped[str] = mapped_column(Text)

    site: Mapped[Site] = relationship()


class CategoryText(db.Model):  # type: ignore[name-defined]
    """A category's name and description in one language. An empty field keeps the
    catalog's translation (or, for a category the catalogs do not know, its slug)."""

    __tablename__ = "category_texts"
    __table_args__ = (UniqueConstraint("category_id", "language"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("categories.id", ondelete="CASCADE"))
    language: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(100), default="")
    description: Mapped[str] = mapped_column(Text, default="")

    category: Mapped[Category] = relationship()
