from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from flask import Flask
from sqlalchemy import func, select

from consent_app.extensions import db
from consent_app.models import LogHash, Site, TreeHead
from consent_app.services.ledger.keys import generate_key, load_keyring
from consent_app.services.ledger.log import check_head, latest_head, run_sealer, seal
from consent_app.services.ledger.merkle import stored_count
from consent_app.services.ledger.verify_log import verify_log
from consent_app.signing import hmac_key, keyring
from tests.conftest import running_app
from tests.factories import (
    make_record,
    make_records,
    make_site,
    records_by_position,
    seal_all,
    subject,
)
from tests.services.ledger.test_merkle import reference_root


def test_ingest_leaves_receipts_waiting_without_a_position(app: Flask, shop: Site) -> None:
    record = make_record()
    assert record.log_index is None
    assert len(record.leaf_hash) == 64
    assert latest_head() is None


def test_seal_gives_positions_in_ingest_order_and_signs_the_root(app: Flask, shop) -> None:
    made = make_records(5)
    result = seal_all(app)
    assert (result.sealed, result.tree_size) == (5, 5)
    ordered = records_by_position()
    assert [r.receipt_id for r in ordered] == [r.receipt_id for r in made]
    assert [r.log_index for r in ordered] == [0, 1, 2, 3, 4]
    head = latest_head()
    assert head.root_hash == reference_root([r.leaf_hash for r in ordered])
    assert check_head(head, hmac_key(), keyring()).hmac_valid
    assert db.session.scalar(select(func.count()).select_from(LogHash)) == stored_count(5)


def test_sealing_nothing_new_signs_no_new_head(app: Flask, shop: Site) -> None:
    make_records(2)
    seal_all(app)
    again = seal_all(app)
    assert (again.sealed, again.tree_size) == (0, 2)
    assert db.session.scalar(select(func.count()).select_from(TreeHead)) == 1


def test_a_limited_seal_leaves_the_rest_for_the_next(app: Flask, shop: Site) -> None:
    make_records(5)
    assert seal(hmac_key(), keyring(), limit=3).tree_size == 3
    assert seal(hmac_key(), keyring(), limit=3).tree_size == 5
    heads = db.session.scalars(select(TreeHead.tree_size).order_by(TreeHead.tree_size)).all()
    assert heads == [3, 5]


def test_tree_heads_are_signed_with_ed25519_when_a_key_is_configured(database_url: str) -> None:
    _kid, entry = generate_key()
    with running_app(database_url, RECEIPT_ED25519_KEYS=entry) as app:
        make_site()
        make_records(3)
        seal_all(app)
        head = latest_head()
        assert head.ed25519_signature
        assert check_head(head, hmac_key(), keyring()).ed25519_valid is True
        other = load_keyring(generate_key()[1])
        head.ed25519_kid = other.active.kid
        assert check_head(head, hmac_key(), other).ed25519_valid is False
        db.session.rollback()


def _sealer_thread(app: Flask, stop: threading.Event, **options: float) -> threading.Thread:
    def work() -> None:
        with app.app_context():
            run_sealer(hmac_key(), keyring(), stop=stop, poll=0.02, **options)  # type: ignore[arg-type]
            db.session.remove()

    thread = threading.Thread(target=work, daemon=True)
    thread.start()
    return thread


def _wait_for_size(size: int, seconds: float = 10) -> bool:
    stop_at = threading.Event()
    for _ in range(int(seconds / 0.05)):
        db.session.rollback()
        head = latest_head()
        if head is not None and head.tree_size >= size:
            return True
        stop_at.wait(0.05)
    return False


class WatchedStop(threading.Event):
    """The sealer's stop signal, which also counts the sealer's idle waits: each one means
    it looked at what waits and found nothing due."""

    def __init__(self) -> None:
        super().__init__()
        self.idle_waits = 0

    def wait(self, timeout: float | None = None) -> bool:
        self.idle_waits += 1
        return super().wait(timeout)

    def until_idle_twice(self, seconds: float = 10) -> bool:
        """Until the sealer has gone idle twice more: the second time after a look that
        began after this call."""
        target = self.idle_waits + 2
        pause = threading.Event()
        for _ in range(int(seconds / 0.01)):
            if self.idle_waits >= target:
                return True
            pause.wait(0.01)
        return False


def test_the_sealer_seals_once_a_batch_is_waiting(app: Flask, shop: Site) -> None:
    stop = WatchedStop()
    thread = _sealer_thread(app, stop, batch_size=4, interval=3600)
    try:
        make_records(3)
        assert stop.until_idle_twice()
        db.session.rollback()
        assert latest_head() is None  # three wait: fewer than a batch, not yet due
        make_record(subject_id=subject(3))
        assert _wait_for_size(4)
    finally:
        stop.set()
        thread.join(10)


def test_the_sealer_seals_a_small_batch_after_the_interval(app: Flask, shop: Site) -> None:
    stop = threading.Event()
    thread = _sealer_thread(app, stop, batch_size=1000, interval=0.3)
    try:
        make_records(2)
        assert _wait_for_size(2)
    finally:
        stop.set()
        thread.join(10)


@pytest.fixture
def many_waiting(app: Flask) -> Iterator[None]:
    make_site()
    make_records(60)
    yield


def test_concurrent_sealers_neither_fork_nor_reorder_the_log(app: Flask, many_waiting) -> None:
    """Four workers, each with its own connection, seal small batches at the same time
    while receipts keep arriving. The log must come out as one history."""
    start = threading.Barrier(5)
    errors: list[BaseException] = []

    def sealer() -> None:
        with app.app_context():
            try:
                start.wait()
                for _ in range(15):
                    seal(hmac_key(), keyring(), limit=5)
            except BaseException as exc:  # reported below, in the test's thread
                errors.append(exc)
            finally:
                db.session.remove()

    workers = [threading.Thread(target=sealer) for _ in range(4)]
    for worker in workers:
        worker.start()
    start.wait()
    for i in range(60, 80):  # ingest keeps going meanwhile
        make_record(subject_id=subject(i))
    for worker in workers:
        worker.join(60)
    assert not errors, errors
    seal_all(app)
    ordered = records_by_position()
    assert [r.log_index for r in ordered] == list(range(80))
    leaves = [r.leaf_hash for r in ordered]
    heads = db.session.scalars(select(TreeHead).order_by(TreeHead.tree_size)).all()
    assert len({h.tree_size for h in heads}) == len(heads)
    for head in heads:  # every head signed a prefix of the one final history
        assert head.root_hash == reference_root(leaves[: head.tree_size])
    assert verify_log(hmac_key(), keyring()).ok
