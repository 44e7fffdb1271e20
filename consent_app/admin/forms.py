"""The admin console's forms. Every one is a Flask-WTF form with a CSRF token; the
services validate again, so a form is a convenience, never the only check."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    IntegerField,
    PasswordField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, InputRequired, Length, NumberRange, Regexp

from ..services.shapes import CATEGORY_SLUG, POLICY_LABEL, SITE_KEY
from ..services.sites.admin import MAX_LIFETIME_DAYS
from ..web.labels import ROLE_LABELS


def options(labels: dict[str, Any]) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in labels.items()]


REGION_RULE_LABELS = {
    "opt_in": _l("Ask first everywhere"),
    "opt_in_eea": _l("Ask first in the EEA, the UK and Switzerland only"),
}
MATCH_LABELS = {
    "exact": _l("Exact name"),
    "prefix": _l("Name prefix"),
    "regex": _l("Regular expression"),
}


class SiteForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    controller = StringField(
        _l("Data controller"),
        validators=[Length(max=200)],
        description=_l("The legal entity named on receipts; the name is used when empty."),
    )
    origins = TextAreaField(
        _l("Allowed origins"),
        validators=[DataRequired()],
        description=_l("One per line, like https://shop.example (scheme, host and port)."),
    )
    default_language = SelectField(_l("Default language"), choices=[])
    consent_lifetime_days = IntegerField(
        _l("Consent lifetime (days)"),
        validators=[InputRequired(), NumberRange(1, MAX_LIFETIME_DAYS)],
        description=_l("After this, visitors are asked again (at most 13 months)."),
    )
    region_rule = SelectField(
        _l("Region rule"),
        choices=options(REGION_RULE_LABELS),
        description=_l(
            "With the second choice, visitors known to be outside those countries get "
            "optional categories switched on and a banner that only informs."
        ),
    )
    reopen_button = BooleanField(_l("Show a button that reopens the cookie settings"))
    google_consent_mode = BooleanField(_l("Send Google Consent Mode signals"))
    unknown_cookie_policy = SelectField(
        _l("Unknown cookies"),
        choices=[],
        description=_l("Cookies no rule knows are treated as this category."),
    )
    submit = SubmitField(_l("Save"))


class NewSiteForm(SiteForm):
    key = StringField(
        _l("Key"),
        validators=[
            DataRequired(),
            Regexp(SITE_KEY, message=_l("Letters, digits, - and _ only.")),
        ],
        description=_l("Public: it appears in the script URL. It cannot be changed later."),
    )
    submit = SubmitField(_l("Create site"))


class CategoryForm(FlaskForm):
    slug = StringField(
        _l("New category"),
        validators=[
            DataRequired(),
            Regexp(
                CATEGORY_SLUG,
                message=_l("A lower-case letter, then letters, digits, - or _."),
            ),
        ],
    )
    submit = SubmitField(_l("Add category"))


class ButtonForm(FlaskForm):
    """A form that is only a button (delete, dismiss): its CSRF token is the point."""

    submit = SubmitField(_l("Delete"))


class RuleForm(FlaskForm):
    pattern = StringField(_l("Cookie name"), validators=[DataRequired(), Length(max=255)])
    match = SelectField(_l("Match"), choices=options(MATCH_LABELS))
    category = SelectField(_l("Category"), choices=[], validators=[DataRequired()])
    domain = StringField(_l("Domain"), validators=[Length(max=255)])
    provider = StringField(_l("Provider"), validators=[Length(max=200)])
    purpose = TextAreaField(_l("Purpose"), validators=[Length(max=2000)])
    duration = StringField(_l("Duration"), validators=[Length(max=100)])
    submit = SubmitField(_l("Add rule"))


class LookupForm(FlaskForm):
    class Meta:
        csrf = False  # a read-only GET search

    name = StringField(_l("Cookie name"), validators=[DataRequired(), Length(max=255)])


class ClassifyForm(FlaskForm):
    category = SelectField(_l("Category"), choices=[])
    classify = SubmitField(_l("Add rule"))
    dismiss = SubmitField(_l("Dismiss"))


class PublishForm(FlaskForm):
    label = StringField(
        _l("Version"),
        validators=[
            DataRequired(),
            Regexp(POLICY_LABEL, message=_l("Letters, digits, '.', '-' and '_' (at most 32).")),
        ],
    )
    kind = RadioField(
        _l("Kind"),
        choices=options(
            {
                "minor": _l("Minor: new receipts name it, earlier choices stay valid"),
                "major": _l("Major: every visitor is asked again"),
            }
        ),
        default="minor",
    )
    submit = SubmitField(_l("Publish"))


class NewUserForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[DataRequired(), Email(), Length(max=254)])
    role = SelectField(_l("Role"), choices=options(ROLE_LABELS))
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(), Length(min=12, max=200)],
        description=_l("At least 12 characters. Give it to the user in person."),
    )
    submit = SubmitField(_l("Create user"))


class UserForm(FlaskForm):
    role = SelectField(_l("Role"), choices=options(ROLE_LABELS))
    active = SelectField(
        _l("Sign-in"), choices=options({"1": _l("Allowed"), "0": _l("Blocked")}), default="1"
    )
    submit = SubmitField(_l("Save"))
