"""/.well-known/jwks.json: the Ed25519 public keys receipts and tree heads are signed with,
old ones included, so anyone can verify them offline (RFC 8037 OKP keys)."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify

from ..signing import keyring

wellknown = Blueprint("wellknown", __name__)


@wellknown.get("/.well-known/jwks.json")
def jwks() -> Response:
    response = jsonify(keyring().jwks())
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.cache_control.public = True
    response.cache_control.max_age = 300
    return response
