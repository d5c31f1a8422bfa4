"""Opening hours as HSDS schedules: one weekly schedule (``freq: WEEKLY``, ``byday``,
``opens_at``, ``closes_at``) per weekday and time span, local time in Germany without an offset
(HSDS's fixed UTC offsets cannot express summer time)."""

from __future__ import annotations

import datetime as dt
import re

from django.utils.translation import gettext as _

from wegweiser.directory import vocabulary
from wegweiser.directory.hsds.profile import child_id
from wegweiser.directory.hsds.values import Reading
from wegweiser.directory.models import Offer
from wegweiser.directory.opening_hours import Hours, span_problem

DAY_CODES = {code: day for day, code in vocabulary.RRULE_DAYS.items()}
SCHEDULE_FIELDS = {"id", "service_id", "freq", "byday", "opens_at", "closes_at", "interval"}
_TIME = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}(?::?\d{2})?)?$")


def schedules_of(o: Offer) -> list[dict]:
    """The offer's opening hours as schedules, by weekday and time (ids from the times)."""
    result = []
    seen: dict[str, int] = {}
    for h in sorted(o.opening_hours.all(), key=lambda h: (h.weekday, h.opens, h.closes)):
        suffix = f"schedule/{h.weekday}/{h.opens:%H:%M:%S}/{h.closes:%H:%M:%S}"
        seen[suffix] = seen.get(suffix, 0) + 1
        if seen[suffix] > 1:
            suffix += f"/{seen[suffix]}"
        result.append(
            {
                "id": child_id(o.id, suffix),
                "service_id": str(o.id),
                "freq": "WEEKLY",
                "byday": vocabulary.RRULE_DAYS[h.weekday],
                "opens_at": _time_text(h.opens),
                "closes_at": _time_text(h.closes),
            }
        )
    return result


def _time_text(t: dt.time) -> str:
    """Local time in Germany as ``HH:MM`` (``HH:MM:SS`` when there are seconds)."""
    return t.strftime("%H:%M:%S" if t.second else "%H:%M")


def read_schedules(r: Reading, schedules: list[tuple[dict, str]], own: bool) -> list[Hours]:
    """Weekly schedules with weekday, beginning and end; ``TH,FR`` gives two opening hours.
    Others cannot be kept: an error in our data, a warning in another publisher's."""
    hours: list[Hours] = []
    for rec, p in schedules:
        r.unmapped(rec, SCHEDULE_FIELDS, p)
        if rec.get("freq") not in (None, "WEEKLY") or rec.get("interval") not in (None, 1):
            r.unfit(
                p,
                _("Nur wöchentliche Öffnungszeiten (freq WEEKLY, interval 1) werden übernommen."),
                own,
            )
            continue
        byday = rec.get("byday")
        if not byday or rec.get("opens_at") is None or rec.get("closes_at") is None:
            r.unfit(
                p, _("Öffnungszeit ohne Wochentag, Beginn oder Ende wird nicht übernommen."), own
            )
            continue
        codes = [c.strip().upper() for c in str(byday).split(",")]
        unknown = [c for c in codes if c not in DAY_CODES]
        if unknown:
            r.unfit(
                f"{p}.byday",
                _("Unbekannter Wochentag „%(value)s“ (erwartet: MO bis SU).")
                % {"value": unknown[0]},
                own,
            )
            continue
        opens = _time(r, rec, "opens_at", p, own)
        closes = _time(r, rec, "closes_at", p, own)
        if opens is None or closes is None:
            continue
        problem = span_problem(opens, closes)
        if problem:
            r.unfit(p, problem, own)
            continue
        for code in codes:
            entry = (DAY_CODES[code], opens, closes)
            if entry not in hours:
                hours.append(entry)
    return hours


def _time(r: Reading, rec: dict, key: str, path: str, own: bool) -> dt.time | None:
    value = rec.get(key)
    match = _TIME.match(value) if isinstance(value, str) else None
    if match is None or int(match[1]) > 23 or int(match[2]) > 59 or int(match[3] or 0) > 59:
        r.error(
            f"{path}.{key}", _("„%(value)s“ ist keine Uhrzeit der Form HH:MM.") % {"value": value}
        )
        return None
    if match[4]:
        r.unfit(
            f"{path}.{key}",
            _("Die Zeitzone „%(tz)s“ wird nicht übernommen; Zeiten gelten als Ortszeit.")
            % {"tz": match[4]},
            own,
        )
    return dt.time(int(match[1]), int(match[2]), int(match[3] or 0))
