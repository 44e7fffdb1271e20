"""What a visitor can do with their own receipts: open them with a short-lived link, read
and download them, withdraw consent, erase them; and what the banner learns afterwards.

Every way in takes the visitor secret the banner holds (services/visitor_secrets.py): a
subject id alone, which receipts and exports state, opens nothing."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import select

from ...extensions import db
from ...models import NECESSARY, ConsentRecord, Erasure
from ..errors import Gone, InvalidPayload, Malformed, NotFound, UnknownPolicyVersion
from ..ledger.ingest import RecordedConsent, store_decision
from ..ledger.keys import KeyRing
from ..ledger.proofs import NotSealed, inclusion_proof
from ..ledger.receipts import isoformat_z, token_body
from ..shapes import SUBJECT_ID, fits
from ..sites.profiles import site_profile
from .erasure import erase_where, subject_digest, was_erased
from .secrets import check_secret, secret_hash, stored_hash

LINK_SALT = "my-consent"
WITHDRAWAL_PATH = "/my-consent"


class InvalidLink(Malformed):
    code = "invalid_link"


class ExpiredLink(Gone):
    code = "expired_link"


class UnknownSubject(NotFound):
    code = "unknown_subject"


class SubjectErased(Gone):
    code = "subject_erased"


@dataclass(frozen=True)
class VisitorKey:
    """Whose receipts a /my-consent link opens: one subject on one site; and, from the
    banner that opened it, the page to go back to and the language to speak."""

    site: str
    subject_id: str
    back_to: str | None = None
    language: str | None = None


def check_subject_id(subject_id: str) -> str:
    if not fits(SUBJECT_ID, subject_id or ""):
        raise InvalidPayload(
            "the subject id is not one the banner makes",
            fields=[{"field": "subject_id", "message": "16 to 64 URL-safe characters"}],
        )
    return subject_id


def _serializer(secret: str | bytes) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret, salt=LINK_SALT)


def open_link(
    secret: str | bytes,
    site: str,
    subject_id: str,
    visitor_secret: str,
    *,
    came_from: str | None = None,
    language: str | None = None,
) -> str:
    """A token for /my-consent, bound to the site and subject, for the visitor who shows
    the subject's secret (InvalidVisitorSecret for anyone else). `came_from` is kept as
    the way back only when it is one of the site's origins."""
    profile = site_profile(site)  # UnknownSite if not
    check_subject_id(subject_id)
    check_secret(profile.id, subject_id, visitor_secret)
    back_to = came_from if came_from in profile.origins else None
    data = {"site": site, "subject": subject_id, "back": back_to, "lang": language}
    return str(_serializer(secret).dumps(data))


def read_link(secret: str | bytes, token: str, max_age: int) -> VisitorKey:
    try:
        data = _serializer(secret).loads(token, max_age=max_age)
    except SignatureExpired as exc:
        raise ExpiredLink("this link has expired; open it again from the site") from exc
    except BadSignature as exc:
        raise InvalidLink("this link is not valid") from exc
    if not isinstance(data, dict) or not {"site", "subject"} <= set(data):
        raise InvalidLink("this link is not valid")
    return VisitorKey(str(data["site"]), str(data["subject"]), data.get("back"), data.get("lang"))


def _subject_records(visitor: VisitorKey) -> Any:
    profile = site_profile(visitor.site)
    return (
        select(ConsentRecord)
        .where(
            ConsentRecord.site_id == profile.id,
            ConsentRecord.subject_id == visitor.subject_id,
        )
        .order_by(ConsentRecord.created_at.desc(), ConsentRecord.id.desc())
    )


def subject_receipts(visitor: VisitorKey) -> list[ConsentRecord]:
    """Every receipt of the subject on the site, newest first."""
    return list(db.session.scalars(_subject_records(visitor)))


