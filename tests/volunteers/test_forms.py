"""The interpreting request's place: a postcode the platform knows, needed on site."""

from __future__ import annotations

import pytest

from wegweiser.volunteers.forms import DirectInterpretingForm, InterpretingRequestForm

BASE = {
    "institution": "Jobcenter",
    "day": "2030-01-07",
    "time": "10:00",
    "duration_minutes": "60",
    "address": "Rathaus",
    "language": "ar",
    "topic": "authority",
    "setting": "counselling",
}


@pytest.mark.parametrize("form_class", [InterpretingRequestForm, DirectInterpretingForm])
@pytest.mark.parametrize(
    ("mode", "postcode", "error"),
    [
        ("on_site", "", "Für einen Termin vor Ort braucht es die Postleitzahl"),
        # an unknown postcode switched the distance check off: anyone anywhere was proposed
        ("on_site", "99999", "Die Postleitzahl 99999 kennen wir nicht"),
        ("phone", "99999", "Die Postleitzahl 99999 kennen wir nicht"),
        ("on_site", "6464", "genau fünf Ziffern"),
        ("on_site", "64646", None),
        ("on_site", "٦٤٦٤٦", None),
        ("phone", "", None),
        ("video", "", None),
    ],
)
def test_the_place_of_an_appointment(form_class, mode, postcode, error):
    form = form_class({**BASE, "mode": mode, "postcode": postcode}, pools=())
    form.is_valid()
    errors = " ".join(form.errors.get("postcode", []))
    if error is None:
        assert errors == ""
        assert form.cleaned_data["postcode"] == ("64646" if postcode else "")
    else:
        assert error in errors
        assert len(form.errors["postcode"]) == 1  # one message, not two
