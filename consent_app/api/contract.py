"""The public JSON API's operations: what each takes, answers and may refuse with.

One `Operation` per method and path, naming the models of its request and answer and
the named errors it can raise; api/openapi.py turns this table into the OpenAPI document.
tests/api/test_openapi.py checks that no public JSON route is missing from it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from ..services.errors import (
    ConsentError,
    InvalidPayload,
    OriginNotAllowed,
    UnknownCategory,
    UnknownPolicyVersion,
    UnknownReceipt,
    UnknownSite,
)
from ..services.ledger.proofs import EmptyLog, InvalidTreeSize, NotSealed
from ..services.ledger.receipts import ReceiptErased
from ..services.visitor.preferences import FunctionalityNotGranted
from ..services.visitor.secrets import InvalidVisitorSecret, VisitorSecretRequired
from ..services.visitor.self_service import SubjectErased, UnknownSubject
from ..web.errors import status_of
from .body import InvalidJSON, PayloadTooLarge, UnsupportedMediaType
from .fields import ReceiptId, SiteKey
from .public_schemas import (
    BannerConfigOut,
    ConsistencyProofOut,
    GpcOut,
    InclusionProofOut,
    JwksOut,
    TreeHeadOut,
)
from .schemas import (
    ConsentIn,
    ConsentOut,
    CookieReportIn,
    ImpressionIn,
    LatestIn,
    LatestOut,
    PreferenceIn,
    PreferenceOut,
    ReceiptOut,
    VerifyIn,
    VerifyOut,
)

Error = tuple[int, str]  # (HTTP status, stable error code)
RATE_LIMITED: Error = (429, "rate_limited")
# A path parameter holding a "/" leads to no route at all.
NO_ROUTE: Error = (404, "not_found")


def errors(*raised: type[ConsentError] | Error) -> tuple[Error, ...]:
    return tuple(e if isinstance(e, tuple) else (status_of(e), e.code) for e in raised)


# What reading any JSON body can refuse (api/body.py, then the request model).
BODY_ERRORS = errors(InvalidJSON, PayloadTooLarge, UnsupportedMediaType, InvalidPayload)


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    operation_id: str
    summary: str
    answer: tuple[int, type[BaseModel] | None]  # a success's status and body (None: none)
    errors: tuple[Error, ...] = ()
    body: type[BaseModel] | None = None
    beacon: bool = False  # navigator.sendBeacon posts text/plain: accepted too
    path_parameter: tuple[str, Any] | None = None  # (name, pydantic type)
    query: tuple[str, ...] = ()  # tree sizes
    banner: bool = False  # called by the banner from customer pages: CORS per site origin
    public: bool = False  # answers every origin: Access-Control-Allow-Origin: *
    limited: bool = False  # rate limited per client address (config.py)
    cached: bool = False  # Cache-Control on success


def banner_post(
    path: str,
    operation_id: str,
    summary: str,
    *,
    body: type[BaseModel],
    answer: tuple[int, type[BaseModel] | None],
    raises: tuple[type[ConsentError], ...] = (),
    beacon: bool = False,
) -> Operation:
    """A POST the banner sends from a customer page: checked against the site's origins
    and rate limited."""
    return Operation(
        "post",
        path,
        operation_id,
        summary,
        answer,
        (*BODY_ERRORS, *errors(UnknownSite, OriginNotAllowed, *raises), RATE_LIMITED),
        body=body,
        beacon=beacon,
        banner=True,
        limited=True,
    )


OPERATIONS = (
    banner_post(
        "/api/v1/consents",
        "recordConsent",
        "Record a visitor's decision as a signed receipt",
        body=ConsentIn,
        answer=(201, ConsentOut),
        raises=(
            UnknownCategory,
            UnknownPolicyVersion,
            VisitorSecretRequired,
            InvalidVisitorSecret,
        ),
    ),
    banner_post(
        "/api/v1/consents/latest",
        "latestConsent",
        "The subject's newest decision, to catch up with /my-consent",
        body=LatestIn,
        answer=(200, LatestOut),
        raises=(UnknownSubject, SubjectErased, InvalidVisitorSecret),
    ),
    banner_post(
        "/api/v1/preferences",
        "savePreference",
        "Remember language and location while functionality is granted",
        body=PreferenceIn,
        answer=(200, PreferenceOut),
        raises=(FunctionalityNotGranted, InvalidVisitorSecret),
    ),
    banner_post(
        "/api/v1/cookies/reports",
        "reportCookies",
        "Report cookie names no rule of the site knows",
        body=CookieReportIn,
        answer=(204, None),
        beacon=True,
    ),
    banner_post(
        "/api/v1/impressions",
        "countImpression",
        "Count one display of the banner's first layer",
        body=ImpressionIn,
        answer=(204, None),
        raises=(UnknownPolicyVersion,),
        beacon=True,
    ),
    Operation(
        "get",
        "/api/v1/receipts/{receipt_id}",
        "getReceipt",
        "A stored receipt and whether it verifies",
        (200, ReceiptOut),
        errors(UnknownReceipt, NO_ROUTE, ReceiptErased),
        path_parameter=("receipt_id", ReceiptId),
    ),
    Operation(
        "post",
        "/api/v1/receipts/verify",
        "verifyReceipt",
        "Verify a receipt token",
        (200, VerifyOut),
        (*BODY_ERRORS, RATE_LIMITED),
        body=VerifyIn,
        limited=True,
    ),
    Operation(
        "get",
        "/api/v1/receipts/{receipt_id}/proof",
        "receiptProof",
        "The receipt's inclusion proof against the latest signed tree head",
        (200, InclusionProofOut),
        errors(UnknownReceipt, NO_ROUTE, NotSealed),
        path_parameter=("receipt_id", ReceiptId),
        public=True,
    ),
    Operation(
        "get",
        "/api/v1/log/head",
        "logHead",
        "The latest signed tree head",
        (200, TreeHeadOut),
        errors(EmptyLog),
        public=True,
    ),
    Operation(
        "get",
        "/api/v1/log/consistency",
        "logConsistency",
        "Proof that the log at size `first` is a prefix of the log at size `second`",
        (200, ConsistencyProofOut),
        errors(InvalidTreeSize),
        query=("first", "second"),
        public=True,
    ),
    Operation(
        "get",
        "/c/{site_key}.json",
        "bannerConfig",
        "The banner's configuration, for server-side integrations",
        (200, BannerConfigOut),
        errors(UnknownSite, NO_ROUTE, UnknownPolicyVersion),
        path_parameter=("site_key", SiteKey),
        cached=True,
    ),
    Operation(
        "get",
        "/.well-known/jwks.json",
        "signingKeys",
        "The Ed25519 keys receipts and tree heads are signed with",
        (200, JwksOut),
        public=True,
        cached=True,
    ),
    Operation(
        "get",
        "/.well-known/gpc.json",
        "gpcSupport",
        "This service honours Global Privacy Control",
        (200, GpcOut),
        public=True,
        cached=True,
    ),
)
