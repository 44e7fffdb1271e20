"""The consent log: one row per decision a visitor made, each with its signed receipt."""

from __future__ import annotations

from datetime import datetime
from typing import Literal, get_args

from sqlalchemy import JSON, BigInteger, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .erasure import Erasure
from .policy import PolicyVersion
from .site import Site
from .types import BigIntPK, UTCDateTime

# The vocabulary of decisions, defined once: what a receipt's `action` may say. A
# withdrawal refuses every optional category after something was granted; `gpc` records a
# Global Privacy Control signal as a refusal without asking. Words: web/labels.py.
Action = Literal["accept_all", "reject_all", "custom", "withdraw", "gpc"]
ACTIONS: tuple[Action, ...] = get_args(Action)
# What a decision answers: a banner display. A withdrawal comes later, from the settings or
# /my-consent, and answers none (services/stats/figures.py).
ANSWERS: tuple[Action, ...] = tuple(a for a in ACTIONS if a != "withdraw")
# The device classes a user agent is reduced to (services/visitor/devices.py).
DeviceClass = Literal["desktop", "mobile", "tablet", "bot", "unknown"]
DEVICE_CLASSES: tuple[DeviceClass, ...] = get_args(DeviceClass)


# What erasure removes: the subject id, the signed token that states it, and the page
# path (a path can name a person: /users/kari). Language, country code and device class
# stay: without the subject id they describe no one, and the dashboard's rollups keep
# exactly these dimensions, so keeping them keeps every breakdown true after an erasure.
PERSONAL_FIELDS = ("subject_id", "path", "receipt")


class ConsentRecord(db.Model):  # type: ignore[name-defined]
    """A visitor's decision. Never holds an IP address or a user agent string.

    `receipt` is the signed token handed to the visitor; the columns beside it are the same
    facts, kept for search and statistics, and verification checks that the two agree.
    `leaf_hash` is its leaf in the ledger, `log_index` its position once sealed. Erasure
    empties PERSONAL_FIELDS and keeps the leaf hash, so the log still verifies.
    """

    __tablename__ = "consent_records"
    __table_args__ = (
        Index("ix_consent_records_site_created", "site_id", "created_at"),
        # The sealer's queue: only the rows still waiting for a log position.
        Index(
            "ix_consent_records_unsealed",
            "id",
            sqlite_where=text("log_index IS NULL"),
            postgresql_where=text("log_index IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    receipt_id: Mapped[str] = mapped_column(String(26), unique=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"))
    policy_version_id: Mapped[int] = mapped_column(ForeignKey("policy_versions.id"))
    # Random, made by the banner; never derived from the IP address or the browser.
    subject_id: Mapped[str | None] = mapped_column(String(64), index=True)
    action: Mapped[str] = mapped_column(String(16))
    granted: Mapped[list[str]] = mapped_column(JSON)
    denied: Mapped[list[str]] = mapped_column(JSON)
    gpc: Mapped[bool] = mapped_column(default=False)
    language: Mapped[str | None] = mapped_column(String(16))
    country: Mapped[str | None] = mapped_column(String(2))
    device_class: Mapped[str | None] = mapped_column(String(16))
    # Where the decision was made: origin and path only, the query string is dropped.
    origin: Mapped[str] = mapped_column(String(255))
    path: Mapped[str | None] = mapped_column(String(2048))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    receipt: Mapped[str | None] = mapped_column(Text)
    # The data controller the receipt names, as signed: the site's may change later, and
    # an erased receipt (no token left) must still say who it was given to.
    controller: Mapped[str] = mapped_column(String(200))
    # SHA-256(0x00 || canonical JSON of the receipt): what the Merkle log is built over.
    leaf_hash: Mapped[str] = mapped_column(String(64))
    log_index: Mapped[int | None] = mapped_column(BigInteger, unique=True)
    # Ed25519 over the same canonical JSON, when a key is configured (see /.well-known).
    ed25519_kid: Mapped[str | None] = mapped_column(String(64))
    ed25519_signature: Mapped[str | None] = mapped_column(String(100))
    erasure_id: Mapped[int | None] = mapped_column(ForeignKey("erasures.id"))

    site: Mapped[Site] = relationship()
    policy_version: Mapped[PolicyVersion] = relationship()
    erasure: Mapped[Erasure | None] = relationship()

    @property
    def erased(self) -> bool:
        return self.erasure_id is not None
