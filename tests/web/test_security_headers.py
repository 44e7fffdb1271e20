"""Security headers on every page of every door, nonces per request, no inline code that
the Content-Security-Policy would have to allow, and the banner's and API's cross-origin
headers left as they were."""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser

import pytest
from flask import Flask, render_template_string
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from consent_app.config import PROJECT_ROOT
from tests.conftest import running_app
from tests.factories import SHOP_ORIGIN, AuthActions, make_record, make_user
from tests.visitor.test_views import open_page
from tests.web.test_permissions import build, url_values

HTML_DOORS = ("main", "dashboard", "admin", "audit", "auth", "visitor")
TEMPLATES = PROJECT_ROOT / "consent_app" / "templates"


def csp_directives(response: TestResponse) -> dict[str, str]:
    policy = response.headers["Content-Security-Policy"]
    return dict(part.strip().partition(" ")[::2] for part in policy.split(";"))


def nonce_of(response: TestResponse) -> str:
    found = re.search(r"'nonce-([^']+)'", csp_directives(response)["script-src"])
    assert found, "the script-src has no nonce"
    return found.group(1)


class InlineCode(HTMLParser):
    """What a strict CSP would block on a page: inline event handlers, style attributes,
    javascript: URLs, inline <script>/<style> without the response's nonce, and scripts,
    styles or images from another origin."""

    def __init__(self, nonce: str) -> None:
        super().__init__()
        self.nonce = nonce
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=...>: an inline event handler")
            elif name == "style":
                self.problems.append(f"<{tag} style=...>: an inline style")
            elif (value or "").strip().lower().startswith("javascript:"):
                self.problems.append(f"<{tag} {name}={value!r}>: a javascript: URL")
        source = attributes.get("src") or (
            attributes.get("href") if attributes.get("rel") == "stylesheet" else None
        )
        if source and tag in {"script", "link", "img"}:
            if not source.startswith("/") or source.startswith("//"):
                self.problems.append(f"<{tag}> loads {source!r} from another origin")
        elif tag in {"script", "style"} and attributes.get("nonce") != self.nonce:
            self.problems.append(f"inline <{tag}> without this response's nonce")


def inline_code(response: TestResponse) -> list[str]:
    checker = InlineCode(nonce_of(response))
    checker.feed(response.get_data(as_text=True))
    checker.close()
    return checker.problems


def assert_security_headers(response: TestResponse, where: str) -> None:
    headers = response.headers
    assert headers.get("X-Content-Type-Options") == "nosniff", where
    assert headers.get("X-Frame-Options") == "DENY", where
    assert headers.get("Referrer-Policy") == "same-origin", where
    assert "Strict-Transport-Security" not in headers, f"{where}: HSTS over plain http"
    directives = csp_directives(response)
    assert directives["frame-ancestors"] == "'none'", where
    assert directives["object-src"] == "'none'", where
    for directive in ("default-src", "script-src", "style-src"):
        assert "'unsafe-inline'" not in directives[directive], where
        assert "'unsafe-eval'" not in directives[directive], where
    if response.mimetype == "text/html":
        assert inline_code(response) == [], where


def door_get_routes(app: Flask) -> list[str]:
    """Every GET route of the HTML doors, from the URL map (a new page is checked too)."""
    return sorted(
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if rule.endpoint.split(".")[0] in HTML_DOORS
        and "GET" in (rule.methods or set())
        and not rule.endpoint.startswith("visitor.")
    )


def every_page(app: Flask) -> Iterator[tuple[str, TestResponse]]:
    """Each door's pages as the people who use them see them, and its error pages."""
    values = url_values(app)
    receipt = make_record()  # a decision today, so the dashboard draws its charts
    values |= {"receipt_id": receipt.receipt_id, "fmt": "csv"}

    anonymous = app.test_client()
    for url in ("/", "/auth/login", "/no/such/page", "/admin/"):
        yield f"anonymous GET {url}", anonymous.get(url)
    yield "anonymous GET /auth/logout (405)", anonymous.get("/auth/logout")

    admin = app.test_client()
    AuthActions(admin).login(make_user("admin", "boss@example.no"))
    for endpoint in door_get_routes(app):
        url = build(app, endpoint, values)
        # buffered: exports stream, and are read inside the request's own context
        yield f"admin GET {url}", admin.get(url, buffered=True)
    yield "admin GET a missing receipt (404)", admin.get("/audit/receipts/nope")

    marketer = app.test_client()
    AuthActions(marketer).login("marketer")
    yield "marketer GET /admin/ (403)", marketer.get("/admin/")

    visitor = app.test_client()
    yield "visitor POST /my-consent/open", open_page(visitor)
    for url in ("/my-consent", "/my-consent/download", "/my-consent/erase"):
        yield f"visitor GET {url}", visitor.get(url)
    yield "visitor POST /my-consent/erase (400)", visitor.post("/my-consent/erase", data={})
    yield "visitor erased page", visitor.post("/my-consent/erase", data={"confirm": "y"})
    yield "visitor GET /my-consent (expired)", app.test_client().get("/my-consent")


def test_every_page_of_every_door_carries_the_security_headers(app: Flask) -> None:
    seen = []
    for where, response in every_page(app):
        assert response.status_code < 500, where
        assert_security_headers(response, where)
        seen.append((where, response.status_code, response.mimetype))
    html = [entry for entry in seen if entry[2] == "text/html"]
    assert {status for _, status, _ in html} >= {200, 302, 400, 403, 404, 405}
    assert any("/dashboard/" in where and status == 200 for where, status, _ in html)