def portable_receipts(visitor: VisitorKey) -> dict[str, Any]:
    """The subject's receipts as one JSON document (data portability): each with the
    claims it states, its signed token, its Ed25519 signature and its log proof."""
    receipts = []
    for record in subject_receipts(visitor):
        try:
            proof = inclusion_proof(record)
            log: dict[str, Any] | None = {
                "leaf_index": proof.leaf_index,
                "tree_size": proof.head.tree_size,
                "root_hash": proof.head.root_hash,
                "audit_path": proof.audit_path,
            }
        except NotSealed:
            log = None
        receipts.append(
            {
                "receipt_id": record.receipt_id,
                "claims": json.loads(token_body(record.receipt or "")),
                "receipt": record.receipt,
                "ed25519": {"kid": record.ed25519_kid, "signature": record.ed25519_signature}
                if record.ed25519_signature
                else None,
                "leaf_hash": record.leaf_hash,
                "log": log,
            }
        )
    return {"site": visitor.site, "subject_id": visitor.subject_id, "receipts": receipts}


def withdraw(
    visitor: VisitorKey,
    *,
    service_origin: str,
    signing_key: str,
    keyring: KeyRing,
    language: str | None,
    device_class: str | None,
    now: datetime | None = None,
) -> RecordedConsent:
    """Record a `withdraw` receipt: every optional category denied, under the current
    policy version. It is made here, on the service, so that is its origin and path.
    An erased subject (its page may still be open) has nothing left to withdraw."""
    profile = site_profile(visitor.site)
    if stored_hash(profile.id, visitor.subject_id) is None:
        raise SubjectErased("this subject's receipts were erased")
    if not profile.policies:
        raise UnknownPolicyVersion(f"site {visitor.site!r} has no published policy version")
    current_policy = list(profile.policies)[-1]  # published order: the newest is last
    return store_decision(
        profile,
        subject_id=visitor.subject_id,
        choices={c: False for c in profile.categories if c != NECESSARY},
        action="withdraw",
        policy_version=current_policy,
        origin=service_origin,
        path=WITHDRAWAL_PATH,
        signing_key=signing_key,
        keyring=keyring,
        language=language,
        gpc=False,
        country=None,
        device_class=device_class,
        now=now,
    )


def erase(visitor: VisitorKey, *, signing_key: str) -> Erasure:
    """Erase the subject's receipts on the site, its preferences and its visitor secret,
    and record that it happened (in words only the secret's holder can match)."""
    profile = site_profile(visitor.site)
    stored = stored_hash(profile.id, visitor.subject_id)
    if stored is None:
        raise SubjectErased("this subject's receipts were erased")
    erasure = erase_where(
        profile.id,
        ConsentRecord.subject_id == visitor.subject_id,
        reason="visitor",
        digest=subject_digest(signing_key, visitor.site, visitor.subject_id, stored),
        forget_subject=visitor.subject_id,
    )
    assert erasure is not None  # a digest always makes a record
    return erasure


def latest_decision(
    visitor: VisitorKey, visitor_secret: str, *, signing_key: str
) -> dict[str, Any]:
    """The subject's newest decision, for the banner to catch up with /my-consent."""
    check_subject_id(visitor.subject_id)
    profile = site_profile(visitor.site)
    if stored_hash(profile.id, visitor.subject_id) is None:
        digest = subject_digest(
            signing_key, visitor.site, visitor.subject_id, secret_hash(visitor_secret)
        )
        if was_erased(profile.id, digest):
            raise SubjectErased("this subject's receipts were erased")
    check_secret(profile.id, visitor.subject_id, visitor_secret)
    record = db.session.scalar(_subject_records(visitor).limit(1))
    if record is None:
        raise UnknownSubject("no receipt for this subject on this site")
    choices = {c: True for c in record.granted if c != NECESSARY}
    choices.update({c: False for c in record.denied})
    return {
        "receipt_id": record.receipt_id,
        "action": record.action,
        "choices": choices,
        "issued_at": isoformat_z(record.created_at),
    }
