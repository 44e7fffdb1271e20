"""Users and their roles."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from ..extensions import db
from ..models import User
from ..services.accounts.users import add_user, all_users, update_user
from ..services.errors import ConsentError
from ..web.labels import ROLE_LABELS
from . import bp
from .common import actor, admin_only, show_error
from .forms import NewUserForm, UserForm


@bp.route("/users", methods=["GET", "POST"])
@admin_only
def users() -> ResponseReturnValue:
    form = NewUserForm()
    if form.validate_on_submit():
        try:
            user = add_user(
                actor(), form.email.data or "", form.password.data or "", form.role.data
            )
        except ConsentError as error:
            show_error(form, error)
        else:
            flash(_("User %(email)s created.", email=user.email))
            return redirect(url_for("admin.users"))
    return render_template(
        "admin/users.html", users=all_users(), form=form, role_labels=ROLE_LABELS
    ), (400 if form.errors else 200)


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@admin_only
def user(user_id: int) -> ResponseReturnValue:
    found = db.session.get(User, user_id)
    if found is None:
        abort(404)
    form = UserForm(data={"role": found.role, "active": "1" if found.active else "0"})
    if form.validate_on_submit():
        try:
            changed = update_user(
                actor(), found, role=form.role.data, active=form.active.data == "1"
            )
        except ConsentError as error:
            show_error(form, error)
        else:
            flash(_("Saved.") if changed else _("Nothing changed."))
            return redirect(url_for("admin.users"))
    return render_template("admin/user.html", user=found, form=form), (400 if form.errors else 200)
