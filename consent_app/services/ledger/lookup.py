"""What the public receipt endpoints tell anyone, and what only the receipt's holders see.

A receipt id is not a secret (the customer's site can read it from the consent cookie, and
it appears in the demo page and in exports), so the public answer leaves out what would
identify the visitor: the subject id, the page path and the signed token that states
them. Anyone can still check that the receipt exists, that the service's signatures over
it verify, and (from its leaf hash and /receipts/<id>/proof) that it is in the log. The
visitor, who holds the token, and a signed-in auditor see everything.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from typing import Any

from ...models import ConsentRecord
from ..errors import UnknownReceipt
from ..visitor.secrets import secret_hash, stored_hash
from .ingest import find_record
from .keys import KeyRing
from .merkle import leaf_hash
from .receipts import (
    InvalidReceipt,
    Verification,
    read_token,
    receipt_claims,
    token_body,
    verify_record,
)

# Claims the public answer leaves out: the personal fields erasure removes (models
# PERSONAL_FIELDS): the subject id singles out one visitor, a path can name one.
PRIVATE_CLAIMS = ("subject_id", "path")


@dataclass(frozen=True)
class ReceiptView:
    record: ConsentRecord
    check: Verification
    claims: dict[str, Any]
    # False when PRIVATE_CLAIMS and the token were left out.
    complete: bool

    @property
    def token(self) -> str | None:
        return self.record.receipt if self.complete else None


def holds_secret(record: ConsentRecord, secret: str | None) -> bool:
    """Whether `secret` is the visitor secret of the receipt's subject."""
    if not secret or record.subject_id is None:
        return False
    stored = stored_hash(record.site_id, record.subject_id)
    return stored is not None and hmac.compare_digest(stored, secret_hash(secret))


def view_receipt(
    receipt_id: str,
    signing_key: str,
    keyring: KeyRing,
    *,
    full: bool = False,
    secret: str | None = None,
) -> ReceiptView:
    """A stored receipt and its verification; complete for an auditor (`full`) or the
    holder of the subject's visitor secret, else without PRIVATE_CLAIMS."""
    record = find_record(receipt_id)
    check = verify_record(record, signing_key, keyring)
    claims = receipt_claims(record)
    complete = full or holds_secret(record, secret)
    if not complete:
        claims = {k: v for k, v in claims.items() if k not in PRIVATE_CLAIMS}
    return ReceiptView(record, check, claims, complete)


@dataclass(frozen=True)
class TokenCheck:
    valid: bool
    reason: str = ""
    claims: dict[str, Any] | None = None
    log_index: int | None = None


def check_token(token: str, signing_key: str) -> TokenCheck:
    """Whether a receipt token someone holds is one this service issued and still logs.

    A valid HMAC alone proves only that the service signed these bytes once; the token is
    valid when the log also holds exactly this receipt (same leaf hash) under its id. The
    leaf hash survives erasure, so an erased receipt's token still verifies.
    """
    try:
        claims = read_token(token, signing_key)
    except InvalidReceipt as exc:
        return TokenCheck(False, str(exc))
    try:
        record = find_record(str(claims.get("receipt_id", "")))
    except UnknownReceipt:
        return TokenCheck(False, "the log holds no receipt with this id", claims)
    if record.leaf_hash != leaf_hash(token_body(token)):
        return TokenCheck(False, "the log holds a different receipt under this id", claims)
    return TokenCheck(True, "", claims, record.log_index)
