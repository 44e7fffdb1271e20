from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField
from wtforms.validators import Optional, Regexp, ValidationError

from ..models import ACTIONS

RECEIPT_ID = r"^[0-9A-Za-z]{26}$"


class SearchForm(FlaskForm):
    """Read-only search sent with GET, so its URL can be bookmarked and paginated; it
    changes nothing, which is why it carries no CSRF token."""

    class Meta:
        csrf = False

    subject_id = StringField(
        _l("Subject id"),
        validators=[Optional(), Regexp(r"^[A-Za-z0-9_-]{1,64}$", message=_l("Not a subject id."))],
    )
    receipt_id = StringField(
        _l("Receipt id"),
        validators=[
            Optional(),
            Regexp(RECEIPT_ID, message=_l("A receipt id has 26 letters and digits.")),
        ],
    )
    site = SelectField(_l("Site"), choices=[], default="")
    action = SelectField(_l("Action"), choices=[], default="")
    since = DateField(_l("From"), validators=[Optional()])
    until = DateField(_l("To"), validators=[Optional()])

    def validate_until(self, field: DateField) -> None:
        if field.data and self.since.data and field.data < self.since.data:
            raise ValidationError(_l("The end date is before the start date."))

    def fill_choices(self, site_keys: list[str], action_labels: dict[str, object]) -> None:
        self.site.choices = [("", _l("All sites")), *((k, k) for k in site_keys)]
        self.action.choices = [("", _l("All actions")), *((a, action_labels[a]) for a in ACTIONS)]
