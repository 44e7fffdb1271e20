"""Erasing receipts' personal fields while keeping the log verifiable.

An erased receipt keeps its id, site, policy version, decision, times, language, country
code, device class, leaf hash and log position (none of which identify a person once the
subject id is gone), loses PERSONAL_FIELDS (its signed token included, since that states
the subject id too) and points at the Erasure record that says why.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from itsdangerous import Signer
from sqlalchemy import ColumnElement, delete, func, select, update

from ...extensions import db
from ...models import PERSONAL_FIELDS, ConsentRecord, Erasure, Preference, VisitorCredential
from .secrets import bury

SUBJECT_DIGEST_SALT = "consent.erased-subject.v1"


def subject_digest(key: str | bytes, site_key: str, subject_id: str, secret_hash: str) -> str:
    """A keyed hash naming an erased subject without keeping its id (43 characters).

    It covers the hash of the visitor's secret too, so only the visitor's banner (which
    shows the secret) can learn that the subject was erased, not whoever knows its id.
    """
    signer = Signer(key, salt=SUBJECT_DIGEST_SALT, key_derivation="hmac", digest_method="sha256")
    message = f"{site_key}\n{subject_id}\n{secret_hash}".encode()
    return signer.get_signature(message).decode("ascii")


def erase_where(
    site_id: int,
    condition: ColumnElement[bool],
    *,
    reason: str,
    digest: str | None = None,
    now: datetime | None = None,
    forget_subject: str | None = None,
) -> Erasure | None:
    """Erase the site's not yet erased receipts that match; None when none match.
    `forget_subject`: also delete that subject's preferences (language, location) and
    visitor secret.

    Commits. The erasure record, the emptied fields and the deleted preferences land in
    one transaction.
    """
    matching = (
        ConsentRecord.site_id == site_id,
        ConsentRecord.erasure_id.is_(None),
        condition,
    )
    count = db.session.scalar(select(func.count()).select_from(ConsentRecord).where(*matching))
    if not count and digest is None:
        return None
    erasure = Erasure(
        site_id=site_id,
        reason=reason,
        subject_digest=digest,
        receipt_count=count or 0,
        created_at=now or datetime.now(UTC),
    )
    db.session.add(erasure)
    db.session.flush()
    emptied: dict[str, Any] = dict.fromkeys(PERSONAL_FIELDS)
    db.session.execute(
        update(ConsentRecord)
        .where(*matching)
        .values(erasure_id=erasure.id, **emptied)
        .execution_options(synchronize_session=False)
    )
    if forget_subject is not None:
        db.session.execute(
            delete(Preference).where(
                Preference.site_id == site_id, Preference.subject_id == forget_subject
            )
        )
        bury(site_id, [forget_subject])
    db.session.commit()
    return erasure


def forget_subjects_without_receipts(site_id: int) -> None:
    """Forget the site's subjects whose every receipt was erased (by retention): delete
    their preferences and leave only tombstones of their visitor secrets, as a visitor's
    own erasure does. Commits."""
    for table in (Preference, VisitorCredential):
        remaining = select(ConsentRecord.id).where(
            ConsentRecord.site_id == site_id, ConsentRecord.subject_id == table.subject_id
        )
        gone = select(table.subject_id).where(table.site_id == site_id, ~remaining.exists())
        if table is Preference:
            db.session.execute(
                delete(Preference)
                .where(Preference.site_id == site_id, Preference.subject_id.in_(gone))
                .execution_options(synchronize_session=False)
            )
        else:
            bury(site_id, gone.scalar_subquery())
    db.session.commit()


def was_erased(site_id: int, digest: str) -> bool:
    found = db.session.scalar(
        select(Erasure.id).where(Erasure.site_id == site_id, Erasure.subject_digest == digest)
    )
    return found is not None
