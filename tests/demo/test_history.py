"""`seed-demo --records`: a realistic spread of properly signed decisions, with rollups
that match them."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import func, select

from consent_app.demo import history as demo_history
from consent_app.demo.seed import seed_demo
from consent_app.extensions import db
from consent_app.models import ConsentRecord, ConsentStats
from consent_app.services.ledger.receipts import verify_record
from consent_app.services.sites.profiles import policy_versions
from consent_app.services.stats.rollups import rollup_differences

ORIGIN = "http://127.0.0.1:8000"


def seed(app: Flask, records: int, days: int = 30, seed: int = 1):
    site = seed_demo([ORIGIN])
    key = app.config["RECEIPT_SIGNING_KEY"]
    return site, demo_history.seed_history(
        site, records=records, days=days, origin=ORIGIN, signing_key=key, seed=seed
    )


def test_the_spread_is_realistic_and_every_receipt_verifies(app: Flask) -> None:
    site, seeded = seed(app, 3000)
    records = db.session.scalars(select(ConsentRecord)).all()
    assert len(records) == seeded.records == 3000
    key = app.config["RECEIPT_SIGNING_KEY"]
    assert all(verify_record(r, key).valid for r in records)
    assert len({r.country for r in records}) >= 8
    assert {r.language for r in records} == {"nb", "nn", "en"}
    assert {r.device_class for r in records} >= {"mobile", "desktop", "tablet"}
    assert set(Counter(r.action for r in records)) == {
        "accept_all",
        "reject_all",
        "custom",
        "gpc",
        "withdraw",
    }
    first, second = policy_versions(site)
    assert second.major and {r.policy_version_id for r in records} == {first.id, second.id}
    assert all(
        (r.policy_version_id == second.id) == (r.created_at >= second.published_at) for r in records
    )
    today = datetime.now(UTC).date()
    assert {r.created_at.date() for r in records} <= {today - timedelta(days=n) for n in range(30)}
    shown = db.session.scalar(select(func.sum(ConsentStats.impressions)))
    answers = sum(r.action != "withdraw" for r in records)
    assert shown == seeded.impressions
    assert 0.28 < (shown - answers) / shown < 0.40  # about one display in three ignored


def test_seeding_leaves_the_rollups_equal_to_the_records(app: Flask) -> None:
    seed(app, 2500)
    assert rollup_differences() == []


def test_worker_processes_sign_chunks_in_order(app: Flask, monkeypatch) -> None:
    monkeypatch.setattr(demo_history, "CHUNK", 400)
    seed(app, 1000, days=5)
    records = db.session.scalars(select(ConsentRecord)).all()
    assert len(records) == 1000
    key = app.config["RECEIPT_SIGNING_KEY"]
    assert all(verify_record(r, key).valid for r in records)
    assert rollup_differences() == []


def test_the_same_seed_gives_the_same_spread(app: Flask) -> None:
    seed(app, 500, seed=7)
    first = Counter(db.session.execute(select(ConsentRecord.action, ConsentRecord.country)))
    seed(app, 500, seed=7)
    both = Counter(db.session.execute(select(ConsentRecord.action, ConsentRecord.country)))
    assert both == first + first


def test_chunks_split_days_without_losing_a_decision(monkeypatch) -> None:
    monkeypatch.setattr(demo_history, "CHUNK", 4)
    day = datetime(2026, 3, 1).date()
    chunks = demo_history._chunk_days(day, [3, 0, 6])
    assert [sum(n for _, n in chunk) for chunk in chunks] == [4, 4, 1]
    assert sum(n for chunk in chunks for d, n in chunk if d == day) == 3


def test_the_command_reports_what_it_added(runner: FlaskCliRunner) -> None:
    result = runner.invoke(
        args=["consent", "seed-demo", "--origin", ORIGIN, "--no-users", "--records", "300"]
    )
    assert result.exit_code == 0, result.output
    assert "added 300 decisions and " in result.output
    assert db.session.scalar(select(func.count()).select_from(ConsentRecord)) == 300


@pytest.mark.parametrize("option", [["--records", "10", "--no-users"], ["--users"]])
def test_demo_data_is_refused_in_production(database_url: str, option) -> None:
    from tests.conftest import production_overrides, running_app

    with running_app(database_url, **production_overrides()) as app:
        result = app.test_cli_runner().invoke(args=["consent", "seed-demo", *option])
        assert result.exit_code != 0 and "not for production" in result.output
        assert db.session.scalar(select(func.count()).select_from(ConsentRecord)) == 0


def test_no_seeded_decision_is_later_than_the_seeding_and_ids_follow_time(app: Flask) -> None:
    started = datetime.now(UTC)
    seed(app, 2000, days=2)
    records = db.session.scalars(select(ConsentRecord).order_by(ConsentRecord.id)).all()
    assert max(r.created_at for r in records) <= started + timedelta(seconds=5)
    assert [r.created_at for r in records] == sorted(r.created_at for r in records)
