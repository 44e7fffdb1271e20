"""The consent ledger: sealing receipts into an RFC 6962 Merkle log, signed tree heads,
and inclusion and consistency proofs read from the stored subtree hashes.

Sealing is the only writer. Ingest stores a receipt with its leaf hash and no position;
the sealer later gives waiting receipts positions in id order, stores the subtree hashes
they complete and signs a new tree head, all in one transaction. Two sealers cannot fork
or reorder the log: on PostgreSQL they queue on an advisory lock, and on every engine the
stored hash numbered for the first new position is a primary key, so of two sealers that
read the same tree size only one can commit; the other retries on the new tree.
"""

from __future__ import annotations

import json
import random
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from itsdangerous import BadSignature, Signer
from sqlalchemy import (
    ARRAY,
    BigInteger,
    any_,
    bindparam,
    column,
    func,
    insert,
    literal,
    select,
    text,
)
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError, OperationalError

from ...extensions import db
from ...models import ConsentRecord, LogHash, TreeHead
from .keys import KeyRing
from .merkle import Frontier, Node, frontier_nodes, stored_index
from .receipts import canonical_json, isoformat_z

LOG_ID = "samtykke-consent-log/1"
TREE_HEAD_SALT = "consent.tree-head.v1"
# Any constant works; it names "the ledger" among PostgreSQL advisory locks.
LEDGER_LOCK = 0x53414D54
SEAL_ATTEMPTS = 8

_records = ConsentRecord.__table__
_ASSIGN_POSITION = (
    _records.update()
    .where(_records.c.id == bindparam("record_id"), _records.c.log_index.is_(None))
    .values(log_index=bindparam("position"))
)


# -- tree heads ----------------------------------------------------------------------


def tree_head_body(tree_size: int, root_hash: str, timestamp: datetime) -> bytes:
    """The canonical bytes a tree head signature covers."""
    return canonical_json(
        {
            "log": LOG_ID,
            "tree_size": tree_size,
            "root_hash": root_hash,
            "timestamp": isoformat_z(timestamp),
        }
    )


def _head_signer(key: str | bytes) -> Signer:
    return Signer(key, salt=TREE_HEAD_SALT, key_derivation="hmac", digest_method="sha256")


def head_document(head: TreeHead) -> dict[str, Any]:
    """A signed tree head as published: what was signed, and the signatures."""
    ed25519 = None
    if head.ed25519_signature:
        ed25519 = {"kid": head.ed25519_kid, "signature": head.ed25519_signature}
    return {
        "log": LOG_ID,
        "tree_size": head.tree_size,
        "root_hash": head.root_hash,
        "timestamp": isoformat_z(head.created_at),
        "ed25519": ed25519,
        "hmac": head.hmac_signature,
    }


@dataclass(frozen=True)
class HeadCheck:
    hmac_valid: bool
    ed25519_valid: bool | None  # None: signed without an Ed25519 key


def check_head(head: TreeHead, key: str | bytes, keyring: KeyRing) -> HeadCheck:
    body = tree_head_body(head.tree_size, head.root_hash, head.created_at)
    try:
        hmac_valid = _head_signer(key).verify_signature(body, head.hmac_signature.encode())
    except (BadSignature, UnicodeError):
        hmac_valid = False
    ed25519 = None
    if head.ed25519_signature:
        ed25519 = keyring.verify(head.ed25519_kid, head.ed25519_signature, body)
    return HeadCheck(bool(hmac_valid), ed25519)


def signed_head(
    tree_size: int, root_hash: str, now: datetime, key: str | bytes, keyring: KeyRing
) -> TreeHead:
    """A new tree head, signed with HMAC and, when a key is configured, Ed25519."""
    body = tree_head_body(tree_size, root_hash, now)
    ed25519 = keyring.sign(body)
    return TreeHead(
        tree_size=tree_size,
        root_hash=root_hash,
        created_at=now,
        hmac_signature=_head_signer(key).get_signature(body).decode("ascii"),
        ed25519_kid=ed25519.kid if ed25519 else None,
        ed25519_signature=ed25519.signature if ed25519 else None,
    )


def latest_head() -> TreeHead | None:
    return db.session.scalar(select(TreeHead).order_by(TreeHead.tree_size.desc()).limit(1))


# -- sealing -------------------------------------------------------------------------


@dataclass(frozen=True)
class SealResult:
    sealed: int
    tree_size: int
    root_hash: str | None


