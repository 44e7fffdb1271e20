"""Response shapes of the public documents that hold no personal data: the log's signed
tree heads and proofs, the banner configuration for server-side integrations, the
signing keys and the Global Privacy Control statement.

The views answer through these models, and /api/v1/openapi.json is generated from them.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, Field

Hex256 = Annotated[str, Field(pattern=r"^[0-9a-f]{64}$", description="SHA-256, hex")]
Timestamp = Annotated[
    str,
    Field(
        pattern=r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}Z$",
        description="UTC, to the millisecond",
    ),
]
TreeSize = Annotated[int, Field(ge=0)]


class SignatureOut(BaseModel):
    kid: str = Field(description="The key's id in /.well-known/jwks.json")
    signature: str = Field(description="base64url Ed25519 signature")


class TreeHeadOut(BaseModel):
    """A signed tree head (RFC 9162 style): the log's size and root at a moment."""

    log: str
    tree_size: TreeSize
    root_hash: Hex256
    timestamp: Timestamp
    ed25519: SignatureOut | None = Field(description="null when no Ed25519 key is configured")
    hmac: str = Field(description="The service's HMAC over the same tree head")


class InclusionProofOut(BaseModel):
    """The audit path from a receipt's leaf to the root of a signed tree head."""

    receipt_id: str
    leaf_index: TreeSize
    leaf_hash: Hex256
    tree_size: TreeSize
    audit_path: list[Hex256]
    tree_head: TreeHeadOut


class ConsistencyProofOut(BaseModel):
    """Proof that the log at size `first` is a prefix of the log at size `second`."""

    first: TreeSize
    second: TreeSize
    first_root: Hex256
    second_root: Hex256
    proof: list[Hex256]


# A list, not a tuple: schemathesis 4.32 cannot read the prefixItems a tuple becomes.
CookieRule = Annotated[
    list[str],
    Field(
        min_length=3,
        max_length=3,
        description='[cookie name or pattern, "e" exact | "p" prefix | "r" regex, category]',
    ),
]


class BannerConfigOut(BaseModel):
    """What a server-side integration needs to classify and filter cookies
    (consent_app/integrations/wsgi.py). Keys are short: the banner reads the same."""

    site: str
    policy: str = Field(description="The current policy version's label")
    epoch: str = Field(description="The newest major version: earlier choices are asked again")
    categories: list[str] = Field(description="The optional categories, in banner order")
    rules: list[CookieRule]
    unknown: str = Field(description="The category a cookie no rule knows is treated as")
    days: int = Field(description="How long a choice is kept")
    cookie: str = Field(description="The name of the consent cookie")
    gcm: Literal[0, 1] = Field(description="1 when Google Consent Mode v2 is pushed")
    btn: str | Literal[0] = Field(description="The re-open button's label, 0 without one")


class JwkOut(BaseModel):
    """An Ed25519 public key (RFC 8037)."""

    kty: Literal["OKP"]
    crv: Literal["Ed25519"]
    x: str = Field(description="base64url public key")
    kid: str
    use: Literal["sig"]
    alg: Literal["EdDSA"]


class JwksOut(BaseModel):
    """Every key receipts and tree heads were signed with, retired ones included."""

    keys: list[JwkOut]


class GpcOut(BaseModel):
    """Global Privacy Control support (GPC spec, section 3.5)."""

    gpc: bool
    lastUpdate: str = Field(pattern=r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")  # the GPC spec's name
