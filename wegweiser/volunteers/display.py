"""Plain words for the matching's reasons (the engine knows no translations)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from wegweiser.volunteers import matching


def reason_texts(proposal: matching.Proposal) -> list[tuple[str, str, int]]:
    """(criterion, explanation, points) per reason, in the engine's order."""
    out = []
    for r in proposal.reasons:
        if r.criterion == matching.DISTANCE:
            text = (
                _("kein Fahrweg (Telefon, Video) oder Entfernung unbekannt")
                if r.value is None
                else _("%(km)s km entfernt") % {"km": f"{r.value:.1f}"}
            )
            label = _("Entfernung")
        elif r.criterion == matching.LOAD:
            label = _("Stunden in diesem Monat")
            text = _("%(hours)s Stunden bisher") % {"hours": f"{r.value:g}"}
        elif r.criterion == matching.CONTINUITY:
            label = _("Kontinuität")
            text = _("war schon mit dieser Person") if r.value else _("neu für diese Person")
        else:
            label = _("Geschlecht")
            text = _("wie gewünscht oder kein Wunsch") if r.value else _("nicht wie gewünscht")
        out.append((label, text, r.points))
    return out
