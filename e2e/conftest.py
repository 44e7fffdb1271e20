"""Real-browser fixtures: the consent service on http://localhost:<port> and the demo
customer page on http://127.0.0.1:<port>, two origins, as on a real customer site.

Chromium also resolves *.samtykke.test to 127.0.0.1, so the same demo page can be served
from a host with parent domains (www.shop.samtykke.test) for the domain-variant tests.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask_migrate import upgrade
from werkzeug.serving import BaseWSGIServer

from consent_app import create_app
from consent_app.demo.host import create_demo_host
from consent_app.demo.seed import seed_demo
from consent_app.demo.serve import serve
from consent_app.extensions import db
from tests.conftest import TEST_CONFIG

from .helpers import Servers

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--host-resolver-rules=MAP *.samtykke.test 127.0.0.1",
]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def base_url() -> None:
    # Replaces pytest-playwright's fallback fixture (an instance method that pytest 9
    # deprecates); these tests build every URL from the servers they start.
    return None


def _serve(app: Flask) -> BaseWSGIServer:
    server = serve("127.0.0.1", 0, app)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture(scope="session")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Servers]:
    database = Path(tmp_path_factory.mktemp("e2e")) / "consent.db"
    app = create_app(
        {
            **TEST_CONFIG,  # its secrets and cheap password hash
            "WTF_CSRF_ENABLED": True,  # a real browser sends the forms' tokens
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}",
            "RATELIMIT_ENABLED": False,
            "GEO_COUNTRY_HEADER": "CF-IPCountry",
            # Revalidate the banner script on every page (by ETag), so a policy version
            # published during a test reaches the next page view at once.
            "BANNER_MAX_AGE": 0,
        }
    )
    service = _serve(app)
    service_url = f"http://localhost:{service.server_port}"
    host = _serve(create_demo_host(service_url))
    servers = Servers(
        app=app,
        service_url=service_url,
        host_url=f"http://127.0.0.1:{host.server_port}",
        domain_host_url=f"http://www.shop.samtykke.test:{host.server_port}",
    )
    with app.app_context():
        upgrade()
        seed_demo([servers.host_url, servers.domain_host_url])
        db.session.remove()
    yield servers
    host.shutdown()
    service.shutdown()
    with app.app_context():
        db.engine.dispose()
