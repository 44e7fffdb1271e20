"""The customer-backend middleware, around a small Flask app that sets cookies."""

from __future__ import annotations

import ast
import json
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from flask import Flask, Response
from werkzeug.serving import make_server

from consent_app import integrations
from consent_app.integrations.wsgi import ConsentCookieFilter
from tests.factories import make_site

RULES = [
    ("_fbp", "e", "advertising"),
    ("_ga", "p", "advertising"),
    ("lang", "e", "functionality"),
    ("sessionid", "e", "necessary"),
]


def customer_app() -> Flask:
    app = Flask("customer")

    @app.get("/")
    def index() -> Response:
        response = Response("hello")
        response.set_cookie("sessionid", "s1")
        response.set_cookie("_fbp", "fb.1.2")
        response.set_cookie("_ga_ABC", "GS1")
        response.set_cookie("lang", "nb")
        response.set_cookie("mystery", "x")
        return response

    @app.get("/logout")
    def logout() -> Response:
        response = Response("bye")
        response.delete_cookie("_fbp")
        return response

    return app


def consent_cookie(choices: dict[str, bool], *, age_days: float = 0, epoch: str = "1") -> str:
    state = {"s": "abc", "e": epoch, "c": choices, "t": (time.time() - age_days * 86400) * 1000}
    return quote(json.dumps(state), safe="")


def set_cookie_names(response) -> set[str]:
    return {h.split("=", 1)[0] for h in response.headers.getlist("Set-Cookie")}


@pytest.fixture
def client():
    app = customer_app()
    app.wsgi_app = ConsentCookieFilter(app.wsgi_app, rules=RULES, epoch="1", lifetime_days=182)
    return app.test_client()


def test_without_consent_only_necessary_cookies_are_set(client) -> None:
    assert set_cookie_names(client.get("/")) == {"sessionid"}


def test_granted_advertising_lets_advertising_cookies_through(client) -> None:
    client.set_cookie("samtykke", consent_cookie({"functionality": False, "advertising": True}))
    assert set_cookie_names(client.get("/")) == {"sessionid", "_fbp", "_ga_ABC", "mystery"}


def test_functionality_only(client) -> None:
    client.set_cookie("samtykke", consent_cookie({"functionality": True, "advertising": False}))
    assert set_cookie_names(client.get("/")) == {"sessionid", "lang"}


def test_an_expired_choice_grants_nothing(client) -> None:
    client.set_cookie("samtykke", consent_cookie({"advertising": True}, age_days=200))
    assert set_cookie_names(client.get("/")) == {"sessionid"}


def test_a_choice_from_before_a_major_version_grants_nothing(client) -> None:
    client.set_cookie("samtykke", consent_cookie({"advertising": True}, epoch="0"))
    assert set_cookie_names(client.get("/")) == {"sessionid"}


def test_a_garbled_consent_cookie_grants_nothing(client) -> None:
    client.set_cookie("samtykke", "%7Bnot-json")
    assert set_cookie_names(client.get("/")) == {"sessionid"}


def test_deleting_an_advertising_cookie_is_always_allowed(client) -> None:
    assert set_cookie_names(client.get("/logout")) == {"_fbp"}


@pytest.fixture
def service_url(app) -> Iterator[str]:
    make_site(rules=[("_fbp", "exact", "advertising"), ("lang", "exact", "functionality")])
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def test_configured_from_the_consent_service(service_url: str) -> None:
    app = customer_app()
    app.wsgi_app = ConsentCookieFilter.from_service(app.wsgi_app, service_url, "shop")
    client = app.test_client()
    client.set_cookie("samtykke", consent_cookie({"functionality": True, "advertising": False}))
    # sessionid is not in the site's rules: the built-in catalog knows it is necessary.
    assert set_cookie_names(client.get("/")) == {"sessionid", "lang"}


def test_a_deeply_nested_consent_cookie_grants_nothing_and_breaks_nothing(client) -> None:
    client.set_cookie("samtykke", "[" * 2000 + "]" * 2000)  # fits in a cookie, not a stack
    assert set_cookie_names(client.get("/")) == {"sessionid"}


@pytest.mark.parametrize("module", sorted(Path(integrations.__file__).parent.glob("*.py")))
def test_integrations_need_only_the_standard_library(module: Path) -> None:
    """Customers copy these files into their own backends: nothing else may be needed."""
    tree = ast.parse(module.read_text(encoding="utf-8"))
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, "a relative import reaches into consent_app"
            imported.add((node.module or "").split(".")[0])
    assert imported - {"__future__"} <= sys.stdlib_module_names
