"""Serving banner scripts with ETags, so returning visitors revalidate instead of refetch."""

from __future__ import annotations

from flask import Response, current_app, request

from ..services.banner import Script, core_script, ui_script
from ..services.errors import ConsentError
from ..services.sites import get_site
from ..services.texts import best_language
from . import bp

JS = "text/javascript"


def _serve(script: Script) -> Response:
    response = Response(script.body, mimetype=JS)
    response.set_etag(script.etag)
    response.cache_control.public = True
    response.cache_control.max_age = current_app.config["BANNER_MAX_AGE"]
    # Any site may embed the script; it carries only public configuration.
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.make_conditional(request)
    return response


@bp.errorhandler(ConsentError)
def script_error(exc: ConsentError) -> Response:
    # A comment, not an exception, so a wrong key never breaks the host page.
    message = exc.message.replace("*/", "")
    body = f"/* consent banner: {exc.code}: {message} */\n"
    return Response(body, status=exc.status, mimetype=JS)


@bp.get("/<site_key>.js")
def core(site_key: str) -> Response:
    return _serve(core_script(get_site(site_key)))


@bp.get("/<site_key>/ui/<language>.js")
def ui(site_key: str, language: str) -> Response:
    site = get_site(site_key)
    return _serve(ui_script(site, best_language([language], site.default_language)))
