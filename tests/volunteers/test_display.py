"""The matching's reasons in plain words: numbers as the page's language writes them, the
right plural."""

from __future__ import annotations

import pytest
from django.utils import translation

from wegweiser.volunteers import matching
from wegweiser.volunteers.display import reason_texts


def _text(criterion: str, value) -> str:
    proposal = matching.Proposal("v", 0, (matching.Reason(criterion, 0, value),))
    return reason_texts(proposal)[0][1]


@pytest.mark.parametrize(
    ("lang", "hours", "text"),
    [
        ("de", 0, "0 Stunden bisher"),
        ("de", 1, "1 Stunde bisher"),
        ("de", 1.0, "1 Stunde bisher"),
        ("de", 2.5, "2,5 Stunden bisher"),
        ("de", 12, "12 Stunden bisher"),
        ("en", 1, "1 hour so far"),
        ("en", 2.5, "2.5 hours so far"),
        ("ar", 2, "2 ساعتان حتى الآن"),
        ("ar", 5, "5 ساعات حتى الآن"),
    ],
)
def test_hours_so_far(lang, hours, text):
    with translation.override(lang):
        assert _text(matching.LOAD, hours) == text


@pytest.mark.parametrize(("lang", "text"), [("de", "3,4 km entfernt"), ("en", "3.4 km away")])
def test_distance_in_the_pages_language(lang, text):
    with translation.override(lang):
        assert _text(matching.DISTANCE, 3.44) == text
