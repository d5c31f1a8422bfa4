"""`one_decimal` writes what Django's `floatformat(x, 1)` writes, in every language."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.template.defaultfilters import floatformat
from django.utils import translation
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
