from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from ..extensions import configured_limit, limiter, login_manager
from ..models import User
from ..services.accounts.users import authenticate, change_password, end_sessions, user_for_session
from ..services.errors import ConsentError
from ..web.navigation import safe_next
from . import bp
from .forms import ChangePasswordForm, LoginForm, LogoutForm

HOME_BY_ROLE = {"admin": "admin.sites", "marketer": "dashboard.overview", "auditor": "audit.search"}


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    return user_for_session(user_id)


def _start_session(user: User) -> None:
    login_user(user)
    # Permanent, so Flask renews the cookie on every request and it ends after
    # PERMANENT_SESSION_LIFETIME without one: an idle console signs itself out.
    session.permanent = True


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(configured_limit("LOGIN_RATE_LIMIT"), methods=["POST"])
def login() -> ResponseReturnValue:
    if current_user.is_authenticated:
        return redirect(url_for(HOME_BY_ROLE[current_user.role]))
    form = LoginForm()
    if form.validate_on_submit():
        user = authenticate(
            form.email.data or "",
            form.password.data or "",
            allow_demo_users=not current_app.config["PRODUCTION"],
        )
        if user is None:
            form.password.errors.append(_("Wrong email or password."))
        else:
            _start_session(user)
            return redirect(safe_next(request.args.get("next")) or url_for(HOME_BY_ROLE[user.role]))
    status = 200 if not form.errors else 400
    return render_template("auth/login.html", form=form), status


@bp.post("/logout")
def logout() -> ResponseReturnValue:
    if LogoutForm().validate_on_submit():
        if current_user.is_authenticated:
            end_sessions(current_user._get_current_object())
        logout_user()
        flash(_("You are signed out."))
    return redirect(url_for("auth.login"))


@bp.route("/password", methods=["GET", "POST"])
@login_required
# Per client address, like sign-in: each try checks the current password (an scrypt).
@limiter.limit(configured_limit("PASSWORD_RATE_LIMIT"), methods=["POST"])
def password() -> ResponseReturnValue:
    form = ChangePasswordForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        try:
            change_password(user, form.current_password.data or "", form.new_password.data or "")
        except ConsentError as error:
            field = getattr(form, str(error.details.get("field")), form.new_password)
            field.errors = [*field.errors, error.message]
        else:
            _start_session(user)  # this browser goes on with the new session version
            flash(_("Your password is changed. Your other sessions are signed out."))
            return redirect(url_for(HOME_BY_ROLE[user.role]))
    return render_template("auth/password.html", form=form), (400 if form.errors else 200)
