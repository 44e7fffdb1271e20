"""Daily rollups of the consent log: the summary tables the dashboard reads.

One row per site, UTC day, policy version, country, language and device class. An unknown
country, language or device class is the empty string, never NULL, so that the composite
primary key can be the target of an upsert on every engine.

The decision columns are maintained by database triggers on `consent_records`
(migration 0201): every insert, update and delete of a consent record, by whatever code,
adds its signed difference, so the rollups stay equal to a direct count over the raw
records also when erasure blanks a record's country, language or device class.
`impressions` has no raw table behind it: services/impressions.py counts each banner
display here and nowhere else, so no event about an individual visitor is kept.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db

# The dimensions the dashboard breaks figures down by, in primary key order.
DIMENSIONS = ("day", "policy_version_id", "country", "language", "device_class")


class RollupKey:
    """The key both rollups share: a site's UTC day, per policy version, country,
    language and device class."""

    site_id: Mapped[int] = mapped_column(
        ForeignKey("sites.id", ondelete="CASCADE"), primary_key=True
    )
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    policy_version_id: Mapped[int] = mapped_column(
        ForeignKey("policy_versions.id", ondelete="CASCADE"), primary_key=True
    )
    country: Mapped[str] = mapped_column(String(2), primary_key=True)
    language: Mapped[str] = mapped_column(String(16), primary_key=True)
    device_class: Mapped[str] = mapped_column(String(16), primary_key=True)


class ConsentStats(RollupKey, db.Model):  # type: ignore[name-defined]
    """Banner impressions and decisions (by action) for one day and one combination of
    policy version, country, language and device class."""

    __tablename__ = "consent_stats"

    # First-layer banner displays, and those whose browser sent a GPC signal.
    impressions: Mapped[int] = mapped_column(default=0)
    impressions_gpc: Mapped[int] = mapped_column(default=0)
    # Consent records, in total and per action (the columns are named after ACTIONS).
    decisions: Mapped[int] = mapped_column(default=0)
    accept_all: Mapped[int] = mapped_column(default=0)
    reject_all: Mapped[int] = mapped_column(default=0)
    custom: Mapped[int] = mapped_column(default=0)
    withdraw: Mapped[int] = mapped_column(default=0)
    gpc: Mapped[int] = mapped_column(default=0)
    # Consent records made with a GPC signal, whatever their action.
    gpc_signal: Mapped[int] = mapped_column(default=0)


class CategoryStats(RollupKey, db.Model):  # type: ignore[name-defined]
    """How many decisions granted and denied one optional category (never `necessary`,
    which cannot be refused), per day and the same dimensions as ConsentStats."""

    __tablename__ = "category_stats"

    category: Mapped[str] = mapped_column(String(32), primary_key=True)
    granted: Mapped[int] = mapped_column(default=0)
    denied: Mapped[int] = mapped_column(default=0)
