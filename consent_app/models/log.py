"""The consent ledger: an append-only RFC 6962 Merkle log over receipt leaf hashes.

Receipts get their log position (`ConsentRecord.log_index`) from the sealer, which also
stores every perfect subtree hash the new leaves complete (`LogHash`, level 0 being the
leaves themselves) and signs a tree head. Proofs are read from the stored hashes.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .types import UTCDateTime

_LogPosition = BigInteger().with_variant(Integer(), "sqlite")


class LogHash(db.Model):  # type: ignore[name-defined]
    """One perfect subtree hash, numbered in the order the tree completes them
    (services/merkle.py `stored_index`). The primary key makes a fork impossible: two
    sealers that both try to append at the same position cannot both commit."""

    __tablename__ = "log_hashes"

    id: Mapped[int] = mapped_column(_LogPosition, primary_key=True, autoincrement=False)
    hash: Mapped[str] = mapped_column(String(64))


class TreeHead(db.Model):  # type: ignore[name-defined]
    """A signed statement "the log had `tree_size` leaves with this root at this time"."""

    __tablename__ = "tree_heads"

    id: Mapped[int] = mapped_column(primary_key=True)
    tree_size: Mapped[int] = mapped_column(BigInteger, unique=True)
    root_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # itsdangerous HMAC over the canonical head (always) ...
    hmac_signature: Mapped[str] = mapped_column(Text)
    # ... and Ed25519, when a key is configured, so anyone can check it with the JWKS.
    ed25519_kid: Mapped[str | None] = mapped_column(String(64))
    ed25519_signature: Mapped[str | None] = mapped_column(String(100))
