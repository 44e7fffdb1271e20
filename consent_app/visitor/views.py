"""Thin views over services/visitor.py. The banner's form POST opens the page; the signed,
short-lived token naming the site and subject then lives in the service's session cookie,
never in a URL (URLs end up in logs, history and Referer headers). Every form that
changes something also carries a CSRF token."""

from __future__ import annotations

import json

from flask import (
    Response,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from flask_babel import gettext as _

from ..extensions import configured_limit, csrf, limiter
from ..services.errors import ConsentError
from ..services.sites.profiles import get_site, site_profile
from ..services.visitor import self_service as visitors
from ..services.visitor.devices import device_class
from ..signing import hmac_key, keyring
from ..web.errors import status_of
from ..web.i18n import ui_languages
from . import bp
from .forms import EraseForm, WithdrawForm


@bp.errorhandler(ConsentError)
def visitor_problem(exc: ConsentError) -> ResponseReturnValue:
    return render_template(
        "visitor/problem.html", error=exc, link_minutes=_link_minutes()
    ), status_of(exc)


def _link_minutes() -> int:
    return max(int(current_app.config["MY_CONSENT_LINK_SECONDS"]) // 60, 1)


# The link lives in a cookie of its own, for this door's paths only, not in the console's
# session: the banner opens the page with a cross-site POST, which carries no cookies, so
# writing the session there would replace (sign out) a console user's session.
LINK_COOKIE = "samtykke_my_consent"
# Per client address on each of the door's POSTs (open, withdraw, erase).
door_limit = limiter.limit(configured_limit("MY_CONSENT_RATE_LIMIT"), methods=["POST"])


def _link() -> str | None:
    return request.cookies.get(LINK_COOKIE)


def _visitor() -> visitors.VisitorKey:
    token = _link()
    if not token:
        raise visitors.InvalidLink("this page needs the link the cookie banner opens")
    max_age = int(current_app.config["MY_CONSENT_LINK_SECONDS"])
    return visitors.read_link(current_app.config["SECRET_KEY"], token, max_age)


@bp.before_request
def speak_the_banners_language() -> None:
    """The page speaks the language the banner spoke (kept in the link)."""
    try:
        g.page_language = _visitor().language
    except ConsentError:
        g.page_language = None


@bp.post("/open")
# Posted cross-site by the banner's modal, so no CSRF token: the visitor secret in the
# body is what proves the request comes from the visitor's own banner.
@csrf.exempt
@door_limit
def open_page() -> ResponseReturnValue:
    language = request.form.get("lang", "")
    token = visitors.open_link(
        current_app.config["SECRET_KEY"],
        request.form.get("site", ""),
        request.form.get("subject_id", ""),
        request.form.get("visitor_secret", ""),
        # A way back to the page the visitor came from, when the site allows that origin.
        came_from=request.headers.get("Origin"),
        language=language if language in {tag for tag, _name in ui_languages()} else None,
    )
    response = redirect(url_for("visitor.page"), code=303)
    response.set_cookie(
        LINK_COOKIE,
        token,
        max_age=int(current_app.config["MY_CONSENT_LINK_SECONDS"]),
        path=url_for("visitor.page"),
        secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")),
        httponly=True,
        samesite="Lax",
    )
    return response


def _render_page(erase_form: EraseForm | None = None, status: int = 200) -> ResponseReturnValue:
    visitor = _visitor()
    receipts = visitors.subject_receipts(visitor)
    return (
        render_template(
            "visitor/page.html",
            visitor=visitor,
            site=get_site(visitor.site),
            controller=site_profile(visitor.site).controller,
            back_to=visitor.back_to,
            link_minutes=_link_minutes(),
            receipts=receipts,
            withdraw_form=WithdrawForm(),
            erase_form=erase_form or EraseForm(),
        ),
        status,
    )


@bp.get("")
def page() -> ResponseReturnValue:
    return _render_page()


@bp.get("/download")
def download() -> Response:
    visitor = _visitor()
    body = json.dumps(visitors.portable_receipts(visitor), ensure_ascii=False, indent=2)
    response = Response(body, mimetype="application/json")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="consent-receipts-{visitor.site}.json"'
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/withdraw")
@door_limit
def withdraw() -> ResponseReturnValue:
    form = WithdrawForm()
    if not form.validate_on_submit():
        raise visitors.InvalidLink("the form was not valid; open the page again")
    visitor = _visitor()
    visitors.withdraw(
        visitor,
        # Signed into the receipt: the configured origin, never a Host header a client chose.
        service_origin=current_app.config["SERVICE_ORIGIN"] or request.host_url.rstrip("/"),
        signing_key=hmac_key(),
        keyring=keyring(),
        language=str(get_locale()),
        device_class=device_class(request.user_agent.string),
    )
    flash(_("Your consent is withdrawn. The site will stop using optional cookies."))
    return redirect(url_for("visitor.page"), code=303)


@bp.post("/erase")
@door_limit
def erase() -> ResponseReturnValue:
    form = EraseForm()
    if not form.validate_on_submit():
        return _render_page(erase_form=form, status=400)
    erasure = visitors.erase(_visitor(), signing_key=hmac_key())
    return render_template("visitor/erased.html", erasure=erasure)


@bp.get("/withdraw")
@bp.get("/erase")
def back_to_page() -> ResponseReturnValue:
    # Reloading the address a form posted to lands here: show the page again.
    return redirect(url_for("visitor.page"), code=303)
