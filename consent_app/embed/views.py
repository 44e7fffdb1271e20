"""Serving banner scripts with ETags, so returning visitors revalidate instead of refetch."""

from __future__ import annotations

from flask import Response, current_app, jsonify, request
from flask.typing import ResponseReturnValue

from ..api.body import client_facts
from ..api.public_schemas import BannerConfigOut
from ..services.errors import ConsentError
from ..services.sites.banner import Script, Visitor, backend_config, core_script, ui_script
from ..services.sites.profiles import get_site
from ..services.sites.texts import best_language
from ..services.visitor.geo import requires_opt_in
from ..web.errors import domain_error_response, status_of
from . import bp

JS = "text/javascript"


def _serve(script: Script, *, per_visitor: bool = False) -> Response:
    response = Response(script.body, mimetype=JS)
    response.set_etag(script.etag)
    # A script that depends on the visitor's country must not be shared by caches.
    response.cache_control.public = not per_visitor
    response.cache_control.private = per_visitor or None
    response.cache_control.max_age = current_app.config["BANNER_MAX_AGE"]
    # Any site may embed the script; it carries only public configuration.
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.make_conditional(request)
    return response


@bp.errorhandler(ConsentError)
def script_error(exc: ConsentError) -> Response:
    if request.endpoint == "embed.config":  # the JSON door answers as the API does
        return domain_error_response(exc)
    # A comment, not an exception, so a wrong key never breaks the host page.
    message = exc.message.replace("*/", "")
    body = f"/* consent banner: {exc.code}: {message} */\n"
    return Response(body, status=status_of(exc), mimetype=JS)


@bp.get("/<site_key>.js")
def core(site_key: str) -> ResponseReturnValue:
    site = get_site(site_key)
    client = client_facts()
    regional = site.region_rule != "opt_in"
    visitor = Visitor(
        gpc=client.gpc_header,
        opt_in=requires_opt_in(site.region_rule, client.country) if regional else True,
    )
    response = _serve(core_script(site, visitor), per_visitor=regional)
    response.vary.add("Sec-GPC")
    header = current_app.config.get("GEO_COUNTRY_HEADER")
    if regional and header:
        response.vary.add(header)
    return response


@bp.get("/<site_key>.json")
def config(site_key: str) -> ResponseReturnValue:
    """The banner's configuration as JSON, for server-side integrations
    (consent_app/integrations/wsgi.py). The same for every visitor."""
    document = BannerConfigOut.model_validate(backend_config(get_site(site_key)))
    response = jsonify(document.model_dump())
    response.cache_control.public = True
    response.cache_control.max_age = current_app.config["BANNER_MAX_AGE"]
    return response


@bp.get("/<site_key>/ui.js")
def ui(site_key: str) -> ResponseReturnValue:
    """The UI in the first language of `?lang=` (comma-separated, best first) we have."""
    site = get_site(site_key)
    wanted = request.args.get("lang", "")[:500].split(",")
    return _serve(ui_script(site, best_language(wanted, site.default_language)))