def stored_hashes(connection: Connection, numbers: Iterable[int]) -> dict[int, str]:
    """Stored hashes by number (and maybe a few more), in one statement with one parameter
    whatever the count (an array on PostgreSQL, a JSON list on SQLite, a range scan for
    dense numbers): a proof batch needs thousands."""
    wanted = set(numbers)
    if not wanted:
        return {}
    low, high = min(wanted), max(wanted)
    if high - low < 4 * len(wanted):  # dense, as for a run of neighbouring leaves: scan
        # (the few extra hashes in the range cost less than filtering them out row by row)
        rows = connection.execute(
            select(LogHash.id, LogHash.hash).where(LogHash.id.between(low, high))
        )
        return dict(iter(rows))
    if connection.dialect.name == "postgresql":
        condition = LogHash.id == any_(literal(sorted(wanted), ARRAY(BigInteger)))
    else:
        listed: Any = select(column("value")).select_from(
            func.json_each(json.dumps(sorted(wanted)))
        )
        condition = LogHash.id.in_(listed)
    rows = connection.execute(select(LogHash.id, LogHash.hash).where(condition))
    return {number: digest for number, digest in rows}


def hashes_by_node(connection: Connection, nodes: Iterable[Node]) -> dict[Node, str]:
    wanted = {stored_index(level, index): (level, index) for level, index in nodes}
    stored = stored_hashes(connection, wanted)
    found = {node: stored[number] for number, node in wanted.items() if number in stored}
    missing = set(wanted.values()) - set(found)
    if missing:
        raise LookupError(f"the log has no stored hash for subtrees {sorted(missing)}")
    return found


def _seal_once(key: str | bytes, keyring: KeyRing, limit: int, now: datetime) -> SealResult:
    connection = db.session.connection()
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:lock)"), {"lock": LEDGER_LOCK})
    size = connection.scalar(select(func.coalesce(func.max(TreeHead.tree_size), 0))) or 0
    pieces = hashes_by_node(connection, frontier_nodes(size))
    frontier = Frontier(size, [pieces[node] for node in frontier_nodes(size)])
    waiting = connection.execute(
        select(ConsentRecord.id, ConsentRecord.leaf_hash)
        .where(ConsentRecord.log_index.is_(None))
        .order_by(ConsentRecord.id)
        .limit(limit)
    ).all()
    if not waiting:
        db.session.rollback()
        head = latest_head()
        return SealResult(0, size, head.root_hash if head else None)
    new_hashes: list[dict[str, Any]] = []
    positions: list[dict[str, int]] = []
    for record_id, leaf in waiting:
        positions.append({"record_id": record_id, "position": frontier.size})
        new_hashes.extend(
            {"id": stored_index(level, index), "hash": digest}
            for level, index, digest in frontier.append(leaf)
        )
    connection.execute(insert(LogHash), new_hashes)
    connection.execute(_ASSIGN_POSITION, positions)
    root = frontier.root()
    db.session.add(signed_head(frontier.size, root, now, key, keyring))
    db.session.commit()
    return SealResult(len(waiting), frontier.size, root)


def _lost_a_race(exc: Exception) -> bool:
    if isinstance(exc, IntegrityError):
        return True  # another sealer committed the same position first
    return "locked" in str(exc).lower()  # SQLite: another writer holds the database


def seal(
    key: str | bytes, keyring: KeyRing, *, limit: int = 10_000, now: datetime | None = None
) -> SealResult:
    """Give up to `limit` waiting receipts log positions and sign the new tree head."""
    for attempt in range(SEAL_ATTEMPTS):
        moment = now or datetime.now(UTC)
        moment = moment.replace(microsecond=moment.microsecond // 1000 * 1000)
        try:
            return _seal_once(key, keyring, limit, moment)
        except (IntegrityError, OperationalError) as exc:
            db.session.rollback()
            if attempt == SEAL_ATTEMPTS - 1 or not _lost_a_race(exc):
                raise
            time.sleep(random.uniform(0.005, 0.05) * (attempt + 1))
    raise AssertionError("unreachable")


def waiting_count(up_to: int) -> int:
    """How many receipts wait for a position, counting no further than `up_to`."""
    waiting = (
        select(ConsentRecord.id).where(ConsentRecord.log_index.is_(None)).limit(up_to).subquery()
    )
    count = db.session.scalar(select(func.count()).select_from(waiting)) or 0
    db.session.rollback()  # end the read, so a long-running sealer holds no snapshot
    return count


def run_sealer(
    key: str | bytes,
    keyring: KeyRing,
    *,
    batch_size: int,
    interval: float,
    stop: threading.Event,
    poll: float = 0.25,
) -> int:
    """Seal whenever `batch_size` receipts wait, or any have waited `interval` seconds,
    until `stop` is set. Returns how many receipts it sealed."""
    sealed = 0
    last_seal = time.monotonic()
    while not stop.is_set():
        waiting = waiting_count(batch_size)
        due = waiting >= batch_size or (waiting and time.monotonic() - last_seal >= interval)
        if due:
            sealed += seal(key, keyring, limit=max(batch_size, 1) * 10).sealed
            last_seal = time.monotonic()
        else:
            if not waiting:
                last_seal = time.monotonic()
            stop.wait(min(poll, interval))
    return sealed
