"""The consent log: one row per decision a visitor made, each with its signed receipt."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .policy import PolicyVersion
from .site import Site
from .types import BigIntPK, UTCDateTime

ACTIONS = ("accept_all", "reject_all", "custom", "withdraw", "gpc")


class ConsentRecord(db.Model):  # type: ignore[name-defined]
    """A visitor's decision. Never holds an IP address or a user agent string.

    `receipt` is the signed token handed to the visitor; the columns beside it are the same
    facts, kept for search and statistics, and verification checks that the two agree.
    """

    __tablename__ = "consent_records"
    __table_args__ = (Index("ix_consent_records_site_created", "site_id", "created_at"),)

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    receipt_id: Mapped[str] = mapped_column(String(26), unique=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"))
    policy_version_id: Mapped[int] = mapped_column(ForeignKey("policy_versions.id"))
    # Random, made by the banner; never derived from the IP address or the browser.
    subject_id: Mapped[str] = mapped_column(String(64), index=True)
    action: Mapped[str] = mapped_column(String(16))
    granted: Mapped[list[str]] = mapped_column(JSON)
    denied: Mapped[list[str]] = mapped_column(JSON)
    gpc: Mapped[bool] = mapped_column(default=False)
    language: Mapped[str | None] = mapped_column(String(16))
    country: Mapped[str | None] = mapped_column(String(2))
    device_class: Mapped[str | None] = mapped_column(String(16))
    # Where the decision was made: origin and path only, the query string is dropped.
    origin: Mapped[str] = mapped_column(String(255))
    path: Mapped[str] = mapped_column(String(2048))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    receipt: Mapped[str] = mapped_column(Text)

    site: Mapped[Site] = relationship()
    policy_version: Mapped[PolicyVersion] = relationship()
