"""Plain words for the matching's reasons (the engine knows no translations)."""

from __future__ import annotations

from django.utils.formats import get_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from wegweiser.core.formats import one_decimal
from wegweiser.volunteers import matching


def _hours(value: float) -> str:
    """``value`` hours as the page's language writes them (2,5 in German), no ".0"."""
    text = f"{value:g}"
    return text.replace(".", get_format("DECIMAL_SEPARATOR"))


def _plural_count(value: float) -> int:
    """The count a plural form is chosen by: the number itself when whole; a fraction takes
    the general plural form (100 falls in it in every language of the site: "2,5 Stunden")."""
    return int(value) if float(value).is_integer() else 100


def reason_texts(proposal: matching.Proposal) -> list[tuple[str, str, int]]:
    """(criterion, explanation, points) per reason, in the engine's order."""
    out = []
    for r in proposal.reasons:
        if r.criterion == matching.DISTANCE:
            text = (
                _("kein Fahrweg (Telefon, Video) oder Entfernung unbekannt")
                if r.value is None
                else _("%(km)s km entfernt") % {"km": one_decimal(r.value)}
            )
            label = _("Entfernung")
        elif r.criterion == matching.LOAD:
            label = _("Stunden in diesem Monat")
            text = ngettext(
                "%(hours)s Stunde bisher", "%(hours)s Stunden bisher", _plural_count(r.value)
            ) % {"hours": _hours(r.value)}
        elif r.criterion == matching.CONTINUITY:
            label = _("Kontinuität")
            text = _("war schon mit dieser Person") if r.value else _("neu für diese Person")
        else:
            label = _("Geschlecht")
            text = _("wie gewünscht oder kein Wunsch") if r.value else _("nicht wie gewünscht")
        out.append((label, text, r.points))
    return out
