from __future__ import annotations

from flask import redirect, render_template, session, url_for
from flask.typing import ResponseReturnValue
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField

from ..web.i18n import ui_languages
from ..web.navigation import safe_next
from . import bp


class LanguageForm(FlaskForm):
    language = SelectField(choices=[])
    next = HiddenField()


@bp.get("/")
def index() -> ResponseReturnValue:
    return render_template("main/index.html")


@bp.post("/language")
def set_language() -> ResponseReturnValue:
    form = LanguageForm()
    form.language.choices = [(tag, name) for tag, name in ui_languages()]
    if form.validate_on_submit():
        session["ui_language"] = form.language.data
    return redirect(safe_next(form.next.data) or url_for("main.index"))
