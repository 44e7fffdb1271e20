"""Samtykke: a cookie consent manager with signed, verifiable consent receipts."""

from __future__ import annotations

import os
from typing import Any

from flask import Flask, redirect, url_for
from sqlalchemy import event
from werkzeug.middleware.proxy_fix import ProxyFix

from .config import PROJECT_ROOT, derived_settings, load_config
from .config_checks import check_configuration
from .extensions import babel, csrf, db, limiter, login_manager, migrate
from .signing import install_keyring
from .web.i18n import select_locale


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # WAL lets readers work while a writer commits; foreign keys are off by default.
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.close()


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Application factory. `config` overrides what the environment says (tests use it)."""
    app = Flask(
        __name__,
        instance_relative_config=True,
        static_folder=str(PROJECT_ROOT / "static"),
        static_url_path="/static",
    )
    os.makedirs(app.instance_path, exist_ok=True)
    app.config.update(load_config(app.instance_path))
    app.config.update(config or {})
    check_configuration(app.config)
    app.config.update(derived_settings(app.config))
    install_keyring(app)

    proxies = int(app.config["TRUSTED_PROXY_COUNT"])
    if proxies:
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies
        )

    db.init_app(app)
    migrate.init_app(app, db, directory=str(app.config.get("MIGRATIONS_DIR", _migrations_dir())))
    babel.init_app(app, locale_selector=select_locale)
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    with app.app_context():
        event.listen(db.engine, "connect", _sqlite_pragmas)

    from . import admin, api, audit, auth, dashboard, embed, main, visitor, wellknown
    from .web.navigation import RowId

    app.url_map.converters["int"] = RowId

    app.register_blueprint(main.bp)
    app.register_blueprint(dashboard.bp)
    app.register_blueprint(admin.bp)
    app.register_blueprint(auth.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(embed.bp)
    app.register_blueprint(wellknown.bp)
    app.register_blueprint(audit.bp)
    app.register_blueprint(visitor.bp)
    # The API is called cross-origin by the banner with JSON, not by forms with cookies.
    csrf.exempt(api.bp)

    from . import cli

    cli.register(app)

    from . import web

    web.init_app(app)

    @app.get("/favicon.ico")
    def favicon() -> Any:
        # Browsers ask for this path on pages that name no icon (JSON, the receipts API).
        return redirect(url_for("static", filename="favicon.svg"), 301)

    @app.get("/healthz")
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    return app


def _migrations_dir() -> str:
    return os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "migrations")
