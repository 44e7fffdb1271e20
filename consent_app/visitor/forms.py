from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SubmitField
from wtforms.validators import DataRequired


class WithdrawForm(FlaskForm):
    submit = SubmitField(_l("Withdraw my consent"))


class EraseForm(FlaskForm):
    confirm = BooleanField(
        _l("I understand that my receipts can then no longer show what I chose"),
        validators=[DataRequired(message=_l("Tick the box to confirm the erasure."))],
    )
    submit = SubmitField(_l("Erase my data"))
