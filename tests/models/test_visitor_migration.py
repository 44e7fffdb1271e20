"""Migrations 0320 and 0321 on a log that already holds receipts: subjects from before
visitor secrets cannot be claimed, and every record names its controller."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask_migrate import upgrade
from sqlalchemy import select, text

from consent_app.extensions import db
from consent_app.models import ConsentRecord, VisitorCredential
from consent_app.models.visitor_credential import subject_key
from consent_app.services.stats.rollups import rollup_differences
from tests.conftest import PG_URL, make_app
from tests.models.test_rollup_migration import scratch_database

SITES = [(1, "shop", "Shop", "Shop Holding AS"), (2, "blog", "Blog AS", "")]
RECORDS = [(1, "subject-a"), (1, "subject-a"), (1, "subject-b"), (2, "subject-a"), (1, None)]


@pytest.mark.parametrize("kind", ["sqlite", *(["postgresql"] if PG_URL else [])])
def test_existing_subjects_and_controllers_are_carried_over(kind: str, tmp_path: Path) -> None:
    with scratch_database(kind, tmp_path) as url:
        app = make_app(url)
        with app.app_context():
            upgrade(revision="0202")
            with db.engine.begin() as conn:
                for site_id, key, name, controller in SITES:
                    conn.execute(
                        text(
                            "INSERT INTO sites (id, key, name, controller, default_language, "
                            "consent_lifetime_days, retention_days, unknown_cookie_policy, "
                            "region_rule, reopen_button, google_consent_mode, created_at, "
                            "revision) VALUES (:id, :key, :name, :controller, 'nb', 182, 1826, "
                            "'advertising', 'opt_in', true, true, '2026-01-01 00:00:00', 1)"
                        ),
                        {"id": site_id, "key": key, "name": name, "controller": controller},
                    )
                    conn.execute(
                        text(
                            "INSERT INTO policy_versions (id, site_id, label, major, text_hash, "
                            "published_at, purposes) VALUES (:id, :id, '1', true, '', "
                            "'2026-01-01 00:00:00', '{}')"
                        ),
                        {"id": site_id},
                    )
                for number, (site_id, subject_id) in enumerate(RECORDS):
                    conn.execute(
                        text(
                            "INSERT INTO consent_records (receipt_id, site_id, policy_version_id, "
                            "subject_id, action, granted, denied, gpc, language, origin, path, "
                            "created_at, expires_at, leaf_hash) VALUES (:rid, :site, :site, "
                            ":subject, 'accept_all', '[\"necessary\"]', '[]', false, 'nb', "
                            "'https://shop.example', '/', '2026-03-01 10:00:00', "
                            "'2026-09-01 10:00:00', 'ab')"
                        ),
                        {"rid": f"R{number:025d}", "site": site_id, "subject": subject_id},
                    )
            upgrade()
            credentials = db.session.execute(
                select(VisitorCredential.site_id, VisitorCredential.subject_id).where(
                    VisitorCredential.secret_hash.is_(None)
                )
            ).all()
            assert sorted(credentials) == [(1, "subject-a"), (1, "subject-b"), (2, "subject-a")]
            # Found by the hash of the id (migration 0322), as claims look them up.
            keys = db.session.scalars(select(VisitorCredential.subject_key)).all()
            assert sorted(keys) == sorted(
                subject_key(s) for s in ("subject-a", "subject-b", "subject-a")
            )
            controllers = db.session.execute(
                select(ConsentRecord.site_id, ConsentRecord.controller).distinct()
            ).all()
            assert sorted(controllers) == [(1, "Shop Holding AS"), (2, "Blog AS")]
            assert rollup_differences() == []
            db.session.remove()
            db.engine.dispose()
