"""GET /api/v1/openapi.json: the API contract, generated from the operations table
(api/contract.py) and the pydantic models that validate requests and shape answers, so
the document cannot drift from what the code accepts and answers.

tests/api/test_fuzz.py has schemathesis check every answer against it.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from flask import jsonify
from flask.typing import ResponseReturnValue
from pydantic import BaseModel, TypeAdapter
from pydantic.json_schema import models_json_schema

from . import bp
from .contract import OPERATIONS, Operation
from .schemas import ErrorOut


def _ref(model: type[BaseModel]) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{model.__name__}"}


def _header(description: str, required: bool = False, **schema: Any) -> dict[str, Any]:
    return {
        "description": description,
        "required": required,
        "schema": schema or {"type": "string"},
    }


RATE_HEADERS = {
    f"X-RateLimit-{name}": _header(text, type="integer", minimum=0)
    for name, text in (
        ("Limit", "Requests allowed per window (when limits are enabled)"),
        ("Remaining", "Requests left in this window"),
        ("Reset", "When the window resets, in seconds since the epoch"),
    )
}
PREFLIGHT_GRANT = {
    "Access-Control-Allow-Origin": _header("The request's Origin, if some site allows it"),
    "Access-Control-Allow-Methods": _header("POST, when granted"),
    "Access-Control-Allow-Headers": _header("Content-Type, when granted"),
    "Access-Control-Max-Age": _header("Seconds a grant may be cached", type="integer"),
}


def _headers(op: Operation, status: int) -> dict[str, Any]:
    """The headers an answer with this status promises (required) or may carry."""
    ok = status < 300
    headers: dict[str, Any] = {}
    if op.banner:
        headers["Access-Control-Allow-Origin"] = _header("The request's Origin, if allowed")
    if op.public and ok:
        headers["Access-Control-Allow-Origin"] = _header("Any origin", True, const="*")
    if op.cached and ok:
        headers["Cache-Control"] = _header("How long caches may keep the answer", True)
    if op.limited:
        headers.update(RATE_HEADERS)
    if status == 429:
        headers["Retry-After"] = _header("Seconds to wait", True, type="integer", minimum=0)
    return headers


def _error_responses(op: Operation) -> dict[str, Any]:
    """Each error status with the stable codes it can carry, as an enum to check."""
    codes: dict[int, list[str]] = {}
    for status, code in op.errors:
        codes.setdefault(status, []).append(code)
    return {
        str(status): {
            "description": ", ".join(named),
            "headers": _headers(op, status),
            "content": {
                "application/json": {
                    "schema": {
                        "allOf": [_ref(ErrorOut), {"properties": {"error": {"enum": named}}}]
                    }
                }
            },
        }
        for status, named in sorted(codes.items())
    }


def _parameters(op: Operation) -> list[dict[str, Any]]:
    parameters = []
    if op.path_parameter:
        name, kind = op.path_parameter
        schema = TypeAdapter(kind).json_schema()
        parameters.append({"name": name, "in": "path", "required": True, "schema": schema})
    for example, name in enumerate(op.query, start=1):
        schema = {"type": "integer", "minimum": 1, "maximum": 10**18 - 1, "examples": [example]}
        parameters.append({"name": name, "in": "query", "required": True, "schema": schema})
    return parameters


def _request_body(model: type[BaseModel], beacon: bool) -> dict[str, Any]:
    examples = model.model_json_schema().get("examples", [])
    media = {
        "schema": _ref(model),
        "examples": {f"e{i}": {"value": e} for i, e in enumerate(examples)},
    }
    types = ("application/json", "text/plain") if beacon else ("application/json",)
    return {"required": True, "content": {media_type: media for media_type in types}}


def _operation(op: Operation) -> dict[str, Any]:
    status, answer = op.answer
    success: dict[str, Any] = {"description": "ok", "headers": _headers(op, status)}
    if answer:
        success["content"] = {"application/json": {"schema": _ref(answer)}}
    document: dict[str, Any] = {
        "operationId": op.operation_id,
        "summary": op.summary,
        "responses": {str(status): success, **_error_responses(op)},
    }
    if op.banner:
        document["description"] = (
            "Called cross-origin by the banner: the Origin header must be one the site "
            "allows (else 403 origin_not_allowed)."
        )
    if op.body:
        document["requestBody"] = _request_body(op.body, op.beacon)
    if parameters := _parameters(op):
        document["parameters"] = parameters
    return document


def _preflight(op: Operation) -> dict[str, Any]:
    return {
        "operationId": f"{op.operation_id}Preflight",
        "summary": "CORS preflight: granted to any origin some site allows",
        "responses": {"204": {"description": "no body", "headers": PREFLIGHT_GRANT}},
    }


def _component_schemas() -> dict[str, Any]:
    requests = {op.body for op in OPERATIONS if op.body}
    answers = {model for op in OPERATIONS if (model := op.answer[1])} | {ErrorOut}
    _, schemas = models_json_schema(
        [(m, "validation") for m in sorted(requests, key=lambda m: m.__name__)]
        + [(m, "serialization") for m in sorted(answers, key=lambda m: m.__name__)],
        ref_template="#/components/schemas/{model}",
    )
    return dict(schemas.get("$defs", {}))


@lru_cache(maxsize=1)
def openapi_document() -> dict[str, Any]:
    paths: dict[str, dict[str, Any]] = {}
    for op in OPERATIONS:
        paths.setdefault(op.path, {})[op.method] = _operation(op)
        if op.banner:
            paths[op.path]["options"] = _preflight(op)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Samtykke consent API",
            "version": "1",
            "description": (
                'Every error is JSON {"error": code, "message": text} with a stable code '
                "(and `fields` naming what failed, for 422). A method a path does not list "
                "answers 405 method_not_allowed with an Allow header naming those it does."
            ),
        },
        "paths": paths,
        "components": {"schemas": _component_schemas()},
    }


@bp.get("/openapi.json")
def openapi() -> ResponseReturnValue:
    return jsonify(openapi_document())
