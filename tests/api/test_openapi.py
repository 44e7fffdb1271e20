from flask.testing import FlaskClient


def test_openapi_document_is_generated_from_the_validation_models(client: FlaskClient) -> None:
    doc = client.get("/api/v1/openapi.json").get_json()
    assert doc["openapi"].startswith("3.")
    assert {"/api/v1/consents", "/api/v1/preferences", "/api/v1/cookies/reports"} <= set(
        doc["paths"]
    )
    consent = doc["components"]["schemas"]["ConsentIn"]
    assert set(consent["required"]) >= {"site", "subject_id", "choices", "action", "page"}
    assert consent["properties"]["subject_id"]["pattern"] == "^[A-Za-z0-9_-]{16,64}$"
    responses = doc["paths"]["/api/v1/consents"]["post"]["responses"]
    assert {"201", "403", "413", "422", "429"} <= set(responses)
