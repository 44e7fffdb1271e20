"""GET /api/v1/openapi.json: the API contract, generated from the pydantic models that
validate it, so the document cannot drift from what the code accepts."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from flask import jsonify
from flask.typing import ResponseReturnValue
from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from . import bp
from .schemas import (
    ConsentIn,
    ConsentOut,
    CookieReportIn,
    ErrorOut,
    PreferenceIn,
    PreferenceOut,
    ReceiptOut,
    VerifyIn,
    VerifyOut,
)

MODELS: list[type[BaseModel]] = [
    ConsentIn,
    ConsentOut,
    CookieReportIn,
    ErrorOut,
    PreferenceIn,
    PreferenceOut,
    ReceiptOut,
    VerifyIn,
    VerifyOut,
]


def _ref(model: type[BaseModel]) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{model.__name__}"}


def _json(model: type[BaseModel]) -> dict[str, Any]:
    return {"content": {"application/json": {"schema": _ref(model)}}}


def _errors(*codes: int) -> dict[str, Any]:
    return {str(code): {"description": "error", **_json(ErrorOut)} for code in codes}


def _post(summary: str, body: type[BaseModel], ok: dict[str, Any], *codes: int) -> Any:
    return {
        "post": {
            "summary": summary,
            "requestBody": {"required": True, **_json(body)},
            "responses": {**ok, **_errors(*codes)},
        }
    }


@lru_cache(maxsize=1)
def openapi_document() -> dict[str, Any]:
    _, schemas = models_json_schema(
        [(m, "validation") for m in MODELS], ref_template="#/components/schemas/{model}"
    )
    return {
        "openapi": "3.1.0",
        "info": {"title": "Samtykke consent API", "version": "1"},
        "paths": {
            "/api/v1/consents": _post(
                "Record a visitor's decision as a signed receipt",
                ConsentIn,
                {"201": {"description": "stored", **_json(ConsentOut)}},
                400,
                403,
                404,
                413,
                415,
                422,
                429,
            ),
            "/api/v1/preferences": _post(
                "Remember language and location while functionality is granted",
                PreferenceIn,
                {"200": {"description": "stored", **_json(PreferenceOut)}},
                400,
                403,
                404,
                409,
                413,
                415,
                422,
            ),
            "/api/v1/cookies/reports": _post(
                "Report cookie names no rule of the site knows (text/plain accepted)",
                CookieReportIn,
                {"204": {"description": "queued for review"}},
                400,
                403,
                404,
                413,
                415,
                422,
                429,
            ),
            "/api/v1/receipts/{receipt_id}": {
                "get": {
                    "summary": "A stored receipt and whether it verifies",
                    "parameters": [
                        {
                            "name": "receipt_id",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "string"},
                        }
                    ],
                    "responses": {
                        "200": {"description": "found", **_json(ReceiptOut)},
                        **_errors(404),
                    },
                }
            },
            "/api/v1/receipts/verify": _post(
                "Verify a receipt token",
                VerifyIn,
                {"200": {"description": "checked", **_json(VerifyOut)}},
                400,
                415,
                422,
            ),
        },
        "components": {"schemas": schemas.get("$defs", {})},
    }


@bp.get("/openapi.json")
def openapi() -> ResponseReturnValue:
    return jsonify(openapi_document())
