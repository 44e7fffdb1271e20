"""Visitor secrets: the capability that lets a visitor, and nobody else, act on their own
receipts.

A subject id is public: every receipt and export states it. So the service hands each new
subject a random secret with its first receipt and keeps only its SHA-256
(models/visitor_credential.py). The banner keeps the secret beside its consent cookie and
shows it to record further decisions, read its latest decision, store preferences and
open /my-consent. A hash without salt or stretching is enough: the secret is 256 random
bits, not a password anyone could guess.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import Any

from sqlalchemy import Connection, select, update

from ...extensions import db
from ...models import VisitorCredential
from ...models.visitor_credential import subject_key
from ..errors import Refused
from ..upsert import insert_new

SECRET_BYTES = 32  # 43 URL-safe characters: shapes.VISITOR_SECRET


class VisitorSecretRequired(Refused):
    """The subject has a secret (or predates secrets) and the request did not show one."""

    code = "visitor_secret_required"


class InvalidVisitorSecret(Refused):
    code = "invalid_visitor_secret"


def secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("ascii", "replace")).hexdigest()


def claim_subject(connection: Connection, site_id: int, subject_id: str) -> str:
    """Give a subject the service has never seen a secret, in the caller's transaction.

    Raises VisitorSecretRequired when the subject exists already: its first decision got
    the secret, and a request without it is not from that visitor's banner.
    """
    secret = secrets.token_urlsafe(SECRET_BYTES)
    values = {
        "site_id": site_id,
        "subject_key": subject_key(subject_id),
        "subject_id": subject_id,
        "secret_hash": secret_hash(secret),
    }
    # One statement: it conflicts with a live subject, one from before secrets and an
    # erased one's tombstone alike.
    if not insert_new(connection, VisitorCredential.__table__, values):
        raise VisitorSecretRequired(
            "this subject id is taken: show its visitor secret, or start a new subject",
            fields=[{"field": "visitor_secret", "message": "required for this subject"}],
        )
    return secret


def stored_hash(site_id: int, subject_id: str) -> str | None:
    """The subject's secret hash; None when it has none (never seen, made before secrets
    existed, or erased)."""
    return db.session.scalar(
        select(VisitorCredential.secret_hash).where(
            VisitorCredential.site_id == site_id,
            VisitorCredential.subject_key == subject_key(subject_id),
        )
    )


def bury(site_id: int, subject_ids: Any) -> None:
    """Leave only tombstones of these subjects' credentials (see models): their secrets
    stop working, their ids cannot be claimed again, and the ids themselves go.
    `subject_ids`: a column expression (a subquery) or a list. Not committed."""
    db.session.execute(
        update(VisitorCredential)
        .where(VisitorCredential.site_id == site_id, VisitorCredential.subject_id.in_(subject_ids))
        .values(subject_id=None, secret_hash=None)
        .execution_options(synchronize_session=False)
    )


def check_secret(site_id: int, subject_id: str, secret: str) -> str:
    """The stored hash when `secret` is the subject's, else InvalidVisitorSecret (the same
    answer for an unknown subject, so it cannot be used to probe which ids exist)."""
    stored = stored_hash(site_id, subject_id)
    if stored is None or not hmac.compare_digest(stored, secret_hash(secret)):
        raise InvalidVisitorSecret("the visitor secret does not match this subject")
    return stored
