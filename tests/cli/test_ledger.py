from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from flask.testing import FlaskCliRunner
from sqlalchemy import update

from consent_app.extensions import db
from consent_app.models import ConsentRecord
from consent_app.services.ledger.keys import load_keyring
from tests.factories import make_record, make_records, make_site, subject


def run(runner: FlaskCliRunner, *args: str):
    return runner.invoke(args=["consent", *args])


def test_keygen_prints_an_entry_the_keyring_accepts(runner: FlaskCliRunner) -> None:
    result = run(runner, "keygen")
    assert result.exit_code == 0
    entry = result.stdout.strip()
    ring = load_keyring(entry)
    assert ring.active is not None and entry.startswith(ring.active.kid + ":")
    assert "RECEIPT_ED25519_KEYS" in result.stderr


def test_seal_then_verify_log(runner: FlaskCliRunner) -> None:
    make_site()
    make_records(4)
    sealed = run(runner, "seal")
    assert sealed.exit_code == 0 and "sealed 4 receipts; tree size 4" in sealed.stdout
    assert "nothing to seal; tree size 4" in run(runner, "seal").stdout
    verified = run(runner, "verify-log")
    assert verified.exit_code == 0
    assert "4 leaves, 1 signed tree heads, 4 receipts checked, 0 erased: log verifies" in (
        verified.stdout
    )


def test_verify_log_fails_and_names_the_position(runner: FlaskCliRunner) -> None:
    make_site()
    records = make_records(4)
    run(runner, "seal")
    db.session.execute(
        update(ConsentRecord).where(ConsentRecord.id == records[2].id).values(path="/forged")
    )
    db.session.commit()
    result = run(runner, "verify-log")
    assert result.exit_code == 1
    assert (
        f"FAIL position 2: receipt {records[2].receipt_id}: its stored fields differ"
        in result.stdout
    )
    assert "1 problems" in result.stdout


def test_purge_reports_counts_and_the_log_still_verifies(runner: FlaskCliRunner) -> None:
    make_site(retention_days=30, consent_lifetime_days=10)
    make_record(now=datetime.now(UTC) - timedelta(days=60), subject_id=subject(1))
    make_record(subject_id=subject(2))
    run(runner, "seal")
    assert run(runner, "purge", "--dry-run").stdout.splitlines() == [
        "shop\twould erase 1",
        "total would erase 1",
    ]
    assert run(runner, "purge").stdout.splitlines() == ["shop\terased 1", "total erased 1"]
    verified = run(runner, "verify-log")
    assert verified.exit_code == 0 and "1 erased: log verifies" in verified.stdout


def test_export_writes_the_filtered_jsonl(runner: FlaskCliRunner) -> None:
    make_site()
    make_records(3)
    run(runner, "seal")
    result = run(runner, "export", "--subject-id", subject(1))
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert lines[0]["type"] == "tree_head"
    assert [line["claims"]["subject_id"] for line in lines[1:]] == [subject(1)]


def test_export_refuses_a_bad_filter_clearly(runner: FlaskCliRunner) -> None:
    result = run(runner, "export", "--since", "last week")
    assert result.exit_code != 0
    assert "since: must be a date, YYYY-MM-DD" in result.stderr
