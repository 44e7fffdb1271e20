"""Recording visitors' decisions as consent records with signed receipts."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import bindparam, delete, insert, select

from ...extensions import db
from ...models import NECESSARY, ConsentRecord, Preference
from ..errors import InvalidPayload, UnknownCategory, UnknownReceipt
from ..shapes import RECEIPT_ID, fits
from ..sites.profiles import PolicyFacts, SiteProfile, site_profile
from ..visitor.secrets import check_secret, claim_subject
from .ids import new_receipt_id
from .keys import KeyRing
from .receipts import SignedReceipt, claims, sign_receipt

NO_KEYS = KeyRing([])

ADVERTISING = "advertising"
FUNCTIONALITY = "functionality"


def _to_millisecond(moment: datetime) -> datetime:
    # Receipts state times to the millisecond; store exactly what the receipt says.
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)


def split_choices(
    categories: list[str], choices: Mapping[str, bool], action: str
) -> tuple[list[str], list[str]]:
    """Check the visitor's choices against the site's categories and the action.

    Returns (granted, denied); `necessary` is always granted and cannot be refused.
    """
    optional = [c for c in categories if c != NECESSARY]
    unknown = sorted(set(choices) - set(categories))
    if unknown:
        raise UnknownCategory(
            f"unknown categor{'y' if len(unknown) == 1 else 'ies'}: {', '.join(unknown)}",
            fields=[
                {"field": f"choices.{name}", "message": "unknown category"} for name in unknown
            ],
        )
    if choices.get(NECESSARY) is False:
        raise InvalidPayload(
            "necessary cookies cannot be refused",
            fields=[{"field": "choices.necessary", "message": "must be true or left out"}],
        )
    missing = [c for c in optional if c not in choices]
    if missing:
        raise InvalidPayload(
            "choices must name every category of the site",
            fields=[{"field": f"choices.{name}", "message": "missing"} for name in missing],
        )
    granted = [c for c in optional if choices[c]]
    denied = [c for c in optional if not choices[c]]
    expected = {
        "accept_all": not denied,
        "reject_all": not granted,
        "withdraw": not granted,
        # Global Privacy Control refuses advertising; an opt-in takes an explicit action.
        "gpc": ADVERTISING not in granted,
    }.get(action, True)
    if not expected:
        raise InvalidPayload(
            f"choices do not match action {action!r}",
            fields=[{"field": "action", "message": "does not match the choices"}],
        )
    return [NECESSARY, *granted], denied


def page_location(page: str, origin: str) -> str:
    """The path of the page the decision was made on; the query string is never kept."""
    try:
        parts = urlsplit(page)
    except ValueError as exc:  # e.g. an unclosed IPv6 bracket: "http://[::1/"
        raise InvalidPayload(
            f"page is not a URL: {exc}", fields=[{"field": "page", "message": "not a URL"}]
        ) from exc
    if f"{parts.scheme}://{parts.netloc}" != origin:
        raise InvalidPayload(
            "page is not on the requesting origin",
            fields=[{"field": "page", "message": f"must start with {origin}"}],
        )
    return parts.path or "/"


_INSERT_RECORD = insert(ConsentRecord.__table__)
_FORGET_PREFERENCES = delete(Preference.__table__).where(
    Preference.site_id == bindparam("site"), Preference.subject_id == bindparam("subject")
)


@dataclass(frozen=True)
class RecordedConsent:
    receipt_id: str
    receipt: str
    expires_at: datetime
    # The new subject's secret, handed out once with its first receipt (never stored).
    visitor_secret: str | None = None


def decision_facts(
    *,
    subject_id: str,
    action: str,
    granted: list[str],
    denied: list[str],
    gpc: bool,
    language: str | None,
    country: str | None,
    device_class: str | None,
    origin: str,
    path: str,
    created_at: datetime,
    lifetime: timedelta,
) -> dict[str, Any]:
    """A decision's facts, as its record stores them and its receipt states them, with a
    new time-ordered receipt id. `created_at` is to the millisecond."""
    return {
        "receipt_id": new_receipt_id(int(created_at.timestamp() * 1000)),
        "subject_id": subject_id,
        "action": action,
        "granted": granted,
        "denied": denied,
        "gpc": gpc,
        "language": language,
        "country": country,
        "device_class": device_class,
        "origin": origin,
        "path": path,
        "created_at": created_at,
        "expires_at": created_at + lifetime,
    }


def record_consent(
    *,
    site: str,
    subject_id: str,
    choices: Mapping[str, bool],
    action: str,
    policy_version: str,
    page: str,
    origin: str | None,
    signing_key: str,
    keyring: KeyRing = NO_KEYS,
    visitor_secret: str | None = None,
    language: str | None = None,
    gpc: bool = False,
    country: str | None = None,
    device_class: str | None = None,
    now: datetime | None = None,
) -> RecordedConsent:
    """Validate a decision against the site, store it and sign its receipt.

    A subject's first decision comes without `visitor_secret` and gets one; every later
    decision must show it (services/visitor_secrets.py), so knowing a subject id is not
    enough to put decisions in that visitor's name.
    """
    profile = site_profile(site)
    checked_origin = profile.check_origin(origin)
    if visitor_secret is not None:
        check_secret(profile.id, subject_id, visitor_secret)
    return store_decision(
        profile,
        subject_id=subject_id,
        choices=choices,
        action=action,
        policy_version=policy_version,
        origin=checked_origin,
        path=page_location(page, checked_origin),
        signing_key=signing_key,
        keyring=keyring,
        language=language,
        gpc=gpc,
        country=country,
        device_class=device_class,
        now=now,
        new_subject=visitor_secret is None,
    )


def store_decision(
    profile: SiteProfile,
    *,
    subject_id: str,
    choices: Mapping[str, bool],
    action: str,
    policy_version: str,
    origin: str,
    path: str,
    signing_key: str,
    keyring: KeyRing,
    language: str | None,
    gpc: bool,
    country: str | None,
    device_class: str | None,
    now: datetime | None,
    new_subject: bool = False,
) -> RecordedConsent:
    """Store a decision whose origin and subject the caller has vouched for, with its
    signed receipt. `new_subject`: the subject must be new; it gets a visitor secret."""
    if action == "gpc" and not gpc:
        raise InvalidPayload(
            "action gpc records a Global Privacy Control signal, so gpc must be true",
            fields=[{"field": "gpc", "message": "must be true for action gpc"}],
        )
    granted, denied = split_choices(list(profile.categories), choices, action)
    policy = profile.policy(policy_version)
    created = _to_millisecond(now or datetime.now(UTC))
    facts = decision_facts(
        subject_id=subject_id,
        action=action,
        granted=granted,
        denied=denied,
        gpc=gpc,
        language=language,
        country=country,
        device_class=device_class,
        origin=origin,
        path=path,
        created_at=created,
        lifetime=timedelta(days=profile.lifetime_days),
    )
    signed = sign_decision(profile, policy, facts, signing_key, keyring)
    # A prepared Core insert: the ORM unit of work would double the cost of the hot path.
    # No log position yet: the sealer assigns it later, so ingest never waits for it.
    connection = db.session.connection()
    issued = claim_subject(connection, profile.id, subject_id) if new_subject else None
    connection.execute(_INSERT_RECORD, record_row(profile, policy, facts, signed))
    if FUNCTIONALITY in denied:
        # Language and location are functionality storage: refusing it forgets them.
        connection.execute(_FORGET_PREFERENCES, {"site": profile.id, "subject": subject_id})
    db.session.commit()
    return RecordedConsent(facts["receipt_id"], signed.token, facts["expires_at"], issued)


def sign_decision(
    profile: SiteProfile,
    policy: PolicyFacts,
    facts: dict[str, Any],
    signing_key: str,
    keyring: KeyRing,
) -> SignedReceipt:
    """The signed receipt of a decision's facts, made on this site under this policy."""
    return sign_receipt(
        claims(
            site_key=profile.key,
            controller=profile.controller,
            policy_label=policy.label,
            policy_text_hash=policy.text_hash,
            purposes=policy.purposes,
            **facts,
        ),
        signing_key,
        keyring,
    )


def record_row(
    profile: SiteProfile, policy: PolicyFacts, facts: dict[str, Any], signed: SignedReceipt
) -> dict[str, Any]:
    """The consent_records row of a signed decision, not yet in the log."""
    return {
        "site_id": profile.id,
        "policy_version_id": policy.id,
        "receipt": signed.token,
        "leaf_hash": signed.leaf_hash,
        "ed25519_kid": signed.ed25519.kid if signed.ed25519 else None,
        "ed25519_signature": signed.ed25519.signature if signed.ed25519 else None,
        "controller": profile.controller,
        **facts,
    }


def find_record(receipt_id: str) -> ConsentRecord:
    if not fits(RECEIPT_ID, receipt_id):  # the service made every id: no need to look
        raise UnknownReceipt("no such receipt: receipt ids are 26-character ULIDs")
    record: ConsentRecord | None = db.session.scalar(
        select(ConsentRecord).where(ConsentRecord.receipt_id == receipt_id)
    )
    if record is None:
        raise UnknownReceipt(f"no receipt {receipt_id!r}")
    return record