def test_the_dashboard_charts_are_checked_too(app: Flask) -> None:
    pages = dict(every_page(app))
    dashboard = pages["admin GET /dashboard/"]
    assert dashboard.status_code == 200 and '<svg class="chart"' in dashboard.get_data(as_text=True)
    assert inline_code(dashboard) == []


def test_an_error_page_of_an_unexpected_failure_carries_them(database_url: str) -> None:
    with running_app(database_url, PROPAGATE_EXCEPTIONS=False) as app:

        @app.get("/broken")
        def broken() -> str:
            raise RuntimeError("a bug")

        response = app.test_client().get("/broken")
        assert response.status_code == 500
        assert_security_headers(response, "500 page")


def test_each_response_has_its_own_nonce_and_templates_can_use_it(app: Flask) -> None:
    client = app.test_client()
    first, second = (nonce_of(client.get("/auth/login")) for _ in range(2))
    assert first != second and len(first) >= 22
    with app.test_request_context("/"):
        app.preprocess_request()
        page = render_template_string('<script nonce="{{ csp_nonce() }}">run()</script>')
        response = app.process_response(app.make_response(page))
    assert f'nonce="{nonce_of(response)}"' in page
    assert inline_code(response) == []


@pytest.mark.parametrize(
    ("markup", "problem"),
    [
        ('<button onclick="go()">Go</button>', "inline event handler"),
        ('<svg><rect onload="go()"/></svg>', "inline event handler"),
        ('<p style="color: red">x</p>', "inline style"),
        ("<script>go()</script>", "without this response's nonce"),
        ('<style nonce="guessed">p {}</style>', "without this response's nonce"),
        ('<a href="javascript:go()">x</a>', "javascript: URL"),
        ('<script src="https://cdn.example/x.js"></script>', "from another origin"),
    ],
)
def test_the_page_check_catches_what_the_policy_would_block(
    app: Flask, markup: str, problem: str
) -> None:
    with app.test_request_context("/"):
        app.preprocess_request()
        response = app.process_response(app.make_response(render_template_string(markup)))
    problems = inline_code(response)
    assert len(problems) == 1 and problem in problems[0]


def test_no_template_has_inline_handlers_styles_or_scripts() -> None:
    """Catches what no test renders (a branch of a template) as well."""
    forbidden = re.compile(
        r"""\son[a-z]+\s*=|\sstyle\s*=|<style(?![^>]*nonce=)|<script(?![^>]*(src|nonce)=)"""
        r"""|javascript:""",
        re.IGNORECASE,
    )
    templates = sorted(TEMPLATES.rglob("*.html"))
    assert TEMPLATES / "base.html" in templates and len(templates) > 20
    found = [
        f"{path.relative_to(TEMPLATES)}: {match.group(0)!r}"
        for path in templates
        for match in forbidden.finditer(path.read_text(encoding="utf-8"))
    ]
    assert found == []


@pytest.mark.parametrize(
    ("headers", "trusted_proxies", "hsts"),
    [
        ({}, 0, False),
        ({"X-Forwarded-Proto": "https"}, 0, False),  # anyone can send that header
        ({"X-Forwarded-Proto": "https"}, 1, True),  # our proxy says the visitor used https
        ({"X-Forwarded-Proto": "http"}, 1, False),
    ],
)
def test_hsts_only_when_the_page_was_served_over_https(
    database_url: str, headers: dict[str, str], trusted_proxies: int, hsts: bool
) -> None:
    with running_app(database_url, TRUSTED_PROXY_COUNT=trusted_proxies) as app:
        response = app.test_client().get("/auth/login", headers=headers)
    assert ("Strict-Transport-Security" in response.headers) is hsts
    if hsts:
        assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_hsts_on_a_direct_https_request(client: FlaskClient) -> None:
    response = client.get("/auth/login", base_url="https://consent.example")
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


@pytest.mark.parametrize(
    "path",
    [
        "/c/shop.js",
        "/c/shop/ui.js?lang=nb",
        "/c/shop.json",
        "/c/unknown.js",
        "/c/unknown/ui.js",
        "/c/unknown.json",
        "/c/too/deep/path.js",
        "/c/",
    ],
)
def test_every_banner_response_says_nosniff(client: FlaskClient, shop, path: str) -> None:
    response = client.get(path, headers={"Origin": SHOP_ORIGIN})
    assert response.headers["X-Content-Type-Options"] == "nosniff", response.status


def test_the_banner_script_keeps_its_cross_origin_and_caching_headers(client, shop) -> None:
    response = client.get("/c/shop.js", headers={"Origin": SHOP_ORIGIN})
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "public" in response.headers["Cache-Control"]
    assert "max-age=" in response.headers["Cache-Control"]
    again = client.get("/c/shop.js", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304
    assert again.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("POST", "/api/v1/consents", {}),
        ("GET", "/api/v1/receipts/nope", None),
        ("GET", "/api/v1/no-such-endpoint", None),
        ("GET", "/api/v1/log/head", None),
    ],
)
def test_api_responses_say_nosniff(client, shop, method: str, path: str, body) -> None:
    response = client.open(path, method=method, json=body, headers={"Origin": SHOP_ORIGIN})
    assert response.mimetype == "application/json"
    assert response.headers["X-Content-Type-Options"] == "nosniff", response.status


def test_the_api_still_answers_the_banners_preflight(client: FlaskClient, shop) -> None:
    response = client.options(
        "/api/v1/consents",
        headers={"Origin": SHOP_ORIGIN, "Access-Control-Request-Method": "POST"},
    )
    assert response.status_code == 204
    assert response.headers["Access-Control-Allow-Origin"] == SHOP_ORIGIN
    assert response.headers["Access-Control-Allow-Methods"] == "POST"
