"""/.well-known/ documents: Global Privacy Control support (and signing keys)."""

from __future__ import annotations

from flask import Blueprint, jsonify
from flask.typing import ResponseReturnValue

from ..api.public_schemas import GpcOut, JwksOut
from ..signing import keyring

bp = Blueprint("wellknown", __name__, url_prefix="/.well-known")

# The date this service began honouring GPC as a refusal of advertising.
GPC_SINCE = "2026-11-25"


@bp.get("/gpc.json")
def gpc() -> ResponseReturnValue:
    """GPC spec section 3.5: a site states that it honours Global Privacy Control."""
    response = jsonify(GpcOut(gpc=True, lastUpdate=GPC_SINCE).model_dump())
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.cache_control.public = True
    response.cache_control.max_age = 86400
    return response


@bp.get("/jwks.json")
def jwks() -> ResponseReturnValue:
    """The Ed25519 public keys receipts and tree heads are signed with, retired ones
    included, so anyone can verify them offline (RFC 8037 OKP keys)."""
    response = jsonify(JwksOut.model_validate(keyring().jwks()).model_dump())
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.cache_control.public = True
    response.cache_control.max_age = 300
    return response
