"""Controlled vocabularies of the directory: themes, modes, place accessibility, weekdays.

The keys are stable (used in URLs, CSV imports and the HSDS export); the labels are translated.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

# The kinds of organisation and the partner roles of a project are kept with their models; the
# HSDS exchange reads them here with the directory's own vocabularies.
from wegweiser.organisations.vocabulary import ORGANISATION_KINDS  # noqa: F401
from wegweiser.programmes.models import PARTNER_ROLES  # noqa: F401

THEMES = {
    "recognition": _("Anerkennung ausländischer Abschlüsse"),
    "qualification": _("Qualifizierung und Weiterbildung"),
    "employment": _("Arbeit und Jobsuche"),
    "vocational-training": _("Ausbildung"),
    "german-language": _("Deutsch lernen"),
    "counselling": _("Beratung und Fallmanagement"),
    "labour-rights": _("Rechte bei der Arbeit"),
    "youth": _("Junge Menschen"),
    "family": _("Familie und Kinderbetreuung"),
    "mentoring": _("Begleitung durch Ehrenamtliche"),
    "interpreting": _("Sprachmittlung und Dolmetschen"),
    "everyday-life": _("Alltag, Wohnen und Behörden"),
}

MODES = {
    "in_person": _("vor Ort"),
    "online": _("online"),
    "phone": _("telefonisch"),
}

ACCESSIBILITY = {
    "step_free": _("stufenloser Zugang"),
    "lift": _("Aufzug"),
    "accessible_toilet": _("barrierefreies WC"),
    "hearing_loop": _("Induktionsschleife"),
    "accessible_parking": _("Behindertenparkplatz"),
}

WEEKDAYS = {
    1: _("Montag"),
    2: _("Dienstag"),
    3: _("Mittwoch"),
    4: _("Donnerstag"),
    5: _("Freitag"),
    6: _("Samstag"),
    7: _("Sonntag"),
}
#: RFC 5545 day codes, as HSDS schedules use them.
RRULE_DAYS = {1: "MO", 2: "TU", 3: "WE", 4: "TH", 5: "FR", 6: "SA", 7: "SU"}
