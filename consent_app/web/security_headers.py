"""Security headers on every response, set in one place.

Flask-Talisman writes the Content-Security-Policy with a fresh nonce per request (the
`csp_nonce()` template global), X-Frame-Options, Referrer-Policy, nosniff and a
Permissions-Policy. Our pages load scripts and styles only from this origin and carry no
inline handler or style attribute; anything inline must carry the request's nonce.

Talisman's HTTPS redirect and HSTS are off: both believe any client's X-Forwarded-Proto.
HSTS is set here instead, from `request.is_secure`, which trusts X-Forwarded-Proto only
behind TRUSTED_PROXY_COUNT proxies (werkzeug's ProxyFix). The session cookie's flags are
settings (config.py), so Talisman is told to leave them alone.

The same headers go on the banner scripts (/c/...) and the JSON API: nosniff matters most
there, and a CSP or frame policy on a script or JSON response does not change how a
customer page embeds or fetches it; CORS and caching headers are left untouched.
"""

from __future__ import annotations

from flask import Flask, Response, request
from flask_talisman import DENY

from ..extensions import talisman

CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "object-src": "'none'",
    "base-uri": "'none'",
    "form-action": "'self'",
    # Neither the console nor /my-consent may be framed (clickjacking).
    "frame-ancestors": "'none'",
}
# Our own URLs carry searches (subject ids at /audit?...): other origins get none of it.
REFERRER_POLICY = "same-origin"
HSTS = "max-age=31536000; includeSubDomains"


def _strict_transport_security(response: Response) -> Response:
    if request.is_secure:
        response.headers["Strict-Transport-Security"] = HSTS
    return response


def install(app: Flask) -> None:
    talisman.init_app(
        app,
        content_security_policy=CONTENT_SECURITY_POLICY,
        content_security_policy_nonce_in=["script-src", "style-src"],
        frame_options=DENY,
        referrer_policy=REFERRER_POLICY,
        force_https=False,
        strict_transport_security=False,
        session_cookie_secure=False,
        session_cookie_http_only=app.config["SESSION_COOKIE_HTTPONLY"],
        session_cookie_samesite=app.config["SESSION_COOKIE_SAMESITE"],
    )
    app.after_request(_strict_transport_security)
