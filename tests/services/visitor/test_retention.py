from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flask import Flask
from sqlalchemy import select

from consent_app.extensions import db
from consent_app.models import ConsentRecord, Erasure, VisitorCredential
from consent_app.models.site import DEFAULT_RETENTION_DAYS
from consent_app.models.visitor_credential import subject_key
from consent_app.services.ledger.verify_log import verify_log
from consent_app.services.visitor.retention import purge_expired
from consent_app.signing import hmac_key, keyring
from tests.factories import make_record, make_site, seal_all, subject

NOW = datetime(2032, 6, 1, tzinfo=UTC)


def test_the_default_retention_is_five_years(app: Flask) -> None:
    assert make_site().retention_days == DEFAULT_RETENTION_DAYS >= 5 * 365


def test_purge_erases_only_what_is_past_retention_per_site(app: Flask) -> None:
    make_site(consent_lifetime_days=100, retention_days=365)
    make_site("other", origins=("https://other.example",), retention_days=10_000)
    # shop: expires 100 days after it was made, kept 365 days more
    old = make_record(now=NOW - timedelta(days=466), subject_id=subject(1))
    kept = make_record(now=NOW - timedelta(days=464), subject_id=subject(2))
    long_kept = make_record(
        now=NOW - timedelta(days=3000),
        subject_id=subject(3),
        site="other",
        origin="https://other.example",
        page="https://other.example/",
    )
    seal_all(app)
    assert purge_expired(NOW, dry_run=True) == {"shop": 1, "other": 0}
    assert db.session.scalar(select(Erasure.id)) is None  # a dry run changes nothing
    assert purge_expired(NOW) == {"shop": 1, "other": 0}
    db.session.expire_all()
    assert db.session.get(ConsentRecord, old.id).subject_id is None
    assert db.session.get(ConsentRecord, kept.id).subject_id == subject(2)
    assert db.session.get(ConsentRecord, long_kept.id).subject_id == subject(3)
    erasure = db.session.scalar(select(Erasure))
    assert (erasure.reason, erasure.receipt_count, erasure.subject_digest) == ("retention", 1, None)
    assert verify_log(hmac_key(), keyring()).ok
    assert purge_expired(NOW) == {"shop": 0, "other": 0}  # nothing twice


def test_retention_leaves_only_a_tombstone_of_a_forgotten_subject(app: Flask) -> None:
    make_site(consent_lifetime_days=100, retention_days=365)
    make_record(now=NOW - timedelta(days=1000), subject_id=subject(1))
    kept = make_record(now=NOW - timedelta(days=10), subject_id=subject(2))
    purge_expired(NOW)
    credentials = {c.subject_key: c for c in db.session.scalars(select(VisitorCredential))}
    gone = credentials[subject_key(subject(1))]
    assert gone.subject_id is None and gone.secret_hash is None
    assert credentials[subject_key(kept.subject_id)].secret_hash is not None
