"""The dashboard's filter forms. They are read-only GET forms: the figures they select
change nothing, so they carry no CSRF token, which also keeps every view a plain URL that
can be bookmarked and shared."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, ValidationError
from wtforms.validators import InputRequired

from ..services.stats.figures import MAX_DAYS

DEFAULT_DAYS = 30


def _today() -> datetime:
    return datetime.now(UTC)


class PeriodForm(FlaskForm):
    class Meta:
        csrf = False

    site = SelectField(_l("Site"), choices=[], validators=[InputRequired()])
    start = DateField(_l("From"), validators=[InputRequired(_l("Enter a date."))])
    end = DateField(_l("To"), validators=[InputRequired(_l("Enter a date."))])

    @classmethod
    def defaults(cls) -> dict[str, object]:
        today = _today().date()
        return {"start": today - timedelta(days=DEFAULT_DAYS - 1), "end": today}

    def validate_end(self, field: DateField) -> None:
        if not self.start.data or not field.data:
            return
        if field.data < self.start.data:
            raise ValidationError(_l("The end date must not be before the start date."))
        if (field.data - self.start.data).days + 1 > MAX_DAYS:
            raise ValidationError(_l("Choose at most %(days)d days.", days=MAX_DAYS))


class OverviewForm(PeriodForm):
    policy = SelectField(_l("Policy version"), choices=[], default="")
    by = SelectField(_l("Break down by"), choices=[], default="day")


class CompareForm(PeriodForm):
    first = SelectField(_l("Policy version"), choices=[], validators=[InputRequired()])
    second = SelectField(_l("Compared with"), choices=[], validators=[InputRequired()])

    def validate_second(self, field: SelectField) -> None:
        if field.data == self.first.data:
            raise ValidationError(_l("Choose two different versions."))
