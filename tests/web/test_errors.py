from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import production_overrides, running_app


def test_an_unknown_page_is_a_page_in_the_readers_language(client: FlaskClient) -> None:
    response = client.get("/no-such-page", headers={"Accept-Language": "nb"})
    assert response.status_code == 404
    assert response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    assert "Fant ikke siden" in page and 'href="/static/css/app.css"' in page


def test_a_refused_page_says_so_and_keeps_the_header(client: FlaskClient, auth) -> None:
    auth.login("marketer")
    response = client.get("/admin/")
    assert response.status_code == 403
    page = response.get_data(as_text=True)
    assert "Your account may not open this page." in page and "Marketer" in page


def test_a_wrong_method_keeps_its_allow_header(client: FlaskClient) -> None:
    response = client.delete("/")
    assert response.status_code == 405 and "GET" in response.headers["Allow"]
    assert "This address does not accept" in response.get_data(as_text=True)


def test_api_errors_stay_json(client: FlaskClient) -> None:
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404 and response.json["error"] == "not_found"


@pytest.fixture
def fragile_app(database_url: str):
    with running_app(database_url, PROPAGATE_EXCEPTIONS=False) as app:

        @app.get("/api/v1/broken")
        @app.get("/broken")
        def broken() -> str:
            raise RuntimeError("a bug")

        yield app


def test_a_bug_is_a_calm_500_page_or_json(fragile_app: Flask) -> None:
    client = fragile_app.test_client()
    page = client.get("/broken")
    assert page.status_code == 500 and "Nothing you saved was lost" in page.get_data(True)
    api = client.get("/api/v1/broken")
    assert api.status_code == 500 and api.json["error"] == "internal_error"


def test_the_favicon_is_served(client: FlaskClient) -> None:
    with client.get("/favicon.ico", follow_redirects=True) as response:
        assert response.status_code == 200 and b"<svg" in response.data


@pytest.mark.parametrize(
    ("path", "status"),
    [("/my-consent/open", 413), ("/auth/login", 413), ("/", 413), ("/c/shop.js", 413)],
)
def test_a_body_too_large_to_read_gets_its_error_page_not_a_500(
    app: Flask, path: str, status: int
) -> None:
    """The error page's header forms must not try to read the body again."""
    client = app.test_client()
    body = b"site=demo&" + b"x" * (app.config["MAX_CONTENT_LENGTH"] + 1)
    response = client.post(path, data=body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == status
    assert "Content-Security-Policy" in response.headers


@pytest.mark.parametrize(
    ("method", "path"),
    [("GET", "/"), ("GET", "/my-consent"), ("POST", "/auth/login"), ("POST", "/api/v1/consents")],
)
def test_a_host_the_service_does_not_answer_is_a_400_everywhere(
    database_url: str, method: str, path: str
) -> None:
    # Production, with CSRF on: the form check runs before routing, and its error (like
    # every other) has no URLs to draw a page with for that host.
    overrides = {**production_overrides(), "WTF_CSRF_ENABLED": True, "PROPAGATE_EXCEPTIONS": False}
    with running_app(database_url, **overrides) as app:
        response = app.test_client().open(path, method=method, headers={"Host": "bank.example"})
    assert response.status_code == 400
    assert response.json is not None and response.json["error"] == "bad_request"
