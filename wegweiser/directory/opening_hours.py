"""Weekly opening hours as people write them (``Mo 09:00-12:00; Mi 14:00-17:00``).

One syntax for the maintenance form and the CSV import; the HSDS import reads schedules instead
(``hsds/opening_hours.py``). Both keep the rule of the model: an opening time ends after it
begins (:func:`span_problem`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from django.utils.translation import gettext as _

#: ``(weekday 1–7, opens, closes)``, as :class:`~wegweiser.directory.models.OpeningHours` stores it.
Hours = tuple[int, dt.time, dt.time]

#: German two-letter weekday abbreviations as written in opening hours.
DAY_ABBREVIATIONS = {"mo": 1, "di": 2, "mi": 3, "do": 4, "fr": 5, "sa": 6, "so": 7}
DAY_NAMES = {v: k.capitalize() for k, v in DAY_ABBREVIATIONS.items()}
_TIME = r"(\d{1,2}):(\d{2})"
_RANGE = re.compile(rf"^{_TIME}\s*[-–]\s*{_TIME}$")
_DAYS_AND_TIMES = re.compile(r"^(?P<days>[^\d]+?)\s*(?P<times>\d.*)$")


def span_problem(opens: dt.time, closes: dt.time) -> str | None:
    """The message when an opening time does not end after it begins (else None)."""
    if closes <= opens:
        return _("Das Ende liegt nicht nach dem Beginn.")
    return None


def parse_opening_hours(text: str) -> list[Hours]:
    """``Mo 09:00-12:00; Mi 14:00-17:00`` -> ``[(1, 09:00, 12:00), (3, 14:00, 17:00)]``.

    Days are German abbreviations (``Mo Di Mi Do Fr Sa So``), as a list (``Di, Do``) or a
    range (``Mo-Fr``); several time ranges of a day are separated by commas. Raises
    ``ValueError`` with a German message. The result is sorted and has no duplicates.
    """
    result: set[Hours] = set()
    for part in (p.strip() for p in text.split(";")):
        if not part:
            continue
        match = _DAYS_AND_TIMES.match(part)
        if match is None:
            raise ValueError(
                _("„%(part)s“: erwartet wird z. B. „Mo 09:00-12:00“.") % {"part": part}
            )
        days = _parse_days(match["days"], part)
        for span in match["times"].split(","):
            opens, closes = _parse_range(span.strip(), part)
            result.update((day, opens, closes) for day in days)
    return sorted(result)


def _parse_days(text: str, part: str) -> list[int]:
    days: list[int] = []
    for item in re.split(r"\s*,\s*", text.strip().rstrip(",").strip()):
        bounds = [b.strip().rstrip(".").casefold() for b in re.split(r"\s*[-–]\s*", item)]
        if len(bounds) > 2 or any(b not in DAY_ABBREVIATIONS for b in bounds):
            raise ValueError(
                _(
                    "„%(part)s“: unbekannter Wochentag „%(day)s“ "
                    "(erwartet: Mo, Di, Mi, Do, Fr, Sa, So)."
                )
                % {"part": part, "day": item}
            )
        first, last = DAY_ABBREVIATIONS[bounds[0]], DAY_ABBREVIATIONS[bounds[-1]]
        if last < first:
            raise ValueError(
                _("„%(part)s“: der Bereich „%(day)s“ läuft rückwärts.")
                % {"part": part, "day": item}
            )
        days.extend(range(first, last + 1))
    return days


def _parse_range(span: str, part: str) -> tuple[dt.time, dt.time]:
    match = _RANGE.match(span)
    if match is None:
        raise ValueError(
            _("„%(part)s“: „%(span)s“ ist keine Zeitspanne wie 09:00-12:00.")
            % {"part": part, "span": span}
        )
    h1, m1, h2, m2 = (int(g) for g in match.groups())
    if h1 > 23 or h2 > 23 or m1 > 59 or m2 > 59:
        raise ValueError(
            _("„%(part)s“: „%(span)s“ enthält keine gültige Uhrzeit.")
            % {"part": part, "span": span}
        )
    opens, closes = dt.time(h1, m1), dt.time(h2, m2)
    if closes <= opens:
        raise ValueError(_("„%(part)s“: das Ende liegt nicht nach dem Beginn.") % {"part": part})
    return opens, closes


def format_opening_hours(hours: Iterable[Hours]) -> str:
    """The inverse of :func:`parse_opening_hours`: one ``Mo 09:00-12:00`` per entry."""
    return "; ".join(
        f"{DAY_NAMES[day]} {opens:%H:%M}-{closes:%H:%M}" for day, opens, closes in sorted(hours)
    )
