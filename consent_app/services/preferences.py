"""The visitor's language and location preferences, kept server-side only while the
visitor's newest consent grants functionality (see consents.record_consent for the other
half: refusing functionality deletes them)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from ..extensions import db
from ..models import ConsentRecord, Preference
from .errors import ConsentError
from .sites import site_profile

FUNCTIONALITY = "functionality"


class FunctionalityNotGranted(ConsentError):
    code = "functionality_not_granted"
    status = 409


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
    origin: str | None,
    language: str | None,
    location: str | None,
    now: datetime | None = None,
) -> Preference:
    """Store the preferences, or raise FunctionalityNotGranted."""
    profile = site_profile(site)
    profile.check_origin(origin)
    now = now or datetime.now(UTC)
    record = latest_record(profile.id, subject_id)
    if record is None or FUNCTIONALITY not in record.granted or record.expires_at <= now:
        raise FunctionalityNotGranted(
            "preferences are functionality storage: the visitor has not granted functionality"
        )
    preference = db.session.scalar(
        select(Preference).where(
            Preference.site_id == profile.id, Preference.subject_id == subject_id
        )
    )
    if preference is None:
        preference = Preference(site_id=profile.id, subject_id=subject_id)
        db.session.add(preference)
    preference.language = language
    preference.location = location
    preference.updated_at = now
    db.session.commit()
    return preference
