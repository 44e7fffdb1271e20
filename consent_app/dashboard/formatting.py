"""Numbers, rates and dates on the pages, formatted by Babel for the reader's locale."""

from __future__ import annotations

from datetime import date
from functools import lru_cache

from babel import Locale
from babel.dates import format_skeleton
from babel.numbers import NumberPattern, parse_pattern
from flask_babel import format_decimal, get_locale
from flask_babel import gettext as _

NO_VALUE = "\u2013"  # an en dash: no rate without a denominator


def number(value: int | float | None) -> str:
    return NO_VALUE if value is None else format_decimal(value)


@lru_cache(maxsize=16)
def _percent_pattern(locale: Locale) -> NumberPattern:
    pattern = parse_pattern(locale.percent_formats[None].pattern)
    pattern.frac_prec = (1, 1)
    return pattern


def percent(value: float | None) -> str:
    """A rate with one decimal, in the locale's own percent pattern (12.3% / 12,3 %)."""
    if value is None:
        return NO_VALUE
    locale = get_locale()
    return str(_percent_pattern(locale).apply(value, locale))


def points(value: float | None) -> str:
    """A difference of two rates, in percentage points with its sign."""
    if value is None:
        return NO_VALUE
    return str(_("%(value)s points", value=format_decimal(value * 100, "+#,##0.0;-#,##0.0")))


def short_day(day: date) -> str:
    return format_skeleton("MMMd", day, locale=get_locale())


def cell(value: int | float | None, kind: str) -> str:
    return {"count": number, "rate": percent, "points": points}[kind](value)
