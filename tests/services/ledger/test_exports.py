from __future__ import annotations

import csv
import io
import json

import pytest
from flask import Flask

from consent_app.extensions import db
from consent_app.services.ledger import exports
from consent_app.services.ledger.exports import export_csv, export_jsonl
from consent_app.services.ledger.merkle import leaf_hash, verify_inclusion
from consent_app.services.ledger.receipts import canonical_json, receipt_claims, verify_record
from consent_app.services.ledger.search import ReceiptQuery
from consent_app.services.ledger.verify_log import verify_log
from consent_app.services.sites.profiles import forget_site_profiles
from consent_app.services.visitor.self_service import VisitorKey, erase
from consent_app.signing import hmac_key, keyring
from tests.factories import make_record, make_records, make_site, seal_all, subject


@pytest.fixture
def log(app: Flask) -> None:
    make_site()
    make_records(9)
    seal_all(app)
    make_record(subject_id=subject(50))  # waits for the next seal


def jsonl(query: ReceiptQuery) -> list[dict]:
    return [json.loads(line) for line in "".join(export_jsonl(query)).splitlines()]


def test_jsonl_starts_with_the_head_and_proves_every_sealed_receipt(log: None) -> None:
    head, *receipts = jsonl(ReceiptQuery())
    assert head["type"] == "tree_head" and head["tree_size"] == 9
    assert len(receipts) == 10
    sealed = [r for r in receipts if r["leaf_index"] is not None]
    assert [r["leaf_index"] for r in sealed] == list(range(9))
    for item in sealed:
        assert leaf_hash(canonical_json(item["claims"])) == item["leaf_hash"]
        assert verify_inclusion(
            item["leaf_index"], 9, item["leaf_hash"], item["proof"], head["root_hash"]
        )
    waiting = receipts[-1]
    assert waiting["proof"] is None and waiting["claims"]["subject_id"] == subject(50)


def test_export_follows_the_search(log: None) -> None:
    _head, *receipts = jsonl(ReceiptQuery(subject_id=subject(4)))
    assert [r["claims"]["subject_id"] for r in receipts] == [subject(4)]


def test_erased_receipts_are_exported_without_personal_fields(log: None) -> None:
    erase(VisitorKey("shop", subject(2)), signing_key=hmac_key())
    _head, *receipts = jsonl(ReceiptQuery())
    erased = [r for r in receipts if r["erased"]]
    assert len(erased) == 1 and erased[0]["claims"] is None and erased[0]["proof"]
    assert subject(2) not in "".join(export_jsonl(ReceiptQuery()))


def test_csv_has_a_head_row_then_one_row_per_receipt(log: None) -> None:
    rows = list(csv.DictReader(io.StringIO("".join(export_csv(ReceiptQuery())))))
    assert rows[0]["type"] == "tree_head"
    assert json.loads(rows[0]["claims"])["tree_size"] == 9
    first = rows[1]
    assert first["type"] == "receipt" and first["leaf_index"] == "0"
    assert first["subject_id"] == subject(0)
    assert first["granted"] == "functionality necessary" and first["denied"] == "advertising"
    assert json.loads(first["claims"])["receipt_id"] == first["receipt_id"]
    assert len(rows) == 11


def test_export_streams_in_batches_instead_of_building_one_answer(
    log: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(exports, "BATCH", 4)
    chunks = list(export_jsonl(ReceiptQuery()))
    # the head, then rows in chunks of at most BATCH lines
    assert len(chunks) >= 4
    assert all(chunk.count("\n") <= 4 for chunk in chunks)


def test_an_erased_receipt_keeps_its_date_and_decision_in_the_csv(log: None) -> None:
    before = {
        row["receipt_id"]: row
        for row in csv.DictReader(io.StringIO("".join(export_csv(ReceiptQuery()))))
    }
    erase(VisitorKey("shop", subject(2)), signing_key=hmac_key())
    text = "".join(export_csv(ReceiptQuery()))
    assert subject(2) not in text
    erased = next(row for row in csv.DictReader(io.StringIO(text)) if row["erased"] == "true")
    kept = before[erased["receipt_id"]]
    assert erased["subject_id"] == erased["path"] == erased["claims"] == ""
    for column in ("issued_at", "expires_at", "site", "controller", "action", "granted"):
        assert erased[column] == kept[column], column
    assert erased["denied"] == kept["denied"] and erased["gpc"] == kept["gpc"]
    assert erased["language"] == kept["language"] and erased["origin"] == kept["origin"]


@pytest.mark.parametrize("batch", [1, 3, 4])
def test_proofs_stay_right_across_batch_boundaries(log: None, monkeypatch, batch: int) -> None:
    monkeypatch.setattr(exports, "BATCH", batch)
    head, *receipts = jsonl(ReceiptQuery())
    sealed = [r for r in receipts if r["leaf_index"] is not None]
    assert len(sealed) == 9
    for item in sealed:
        assert verify_inclusion(
            item["leaf_index"], 9, item["leaf_hash"], item["proof"], head["root_hash"]
        )


def test_proofs_of_a_scattered_search_verify(log: None) -> None:
    head, *receipts = jsonl(ReceiptQuery(subject_id=subject(5)))
    [item] = [r for r in receipts if r["leaf_index"] is not None]
    assert verify_inclusion(
        item["leaf_index"], 9, item["leaf_hash"], item["proof"], head["root_hash"]
    )


def test_an_erased_receipt_names_the_controller_it_was_signed_for(app: Flask) -> None:
    site = make_site(controller="Shop Holding AS")
    make_record(subject_id=subject(1))
    site.controller = "New Owner ASA"
    db.session.commit()
    forget_site_profiles()
    erase(VisitorKey("shop", subject(1)), signing_key=hmac_key())
    rows = csv.DictReader(io.StringIO("".join(export_csv(ReceiptQuery()))))
    [row] = [r for r in rows if r["type"] == "receipt"]
    assert row["erased"] == "true" and row["controller"] == "Shop Holding AS"


def test_renaming_the_controller_leaves_earlier_receipts_verifying(app: Flask) -> None:
    site = make_site(controller="Shop Holding AS")
    record = make_record()
    site.controller = "New Owner ASA"
    db.session.commit()
    forget_site_profiles()
    newer = make_record(subject_id=subject(2))
    seal_all(app)
    db.session.expire_all()
    assert verify_record(record, hmac_key()).valid
    assert receipt_claims(newer)["controller"] == "New Owner ASA"
    assert verify_log(hmac_key(), keyring()).ok
