"""Retention: receipts are kept for each site's `retention_days` after they expire, then
their personal fields are erased (services/erasure.py); the log keeps their leaves."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select

from ...extensions import db
from ...models import ConsentRecord, Site
from .erasure import erase_where, forget_subjects_without_receipts


def purge_expired(now: datetime, *, dry_run: bool = False) -> dict[str, int]:
    """Erase what is past retention, per site. Returns {site key: receipts erased}."""
    counts = {}
    sites = db.session.execute(select(Site.id, Site.key, Site.retention_days)).all()
    for site_id, site_key, retention_days in sites:
        past = ConsentRecord.expires_at < now - timedelta(days=retention_days)
        if dry_run:
            counts[site_key] = (
                db.session.scalar(
                    select(func.count())
                    .select_from(ConsentRecord)
                    .where(
                        ConsentRecord.site_id == site_id,
                        ConsentRecord.erasure_id.is_(None),
                        past,
                    )
                )
                or 0
            )
            continue
        erasure = erase_where(site_id, past, reason="retention", now=now)
        counts[site_key] = erasure.receipt_count if erasure else 0
        if erasure:
            forget_subjects_without_receipts(site_id)
    return counts
