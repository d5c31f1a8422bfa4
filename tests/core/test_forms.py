"""Digits of any script, and the postcode field every form uses."""

from __future__ import annotations

import unicodedata

import pytest
from django import forms
from hypothesis import given
from hypothesis import strategies as st

from wegweiser.core.forms import PostcodeField, ascii_digits

#: The zero of the digits people type here: Arabic-Indic (Arabic keyboards), Extended
#: Arabic-Indic (Persian/Dari keyboards), full-width, Devanagari.
ZEROS = (0x0660, 0x06F0, 0xFF10, 0x0966)


@given(st.text(alphabet="0123456789", min_size=1, max_size=12), st.sampled_from(ZEROS))
def test_every_scripts_digits_become_0_to_9(digits, zero):
    typed = "".join(chr(zero + int(d)) for d in digits)
    assert typed != digits
    assert ascii_digits(typed) == digits


@given(st.text(st.characters(exclude_categories=("Nd",))))
def test_everything_else_stays_as_it_is(text):
    assert ascii_digits(text) == text


@given(st.text(alphabet=st.characters(categories=("Nd",), max_codepoint=0xFFFF)))
def test_only_ascii_digits_come_out(text):
    out = ascii_digits(text)
    assert all("0" <= c <= "9" for c in out)
    assert [unicodedata.decimal(c) for c in text] == [int(c) for c in out]


@pytest.mark.parametrize(
    ("typed", "clean"),
    [
        ("63450", "63450"),
        (" 63450 ", "63450"),
        ("٦٣٤٥٠", "63450"),  # Arabic
        ("۶۳۴۵۰", "63450"),  # Persian, Dari
        ("６３４５０", "63450"),  # full-width
        ("", ""),
    ],
)
def test_a_postcode_in_any_digits_is_cleaned_to_five_digits(typed, clean):
    assert PostcodeField(required=False).clean(typed) == clean


@pytest.mark.parametrize(
    ("typed", "code", "message"),
    [
        ("6345", "invalid", "genau fünf Ziffern"),
        ("634500", "invalid", "genau fünf Ziffern"),
        ("6345a", "invalid", "genau fünf Ziffern"),
        ("99999", "unknown", "Die Postleitzahl 99999 kennen wir nicht"),
        ("٩٩٩٩٩", "unknown", "Die Postleitzahl 99999 kennen wir nicht"),
    ],
)
def test_a_postcode_that_is_none_or_unknown_is_refused(typed, code, message):
    with pytest.raises(forms.ValidationError) as refused:
        PostcodeField().clean(typed)
    assert refused.value.code == code
    assert message in refused.value.messages[0]


def test_required_means_required():
    with pytest.raises(forms.ValidationError) as refused:
        PostcodeField().clean("  ")
    assert refused.value.code == "required"
