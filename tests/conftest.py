"""Fixtures, as in Flask's tutorial: `app` (one per database backend: SQLite always,
PostgreSQL when TEST_DATABASE_URL is set, each freshly migrated and empty), `client`,
`runner` (the app's CLI), `auth` (signs the client in and out) and the `shop` site.

TEST_CONFIG is the one place the tests' secrets are written down; tests that sign or
verify outside a request take the signing key from the app (consent_app.signing)."""

from __future__ import annotations

import contextvars
import os
import secrets
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.globals import _cv_app
from flask.testing import FlaskClient, FlaskCliRunner
from flask_migrate import upgrade
from sqlalchemy import create_engine, text

from consent_app import create_app
from consent_app.config import DEFAULT_PASSWORD_HASH_METHOD
from consent_app.extensions import db
from consent_app.models import Site
from consent_app.services.ledger.keys import generate_key
from consent_app.services.sites.profiles import forget_site_profiles
from tests.factories import AuthActions, make_site

PG_URL = os.environ.get("TEST_DATABASE_URL")
BACKENDS = ["sqlite", *(["postgresql"] if PG_URL else [])]

TEST_CONFIG = {
    "TESTING": True,
    "SECRET_KEY": "test-secret-key-0123456789abcdef0123",
    "RECEIPT_SIGNING_KEY": "test-receipt-key-0123456789abcdef012",
    "WTF_CSRF_ENABLED": False,
    # One PBKDF2 round: a test user costs microseconds instead of scrypt's tenth of a
    # second. Production refuses it; the sign-in timing test measures the real method.
    "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1",
}


def production_overrides() -> dict[str, object]:
    """What an app needs on top of TEST_CONFIG to pass production's start-up checks: secrets
    and an Ed25519 key made for this test (production refuses the published test secrets),
    one worker process, so that the in-memory rate-limit store is allowed, the origin the
    test client calls, and the real password hash."""
    return {
        "PRODUCTION": True,
        "APP_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(48),
        "RECEIPT_SIGNING_KEY": secrets.token_urlsafe(48),
        "SESSION_COOKIE_SECURE": True,
        "RECEIPT_ED25519_KEYS": generate_key()[1],
        "WEB_CONCURRENCY": 1,
        "SERVICE_ORIGIN": "http://localhost",
        "PASSWORD_HASH_METHOD": DEFAULT_PASSWORD_HASH_METHOD,
    }


class IsolatedClient(FlaskClient):
    """Runs each request in its own app context, as production does, even while the test
    holds one open for its own queries. Otherwise the request would reuse the test's
    context and share its `g` (locale, signed-in user) and database session."""

    def open(self, *args: Any, **kwargs: Any) -> Any:
        def without_test_context() -> Any:
            _cv_app.set(None)  # type: ignore[arg-type]
            return super(IsolatedClient, self).open(*args, **kwargs)

        return contextvars.copy_context().run(without_test_context)


def make_app(database_url: str, **overrides: object) -> Flask:
    app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": database_url, **overrides})
    app.test_client_class = IsolatedClient
    return app


def migrate_to_head(database_url: str) -> None:
    app = make_app(database_url)
    with app.app_context():
        upgrade()
        db.engine.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One migrated SQLite file, copied for each test (much faster than migrating each)."""
    path = tmp_path_factory.mktemp("template") / "consent.db"
    migrate_to_head(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def postgres_url() -> str:
    """The PostgreSQL test database, emptied and migrated once per session."""
    assert PG_URL
    engine = create_engine(PG_URL)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    migrate_to_head(PG_URL)
    return PG_URL


def _truncate_all(app: Flask) -> None:
    with app.app_context():
        tables = ", ".join(t.name for t in db.metadata.sorted_tables)
        with db.engine.begin() as conn:
            conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))


def fresh_database(request: pytest.FixtureRequest, backend: str, directory: Path) -> str:
    """A migrated, empty database: a copy of the SQLite template in `directory`, or the
    session's PostgreSQL database (emptied again by running_app when done)."""
    if backend == "sqlite":
        path = directory / "consent.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        return f"sqlite:///{path}"
    return str(request.getfixturevalue("postgres_url"))


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    return fresh_database(request, request.param, tmp_path)


@contextmanager
def running_app(database_url: str, **overrides: object) -> Iterator[Flask]:
    """An app with its context pushed; afterwards its rows are gone and its pool closed."""
    app = make_app(database_url, **overrides)
    with app.app_context():
        yield app
        db.session.remove()
    if database_url.startswith("postgresql"):
        _truncate_all(app)  # ids restart, so cached site profiles must go too
        forget_site_profiles()
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def app(database_url: str) -> Iterator[Flask]:
    with running_app(database_url) as app:
        yield app


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    return app.test_cli_runner()


@pytest.fixture
def auth(client: FlaskClient) -> AuthActions:
    """`auth.login("marketer")` (or a User), `auth.logout()`, for the `client` fixture."""
    return AuthActions(client)


@pytest.fixture
def shop(app: Flask) -> Site:
    """The `shop` site of tests/factories.py (origins, three categories, policy "1").
    A module whose every test needs it says `pytestmark = pytest.mark.usefixtures("shop")`."""
    return make_site()
