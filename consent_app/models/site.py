"""A customer website, its consent categories and its cookie rules."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .types import UTCDateTime, utcnow

NECESSARY = "necessary"
MATCH_KINDS = ("exact", "prefix", "regex")
DEFAULT_RETENTION_DAYS = 5 * 365 + 1  # five years, leap day included
REGION_RULES = ("opt_in", "opt_in_eea")


class Site(db.Model):  # type: ignore[name-defined]
    """A website that embeds the banner with `<script src="/c/<key>.js">`."""

    __tablename__ = "sites"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Public: it appears in the script URL and in every consent request.
    key: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    # The data controller named on receipts (the customer's legal entity).
    controller: Mapped[str] = mapped_column(String(200), default="")
    default_language: Mapped[str] = mapped_column(String(16), default="en")
    # Days a stored choice (acceptance and refusal alike) stays valid before asking again.
    consent_lifetime_days: Mapped[int] = mapped_column(default=182)
    # Days receipts are kept after they expire; `flask consent purge` erases the rest.
    retention_days: Mapped[int] = mapped_column(default=DEFAULT_RETENTION_DAYS)
    # What the banner does with a cookie no rule knows: treat it as this category.
    unknown_cookie_policy: Mapped[str] = mapped_column(String(32), default="advertising")
    # `opt_in` asks everyone first; `opt_in_eea` asks in the EEA, UK and Switzerland and
    # wherever the country is unknown, and elsewhere starts with categories granted.
    region_rule: Mapped[str] = mapped_column(String(16), default="opt_in")
    # Show the small floating button that reopens the settings after a choice.
    reopen_button: Mapped[bool] = mapped_column(default=True)
    # Push Google Consent Mode v2 defaults and updates to window.dataLayer.
    google_consent_mode: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Bumped on every change to the site or its origins, categories, rules and policy
    # versions (see models/__init__.py), so processes can cache a site by revision.
    revision: Mapped[int] = mapped_column(default=1)

    origins: Mapped[list[AllowedOrigin]] = relationship(
        back_populates="site", cascade="all, delete-orphan", order_by="AllowedOrigin.origin"
    )
    categories: Mapped[list[Category]] = relationship(
        back_populates="site", cascade="all, delete-orphan", order_by="Category.position"
    )
    cookie_rules: Mapped[list[CookieRule]] = relationship(
        back_populates="site", cascade="all, delete-orphan", order_by="CookieRule.id"
    )

    @classmethod
    def defaults(cls) -> dict[str, object]:
        """The values a new site starts with, from the column defaults above (the admin's
        new-site form shows them, so they are stated once)."""
        return {
            column.key: column.default.arg
            for column in cls.__table__.columns
            if column.default is not None and not column.default.is_callable
        }

    def __repr__(self) -> str:
        return f"<Site {self.key}>"


class AllowedOrigin(db.Model):  # type: ignore[name-defined]
    """An exact origin (scheme://host[:port]) allowed to post consents for a site."""

    __tablename__ = "allowed_origins"
    __table_args__ = (UniqueConstraint("site_id", "origin"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"))
    origin: Mapped[str] = mapped_column(String(255), index=True)

    site: Mapped[Site] = relationship(back_populates="origins")


class Category(db.Model):  # type: ignore[name-defined]
    """A consent category of a site. `necessary` is always on and cannot be refused."""

    __tablename__ = "categories"
    __table_args__ = (UniqueConstraint("site_id", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"))
    slug: Mapped[str] = mapped_column(String(32))
    position: Mapped[int] = mapped_column(default=0)

    site: Mapped[Site] = relationship(back_populates="categories")

    @property
    def required(self) -> bool:
        return self.slug == NECESSARY


class CookieDefinitionColumns:
    """Which cookie names a row covers (a pattern matched exactly, as a prefix or as a
    regular expression) and what they are: shared by site rules and the imported catalog."""

    pattern: Mapped[str] = mapped_column(String(255))
    match: Mapped[str] = mapped_column(String(8), default="exact")
    category: Mapped[str] = mapped_column(String(32))
    domain: Mapped[str] = mapped_column(String(255), default="")
    provider: Mapped[str] = mapped_column(String(200), default="")
    purpose: Mapped[str] = mapped_column(Text, default="")
    duration: Mapped[str] = mapped_column(String(100), default="")


class CookieRule(CookieDefinitionColumns, db.Model):  # type: ignore[name-defined]
    """Classifies cookies by name (exact, prefix or regex) into one of the site's categories."""

    __tablename__ = "cookie_rules"

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"), index=True)

    site: Mapped[Site] = relationship(back_populates="cookie_rules")
