"""The self-check's postcode: cleaned by the platform's postcode field, with its own message for
an empty answer."""

from __future__ import annotations

import pytest
from django import forms

from wegweiser.public.forms import clean_postcode


@pytest.mark.parametrize(
    "typed, message",
    [
        ("", "Bitte geben Sie eine Postleitzahl ein."),
        ("  ", "Bitte geben Sie eine Postleitzahl ein."),
        ("6345", "Eine Postleitzahl hat genau fünf Ziffern, zum Beispiel 60311."),
        ("63450a", "Eine Postleitzahl hat genau fünf Ziffern, zum Beispiel 60311."),
        ("99999", "Die Postleitzahl 99999 kennen wir nicht. Bitte prüfen Sie sie."),
    ],
)
def test_a_wrong_postcode_gets_its_message(typed, message):
    with pytest.raises(forms.ValidationError) as refused:
        clean_postcode(typed)
    assert refused.value.messages == [message]


@pytest.mark.parametrize("typed", ["63450", " 63450 ", "٦٣٤٥٠", "۶۳۴۵۰"])
def test_a_known_postcode_in_any_digits_gives_its_place(typed):
    value, found = clean_postcode(typed)
    assert value == "63450"
    assert found.place == "Hanau" and found.kreis_ags == "06415"  # a city of its own since 2026
