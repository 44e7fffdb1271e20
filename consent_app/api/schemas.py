"""Request and response shapes of the public JSON API (v1), validated by pydantic.

The OpenAPI document at /api/v1/openapi.json is generated from these models.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

SiteKey = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]{1,64}$")]
SubjectId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]{16,64}$")]
CategorySlug = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_-]{0,31}$")]
LanguageTag = Annotated[
    str, StringConstraints(pattern=r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8}){0,3}$", max_length=16)
]
Action = Literal["accept_all", "reject_all", "custom", "withdraw", "gpc"]
VisitorSecret = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]{43}$")]


class ConsentIn(BaseModel):
    """A visitor's decision, as the banner sends it."""

    model_config = ConfigDict(extra="forbid", strict=True)

    site: SiteKey = Field(description="The site's public key, as in the script URL")
    subject_id: SubjectId = Field(description="Random id made by the banner, 16-64 URL-safe chars")
    choices: dict[CategorySlug, bool] = Field(
        description="Every non-necessary category of the site, true (granted) or false"
    )
    action: Action
    policy_version: Annotated[str, StringConstraints(min_length=1, max_length=32)]
    language: LanguageTag | None = None
    page: Annotated[str, StringConstraints(pattern=r"^https?://", max_length=2048)] = Field(
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

    model_config = ConfigDict(extra="forbid", strict=True)

    site: SiteKey
    subject_id: SubjectId
    visitor_secret: VisitorSecret


class PreferenceIn(BaseModel):
    """Language and location the visitor chose; stored only while functionality is granted."""

    model_config = ConfigDict(extra="forbid", strict=True)

    site: SiteKey
    subject_id: SubjectId
    visitor_secret: VisitorSecret
    language: LanguageTag | None = None
    location: Annotated[str, StringConstraints(min_length=1, max_length=100)] | None = None


class PreferenceOut(BaseModel):
    language: str | None
    location: str | None


class CookieReportIn(BaseModel):
    """Names (never values) of cookies the banner found that no rule of the site knows."""

    model_config = ConfigDict(extra="forbid", strict=True)

    site: SiteKey
    names: Annotated[list[Annotated[str, StringConstraints(max_length=255)]], Field(max_length=50)]


class ImpressionIn(BaseModel):
    """One first-layer display of the banner (sent with navigator.sendBeacon)."""

    model_config = ConfigDict(extra="forbid", strict=True)

    site: SiteKey
    policy_version: Annotated[str, StringConstraints(min_length=1, max_length=32)]
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
    model_config = ConfigDict(extra="forbid", strict=True)

    receipt: Annotated[str, StringConstraints(min_length=1, max_length=8192)]


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
