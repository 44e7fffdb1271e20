"""A customer's website for demonstrations and end-to-end tests: served on another origin
than the consent service, it embeds the banner with one script tag, exactly as a customer
would, and carries an advertising script and a functionality script to be governed."""

from __future__ import annotations

from flask import Flask, render_template


def create_demo_host(service_url: str, site_key: str = "demo") -> Flask:
    app = Flask(__name__)
    app.config["SERVICE_URL"] = service_url.rstrip("/")
    app.config["SITE_KEY"] = site_key

    @app.get("/")
    def index() -> str:
        return render_template(
            "index.html", service=app.config["SERVICE_URL"], site=app.config["SITE_KEY"]
        )

    @app.get("/favicon.ico")
    def favicon() -> tuple[str, int]:
        return "", 204

    return app
