"""Migration 0201 counts the consent records that exist before it, then keeps counting."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from flask_migrate import upgrade
from sqlalchemy import create_engine, make_url, select, text

from consent_app.extensions import db
from consent_app.models import CategoryStats, ConsentStats
from consent_app.services.stats.rollups import rollup_differences
from tests.conftest import PG_URL, make_app

RECORDS = [
    # day, country, device, action, granted, denied
    (
        "2026-03-01 23:59:59",
        "NO",
        "mobile",
        "accept_all",
        '["necessary","functionality","advertising"]',
        "[]",
    ),
    (
        "2026-03-01 08:00:00",
        "NO",
        "mobile",
        "reject_all",
        '["necessary"]',
        '["functionality","advertising"]',
    ),
    (
        "2026-03-02 00:00:01",
        None,
        None,
        "custom",
        '["necessary","functionality"]',
        '["advertising"]',
    ),
]


@contextmanager
def scratch_database(kind: str, tmp_path: Path) -> Iterator[str]:
    if kind == "sqlite":
        yield f"sqlite:///{tmp_path / 'before.db'}"
        return
    assert PG_URL
    name = f"backfill_{uuid.uuid4().hex[:8]}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"CREATE DATABASE {name}"))
    try:
        yield make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        admin.dispose()


@pytest.mark.parametrize("kind", ["sqlite", *(["postgresql"] if PG_URL else [])])
def test_existing_records_are_counted_when_the_rollups_arrive(kind: str, tmp_path: Path) -> None:
    with scratch_database(kind, tmp_path) as url:
        app = make_app(url)
        with app.app_context():
            upgrade(revision="0004")
            with db.engine.begin() as conn:
                conn.execute(
                    text(
                        "INSERT INTO sites (id, key, name, controller, default_language, "
                        "consent_lifetime_days, unknown_cookie_policy, created_at, revision) "
                        "VALUES (1, 'shop', 'Shop', '', 'nb', 182, 'advertising', "
                        "'2026-01-01 00:00:00', 1)"
                    )
                )
                conn.execute(
                    text(
                        "INSERT INTO policy_versions (id, site_id, label, major, text_hash, "
                        "published_at) VALUES (1, 1, '1', true, '', '2026-01-01 00:00:00')"
                    )
                )
                for number, (moment, country, device, action, granted, denied) in enumerate(
                    RECORDS
                ):
                    conn.execute(
                        text(
                            "INSERT INTO consent_records (receipt_id, site_id, policy_version_id, "
                            "subject_id, action, granted, denied, gpc, language, country, "
                            "device_class, origin, path, created_at, expires_at, receipt) VALUES "
                            "(:rid, 1, 1, 'subject', :action, :granted, :denied, false, 'nb', "
                            ":country, :device, 'https://shop.example', '/', :moment, :moment, 'x')"
                        ),
                        {
                            "rid": f"R{number:025d}",
                            "action": action,
                            "granted": granted,
                            "denied": denied,
                            "country": country,
                            "device": device,
                            "moment": moment,
                        },
                    )
            upgrade()
            assert rollup_differences() == []
            rows = db.session.scalars(select(ConsentStats).order_by(ConsentStats.day)).all()
            assert [(str(r.day), r.country, r.decisions) for r in rows] == [
                ("2026-03-01", "NO", 2),
                ("2026-03-02", "", 1),
            ]
            granted = {
                (str(r.day), r.category): r.granted
                for r in db.session.scalars(select(CategoryStats))
            }
            assert granted == {
                ("2026-03-01", "functionality"): 1,
                ("2026-03-01", "advertising"): 1,
                ("2026-03-02", "functionality"): 1,
                ("2026-03-02", "advertising"): 0,
            }
            db.session.remove()
            db.engine.dispose()
