from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from pydantic import BaseModel

from consent_app.api import schemas
from consent_app.api.contract import OPERATIONS
from consent_app.api.openapi import openapi_document


def documented_operations() -> set[tuple[str, str]]:
    return {
        (method.upper(), path)
        for path, item in openapi_document()["paths"].items()
        for method in item
    }


def public_json_routes(app: Flask) -> set[tuple[str, str]]:
    """Every method of every JSON route anyone may call: the API, the banner's JSON
    configuration, the /.well-known documents (not the document itself)."""
    routes = set()
    for rule in app.url_map.iter_rules():
        if not (rule.rule.startswith("/api/") or rule.rule.endswith(".json")):
            continue
        if rule.endpoint == "api.openapi":
            continue
        path = re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", rule.rule)
        # HEAD and OPTIONS are Flask's own answers (to every GET, and OPTIONS to every
        # route whose view does not answer it itself, as the banner's preflights do).
        automatic = {"HEAD", *(["OPTIONS"] if rule.provide_automatic_options else [])}
        routes |= {(m, path) for m in rule.methods or () if m not in automatic}
    return routes


def test_the_served_document_is_the_generated_one(client: FlaskClient) -> None:
    assert client.get("/api/v1/openapi.json").get_json() == openapi_document()


def test_the_document_covers_every_public_json_route(app: Flask) -> None:
    assert documented_operations() == public_json_routes(app)


def test_openapi_document_is_generated_from_the_validation_models() -> None:
    doc = openapi_document()
    assert doc["openapi"].startswith("3.")
    consent = doc["components"]["schemas"]["ConsentIn"]
    assert set(consent["required"]) >= {"site", "subject_id", "choices", "action", "page"}
    assert consent["properties"]["subject_id"]["pattern"] == "^[A-Za-z0-9_-]{16,64}$"
    assert consent["properties"]["choices"]["additionalProperties"] is False


@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda op: op.operation_id)
def test_every_operation_states_each_status_it_answers_with(operation) -> None:
    responses = openapi_document()["paths"][operation.path][operation.method]["responses"]
    expected = {operation.answer[0], *(status for status, _ in operation.errors)}
    assert {int(status) for status in responses} == expected
    if operation.body:  # every body can be too large, malformed, the wrong media type
        assert {400, 413, 415, 422} <= expected
    if operation.limited:
        assert responses["429"]["headers"]["Retry-After"]["required"] is True
    for status, response in responses.items():
        if int(status) >= 400:
            error_codes = response["content"]["application/json"]["schema"]["allOf"][1]
            assert error_codes["properties"]["error"]["enum"]


def test_every_answer_has_a_model() -> None:
    for path, item in openapi_document()["paths"].items():
        for method, operation in item.items():
            for status, response in operation["responses"].items():
                if status not in {"204"}:
                    schema = response["content"]["application/json"]["schema"]
                    assert "$ref" in str(schema), (method, path, status)


@pytest.mark.parametrize(
    "model",
    [
        model
        for model in vars(schemas).values()
        if isinstance(model, type) and issubclass(model, BaseModel) and model is not BaseModel
    ],
    ids=lambda m: m.__name__,
)
def test_every_example_in_the_document_is_valid(model: type[BaseModel]) -> None:
    for example in model.model_json_schema().get("examples", []):
        model.model_validate(example)
