"""Number and date formats in every language: `one_decimal` writes what `floatformat(x, 1)` writes;
dates put the day before the month."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.template.defaultfilters import floatformat
from django.utils import translation
from django.utils.formats import date_format
from hypothesis import example, given
from hypothesis import strategies as st

from wegweiser.core.formats import one_decimal

LANGUAGES = [code for code, _ in settings.LANGUAGES]


@pytest.mark.parametrize("lang", LANGUAGES)
@given(
    # floatformat prints numbers of more than 200 digits (1e-281, say) as they are
    value=st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False).filter(
        lambda v: v == 0 or abs(v) > 1e-100
    )
    | st.integers(min_value=0, max_value=400_000).map(lambda n: n / 200)  # ties: x.x5
)
@example(value=0.05)
@example(value=2.25)
@example(value=-0.04)
@example(value=0.0)
@example(value=1e-7)
@example(value=12.0)
@example(value=1234.56)
def test_as_floatformat(lang, value):
    with translation.override(lang):
        assert one_decimal(value) == floatformat(value, 1)


@pytest.mark.parametrize("lang", ["de", "ar", "uk", "tr", "en"])
@pytest.mark.parametrize(
    "fmt", ["SHORT_DATE_FORMAT", "SHORT_DATETIME_FORMAT", "DATETIME_FORMAT", "DATE_FORMAT"]
)
def test_dates_put_the_day_before_the_month(lang, fmt):
    """11 December: the day first in every format a page uses (Arabic date-times showed
    "12/11/2026", the American default, beside day-first short dates). Persian writes the year
    first (1405/9/20 style). English was Django's American "12/11/2026"."""
    when = dt.datetime(2026, 12, 11, 14, 5)
    with translation.override(lang):
        text = date_format(when, fmt)
        months = {date_format(when, c) for c in "mnFMEb"}  # the month as number or name
    day_at = text.index("11")
    month_at = min(text.find(m) for m in months if m in text)
    assert day_at < month_at, text


@pytest.mark.parametrize("fmt", ["SHORT_DATETIME_FORMAT", "DATETIME_FORMAT", "TIME_FORMAT"])
def test_english_times_use_the_24_hour_clock(fmt):
    with translation.override("en"):
        assert "14:05" in date_format(dt.datetime(2026, 12, 11, 14, 5), fmt)


@pytest.mark.parametrize(
    ("typed", "day"), [("11/12/2026", dt.date(2026, 12, 11)), ("2026-12-11", dt.date(2026, 12, 11))]
)
def test_english_forms_read_the_day_first(typed, day):
    from django import forms

    with translation.override("en"):
        assert forms.DateField().clean(typed) == day
