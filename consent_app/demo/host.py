"""A customer's website for demonstrations and end-to-end tests: served on another origin
than the consent service, it embeds the banner with one script tag, exactly as a customer
would, and carries the kinds of tags a real site has: an advertising tag, a functionality
script, a tracker that keeps trying to set cookies, and an embedded video frame."""

from __future__ import annotations

import secrets

from flask import Flask, Response, render_template, request


def create_demo_host(service_url: str, site_key: str = "demo") -> Flask:
    app = Flask(__name__)
    app.config["SERVICE_URL"] = service_url.rstrip("/")
    app.config["SITE_KEY"] = site_key

    def page(**context: object) -> str:
        return render_template(
            "index.html",
            service=app.config["SERVICE_URL"],
            site=request.args.get("site", app.config["SITE_KEY"]),
            lang=request.args.get("lang", "en"),
            data_lang=request.args.get("data-lang"),
            **context,
        )

    @app.get("/")
    @app.get("/shop/<path:subpage>")
    def index(subpage: str = "") -> str:
        return page(nonce=None)

    @app.get("/strict")
    def strict() -> Response:
        """The same page under a strict Content-Security-Policy with a nonce: no inline
        script or style without it, scripts only from here and the consent service."""
        nonce = secrets.token_urlsafe(16)
        service = app.config["SERVICE_URL"]
        response = Response(page(nonce=nonce))
        response.headers["Content-Security-Policy"] = (
            f"default-src 'self'; script-src 'nonce-{nonce}' 'self' {service}; "
            f"style-src 'self'; connect-src 'self' {service}; frame-src 'self'; "
            "img-src 'self'; object-src 'none'; base-uri 'none'"
        )
        return response

    @app.get("/bare")
    def bare() -> str:
        """Nothing but the banner: to see what the script itself adds to a page."""
        with_banner = request.args.get("banner", "1") == "1"
        return render_template(
            "bare.html",
            service=app.config["SERVICE_URL"],
            site=app.config["SITE_KEY"],
            with_banner=with_banner,
        )

    @app.get("/favicon.ico")
    def favicon() -> tuple[str, int]:
        return "", 204

    return app
