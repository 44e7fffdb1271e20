"""The visitor's language and location preferences, kept server-side only while the
visitor's newest consent grants functionality (see consents.record_consent for the other
half: refusing functionality deletes them)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from ...extensions import db
from ...models import ConsentRecord, Preference
from ..errors import Conflict
from ..sites.profiles import site_profile
from ..upsert import upsert
from .secrets import check_secret

FUNCTIONALITY = "functionality"


class FunctionalityNotGranted(Conflict):
    code = "functionality_not_granted"


def latest_record(site_id: int, subject_id: str) -> ConsentRecord | None:
    return db.session.scalar(
        select(ConsentRecord)
        .where(ConsentRecord.site_id == site_id, ConsentRecord.subject_id == subject_id)
        .order_by(ConsentRecord.created_at.desc(), ConsentRecord.id.desc())
        .limit(1)
    )


def save_preference(
    *,
    site: str,
    subject_id: str,
    visitor_secret: str,
    origin: str | None,
    changes: dict[str, str | None],
    now: datetime | None = None,
) -> Preference:
    """Store the changed preferences (language, location), or raise
    FunctionalityNotGranted. Keys not in `changes` keep their stored value."""
    profile = site_profile(site)
    profile.check_origin(origin)
    check_secret(profile.id, subject_id, visitor_secret)
    now = now or datetime.now(UTC)
    record = latest_record(profile.id, subject_id)
    if record is None or FUNCTIONALITY not in record.granted or record.expires_at <= now:
        raise FunctionalityNotGranted(
            "preferences are functionality storage: the visitor has not granted functionality"
        )
    fields: dict[str, Any] = {k: v for k, v in changes.items() if k in ("language", "location")}
    fields["updated_at"] = now
    upsert(
        Preference.__table__,
        {"site_id": profile.id, "subject_id": subject_id, **fields},
        conflict=("site_id", "subject_id"),
        update=fields,
    )
    db.session.commit()
    return db.session.scalars(
        select(Preference)
        .where(Preference.site_id == profile.id, Preference.subject_id == subject_id)
        .execution_options(populate_existing=True)
    ).one()
