"""verify-log finds every kind of tampering and names the position that fails."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import delete, select, update

from consent_app.extensions import db
from consent_app.models import ConsentRecord, LogHash, TreeHead
from consent_app.services.ledger.merkle import stored_index
from consent_app.services.ledger.verify_log import verify_log
from consent_app.services.visitor.self_service import VisitorKey, erase
from consent_app.signing import hmac_key, keyring
from tests.factories import make_record, make_records, make_site, seal_all, subject


@pytest.fixture
def sealed_log(app: Flask) -> list[str]:
    """Eleven receipts in two signed heads (sizes 6 and 11); returns ids by position."""
    make_site()
    made = make_records(6)
    seal_all(app)
    made += [make_record(subject_id=subject(i)) for i in range(6, 11)]
    seal_all(app)
    return [r.receipt_id for r in made]


def problems() -> list[str]:
    db.session.expire_all()
    return [str(p) for p in verify_log(hmac_key(), keyring()).problems]


def test_an_untouched_log_verifies(sealed_log: list[str]) -> None:
    report = verify_log(hmac_key(), keyring())
    assert report.ok, report.problems
    assert (report.leaves, report.heads, report.checked_receipts) == (11, 2, 11)


def test_a_tampered_stored_field_is_reported_at_its_position(sealed_log: list[str]) -> None:
    db.session.execute(
        update(ConsentRecord)
        .where(ConsentRecord.receipt_id == sealed_log[7])
        .values(action="accept_all", granted=["necessary", "functionality", "advertising"])
    )
    db.session.commit()
    found = problems()
    assert found == [
        f"position 7: receipt {sealed_log[7]}: its stored fields differ from its signed receipt"
    ]


def test_a_deleted_row_is_reported_at_its_position(sealed_log: list[str]) -> None:
    db.session.execute(delete(ConsentRecord).where(ConsentRecord.receipt_id == sealed_log[3]))
    db.session.commit()
    found = problems()
    assert found == ["position 3: no receipt holds this position (a row was deleted or moved)"]


def test_two_reordered_rows_are_reported_at_both_positions(sealed_log: list[str]) -> None:
    def move(receipt_id: str, position: int) -> None:
        db.session.execute(
            update(ConsentRecord)
            .where(ConsentRecord.receipt_id == receipt_id)
            .values(log_index=position)
        )

    move(sealed_log[2], -1)  # log_index is unique: swap through a free value
    move(sealed_log[9], 2)
    move(sealed_log[2], 9)
    db.session.commit()
    found = problems()
    assert len(found) == 2
    assert found[0].startswith(f"position 2: receipt {sealed_log[9]} is not the receipt")
    assert found[1].startswith(f"position 9: receipt {sealed_log[2]} is not the receipt")


def test_an_altered_tree_head_is_reported_with_its_size(sealed_log: list[str]) -> None:
    db.session.execute(update(TreeHead).where(TreeHead.tree_size == 6).values(root_hash="ab" * 32))
    db.session.commit()
    found = problems()
    assert found[0].startswith("tree head of size 6: its root abababababababab… is not the root")
    assert "tree head of size 6: its HMAC signature does not verify" in found
    assert all("size 11" not in problem for problem in found)


def test_a_rewritten_leaf_in_the_log_is_reported(sealed_log: list[str]) -> None:
    """Someone rewrote a receipt, its leaf hash and the log's copy of the leaf together:
    the stored subtree above it and the signed roots no longer agree."""
    db.session.execute(
        update(LogHash).where(LogHash.id == stored_index(0, 4)).values(hash="cd" * 32)
    )
    db.session.execute(
        update(ConsentRecord)
        .where(ConsentRecord.receipt_id == sealed_log[4])
        .values(leaf_hash="cd" * 32)
    )
    db.session.commit()
    found = problems()
    assert any(p.startswith("position 4: receipt") for p in found)
    assert any(
        p.startswith("position 4: the stored subtree hash over positions 4-5") for p in found
    )
    assert any(p.startswith("tree head of size 6: its root") for p in found)


def test_erased_receipts_keep_the_log_verifiable(sealed_log: list[str]) -> None:
    erase(VisitorKey("shop", subject(5)), signing_key=hmac_key())
    erased = db.session.scalar(
        select(ConsentRecord).where(ConsentRecord.receipt_id == sealed_log[5])
    )
    assert erased.subject_id is None and erased.receipt is None
    report = verify_log(hmac_key(), keyring())
    assert report.ok, report.problems
    assert (report.checked_receipts, report.erased_receipts) == (10, 1)


def test_worker_processes_find_the_same_problems(sealed_log: list[str]) -> None:
    """Big logs check receipts in worker processes; they must report exactly as inline."""
    db.session.execute(
        update(ConsentRecord).where(ConsentRecord.receipt_id == sealed_log[1]).values(gpc=True)
    )
    db.session.execute(delete(ConsentRecord).where(ConsentRecord.receipt_id == sealed_log[8]))
    db.session.commit()
    erase(VisitorKey("shop", subject(4)), signing_key=hmac_key())
    inline = verify_log(hmac_key(), keyring(), workers=0)
    parallel = verify_log(hmac_key(), keyring(), workers=2)
    assert [str(p) for p in parallel.problems] == [str(p) for p in inline.problems]
    assert [p.position for p in inline.problems] == [1, 8]
    assert (parallel.checked_receipts, parallel.erased_receipts) == (9, 1)
    assert (inline.checked_receipts, inline.erased_receipts) == (9, 1)
