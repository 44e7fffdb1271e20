from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from ..extensions import limiter, login_manager
from ..models import User
from ..services.users import authenticate, get_user
from . import bp
from .forms import LoginForm, LogoutForm

HOME_BY_ROLE = {"admin": "admin.sites", "marketer": "dashboard.overview", "auditor": "audit.search"}


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    return get_user(int(user_id)) if user_id.isdigit() else None


def _safe_next(target: str | None) -> str | None:
    # Only same-site paths: an open redirect after sign-in would help phishing.
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(
    lambda: current_app.config.get("LOGIN_RATE_LIMIT", "10 per minute"), methods=["POST"]
)
def login() -> ResponseReturnValue:
    if current_user.is_authenticated:
        return redirect(url_for(HOME_BY_ROLE[current_user.role]))
    form = LoginForm()
    if form.validate_on_submit():
        user = authenticate(form.email.data or "", form.password.data or "")
        if user is None:
            form.password.errors.append(_("Wrong email or password."))
        else:
            login_user(user)
            return redirect(
                _safe_next(request.args.get("next")) or url_for(HOME_BY_ROLE[user.role])
            )
    status = 200 if not form.errors else 400
    return render_template("auth/login.html", form=form), status


@bp.post("/logout")
def logout() -> ResponseReturnValue:
    if LogoutForm().validate_on_submit():
        logout_user()
        flash(_("You are signed out."))
    return redirect(url_for("auth.login"))
