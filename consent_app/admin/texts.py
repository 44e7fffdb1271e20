"""Banner texts per language: a site's own wording over the gettext catalogs."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import Length

from ..services.errors import ConsentError
from ..services.sites.texts import BANNER_TEXTS, available_languages, language_name
from ..services.sites.wording import (
    DEFAULT_MAX_LENGTH,
    MAX_TEXT_LENGTH,
    banner_text_overrides,
    set_banner_texts,
)
from . import bp
from .common import actor, admin_only, show_error, site_or_404

# What each banner text is, for the admin (a text added to BANNER_TEXTS later shows its key).
TEXT_LABELS = {
    "title": _l("Banner title"),
    "body": _l("Banner text"),
    "accept_all": _l("Button: accept all"),
    "reject_all": _l("Button: reject all"),
    "customize": _l("Button: customize"),
    "save": _l("Button: save choices"),
    "settings_title": _l("Settings title"),
    "settings_body": _l("Settings text"),
    "always_on": _l("Label: always on"),
    "close": _l("Button: close"),
    "reopen": _l("Button: open the settings again"),
    "cookie_name": _l("Cookie table: name"),
    "cookie_provider": _l("Cookie table: provider"),
    "cookie_purpose": _l("Cookie table: purpose"),
    "cookie_duration": _l("Cookie table: duration"),
    "cookies_used": _l("Cookie table: heading"),
    "language": _l("Label: language"),
    "my_consent": _l("Link: the visitor's own consent page"),
    "gpc_note": _l("Note shown when the browser sends Global Privacy Control"),
    "blocked": _l("Blocked embed: message (%(category)s is the category's name)"),
    "allow": _l("Blocked embed: button"),
    "session": _l("Cookie table: duration of a session cookie"),
}


def _texts_form(language: str) -> type[FlaskForm]:
    """One field per banner text; its placeholder is the catalog's text in `language`."""

    class BannerTextsForm(FlaskForm):
        pass

    with force_locale(language.replace("-", "_")):
        defaults = {key: str(text) for key, text in BANNER_TEXTS.items()}
    for key, default in defaults.items():
        limit = MAX_TEXT_LENGTH.get(key, DEFAULT_MAX_LENGTH)
        kind = TextAreaField if limit > DEFAULT_MAX_LENGTH else StringField
        label = TEXT_LABELS.get(key, key)
        field = kind(label, [Length(max=limit)], render_kw={"placeholder": default})
        setattr(BannerTextsForm, key, field)
    return BannerTextsForm


@bp.route("/sites/<site_key>/texts/<language>", methods=["GET", "POST"])
@admin_only
def texts(site_key: str, language: str) -> ResponseReturnValue:
    site = site_or_404(site_key)
    if language not in available_languages():
        abort(404)
    form = _texts_form(language)(data=banner_text_overrides(site, language))
    if form.validate_on_submit():
        try:
            changed = set_banner_texts(
                actor(), site, language, {k: form[k].data or "" for k in BANNER_TEXTS}
            )
        except ConsentError as error:
            show_error(form, error)
        else:
            flash(
                _("Saved. Publish a policy version so that receipts name the new words.")
                if changed
                else _("Nothing changed.")
            )
            return redirect(url_for("admin.texts", site_key=site.key, language=language))
    languages = [(tag, language_name(tag)) for tag in available_languages()]
    return render_template(
        "admin/texts.html", site=site, form=form, language=language, languages=languages
    ), (400 if form.errors else 200)
