"""Request and response shapes of the public JSON API (v1), validated by pydantic.

The OpenAPI document at /api/v1/openapi.json is generated from these models.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field
from pydantic.config import JsonDict

from ..models import Action
from .fields import (
    Choices,
    CookieName,
    LanguageTag,
    Location,
    PageUrl,
    PolicyVersion,
    ReceiptToken,
    SiteKey,
    SubjectId,
    VisitorSecret,
)


def request_model(example: JsonDict) -> ConfigDict:
    """A request body: strict types, no unknown keys, and a realistic example for the
    document (tests/api/test_openapi.py checks that each example validates)."""
    return ConfigDict(extra="forbid", strict=True, json_schema_extra={"examples": [example]})


class ConsentIn(BaseModel):
    """A visitor's decision, as the banner sends it."""

    model_config = request_model(
        {
            "site": "shop",
            "subject_id": "k3J9Qm2xVb7LwP0sT4aZ",
            "choices": {"functionality": True, "advertising": False},
            "action": "custom",
            "policy_version": "1",
            "language": "nb",
            "page": "https://shop.example/products/a?utm_source=mail",
            "gpc": False,
        }
    )

    site: SiteKey = Field(description="The site's public key, as in the script URL")
    subject_id: SubjectId = Field(description="Random id made by the banner, 16-64 URL-safe chars")
    choices: Choices = Field(
        description="Every non-necessary category of the site, true (granted) or false"
    )
    action: Action
    policy_version: PolicyVersion
    language: LanguageTag | None = None
    page: PageUrl = Field(
        description="The page URL; stored as origin and path, the query string is dropped"
    )
    gpc: bool = False
    visitor_secret: VisitorSecret | None = Field(
        default=None,
        description="The secret this subject's first receipt came with; left out only by a "
        "new subject, which then gets one",
    )


class LatestIn(BaseModel):
    """Which subject's newest decision the banner asks for."""

    model_config = request_model(
        {
            "site": "shop",
            "subject_id": "k3J9Qm2xVb7LwP0sT4aZ",
            "visitor_secret": "Vq3kJ8mZ0xWc2LpR7sTn4YbH9dGf6Ae1Ui5Oo-Ky_Nw",
        }
    )

    site: SiteKey
    subject_id: SubjectId
    visitor_secret: VisitorSecret


class PreferenceIn(BaseModel):
    """Language and location the visitor chose; stored only while functionality is granted."""

    model_config = request_model(
        {
            "site": "shop",
            "subject_id": "k3J9Qm2xVb7LwP0sT4aZ",
            "visitor_secret": "Vq3kJ8mZ0xWc2LpR7sTn4YbH9dGf6Ae1Ui5Oo-Ky_Nw",
            "language": "nb",
            "location": "Tromsø",
        }
    )

    site: SiteKey
    subject_id: SubjectId
    visitor_secret: VisitorSecret
    language: LanguageTag | None = None
    location: Location | None = None


class PreferenceOut(BaseModel):
    language: str | None
    location: str | None


class CookieReportIn(BaseModel):
    """Names (never values) of cookies the banner found that no rule of the site knows."""

    model_config = request_model({"site": "shop", "names": ["_hjSessionUser_1234", "mp_opt"]})

    site: SiteKey
    names: Annotated[list[CookieName], Field(max_length=50)]


class ImpressionIn(BaseModel):
    """One first-layer display of the banner (sent with navigator.sendBeacon)."""

    model_config = request_model(
        {"site": "shop", "policy_version": "1", "language": "nb", "gpc": False}
    )

    site: SiteKey
    policy_version: PolicyVersion
    language: LanguageTag | None = None
    gpc: bool = False


class ConsentOut(BaseModel):
    receipt_id: str
    receipt: str = Field(description="base64url(canonical JSON) '.' HMAC signature")
    expires_at: str
    visitor_secret: str | None = Field(
        default=None,
        description="Only on a new subject's first receipt: the secret that opens its "
        "receipts. The service keeps only its hash; the banner keeps it with its cookie.",
    )


class Ed25519Out(BaseModel):
    kid: str
    signature: str = Field(description="base64url Ed25519 signature of the canonical claims")
    valid: bool


class ReceiptOut(BaseModel):
    receipt_id: str
    complete: bool = Field(
        description="False for anyone but a signed-in auditor or the holder of the "
        "subject's visitor secret (X-Visitor-Secret): then claims leave out subject_id "
        "and receipt (the token) is null"
    )
    receipt: str | None
    claims: dict[str, object]
    signature_valid: bool
    matches_record: bool
    valid: bool
    reason: str = ""
    ed25519: Ed25519Out | None = None
    leaf_hash: str
    log_index: int | None = Field(description="Position in the log; null until sealed")


class VerifyIn(BaseModel):
    model_config = request_model({"receipt": "eyJhY3Rpb24iOiJjdXN0b20ifQ.Ci1JTaA2QAfSwc6gOE96"})

    receipt: ReceiptToken


class VerifyOut(BaseModel):
    valid: bool = Field(description="The signature verifies and the log holds this exact receipt")
    reason: str = ""
    claims: dict[str, object] | None = None
    log_index: int | None = Field(
        default=None, description="Its position in the log; null until sealed"
    )


class FieldError(BaseModel):
    field: str
    message: str


class ErrorOut(BaseModel):
    error: str = Field(description="Stable machine-readable code")
    message: str
    fields: list[FieldError] | None = None


class LatestOut(BaseModel):
    """The subject's newest decision on the site."""

    receipt_id: str
    action: Action
    choices: dict[str, bool] = Field(description="Every optional category, granted or not")
    issued_at: str
