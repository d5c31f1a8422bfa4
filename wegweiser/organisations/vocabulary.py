"""Kinds of organisation. The keys are stable (stored, in the CSV and HSDS exchange, in the
account administration); the labels are translated."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

ORGANISATION_KINDS = {
    "kommune": _("Kommune / Kreisverwaltung"),
    "jobcenter": _("Jobcenter"),
    "arbeitsagentur": _("Agentur für Arbeit"),
    "wohlfahrtsverband": _("Wohlfahrtsverband"),
    "migrantenorganisation": _("Migrantenorganisation"),
    "bildungstraeger": _("Bildungsträger"),
    "kammer": _("Kammer"),
    "unternehmen": _("Unternehmen"),
    "verein": _("Verein"),
    "beratungsstelle": _("Beratungsstelle"),
    "sonstige": _("Sonstige"),
}
