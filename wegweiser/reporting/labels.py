"""Plain German names of the indicators, columns and breakdowns (translated like every text).

The names follow Annex I of Regulation (EU) 2021/1057 in its German version (facts.md A.2, A.4).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

INDICATOR_NAMES = {
    "EECO01": _("Gesamtzahl der Teilnehmenden"),
    "EECO02": _("Arbeitslose, auch Langzeitarbeitslose"),
    "EECO03": _("Langzeitarbeitslose"),
    "EECO04": _("Nichterwerbstätige"),
    "EECO05": _("Erwerbstätige, auch Selbstständige"),
    "EECO06": _("Kinder unter 18 Jahren"),
    "EECO07": _("junge Menschen von 18 bis 29 Jahren"),
    "EECO08": _("Teilnehmende ab 55 Jahren"),
    "EECO09": _("mit Sekundarbildung Unterstufe oder weniger (ISCED 0–2)"),
    "EECO10": _("mit Sekundarbildung Oberstufe oder postsekundärer Bildung (ISCED 3–4)"),
    "EECO11": _("mit tertiärer Bildung (ISCED 5–8)"),
    "EECO12": _("Teilnehmende mit Behinderungen"),
    "EECO12-KA": _("Behinderung: keine Angabe"),
    "EECO13": _("Drittstaatsangehörige"),
    "EECO14": _("Teilnehmende ausländischer Herkunft"),
    "EECO15": _("Angehörige von Minderheiten"),
    "EECO15-KA": _("Minderheit: keine Angabe"),
    "EECO16": _("Obdachlose oder von Ausgrenzung auf dem Wohnungsmarkt Betroffene"),
    "EECO17": _("Teilnehmende aus ländlichen Gebieten"),
    "EECR01": _("nach der Teilnahme arbeitsuchend"),
    "EECR02": _("nach der Teilnahme in schulischer/beruflicher Bildung"),
    "EECR03": _("nach der Teilnahme mit erlangter Qualifizierung"),
    "EECR04": _("nach der Teilnahme erwerbstätig, auch selbstständig"),
    "EECR05": _("sechs Monate nach der Teilnahme erwerbstätig, auch selbstständig"),
    "EECR06": _("sechs Monate nach der Teilnahme mit verbesserter Arbeitsmarktsituation"),
}

COLUMN_NAMES = {
    "women": _("Frauen"),
    "men": _("Männer"),
    "non_binary": _("nicht-binär"),
    "total": _("insgesamt"),
}

DIMENSION_NAMES = {
    "project_id": _("Projekt"),
    "funding_round_id": _("Förderrunde"),
    "programme": _("Programm"),
    "kreis": _("Kreis"),
}

#: How each indicator is counted (the definitions sheet and the page's explanations).
DEFINITIONS = {
    "EECO01": _("Summe von EECO02, EECO04 und EECO05; jede Teilnahme einmal je Projekt"),
    "EECO03": _("arbeitslos und langzeitarbeitslos laut Eintrittsfragebogen"),
    "EECO06": _("Alter bei Eintritt unter 18"),
    "EECO07": _("Alter bei Eintritt 18 bis 29"),
    "EECO08": _("Alter bei Eintritt 55 oder älter"),
    "EECO12-KA": _("Art.-9-Angabe freiwillig: „keine Angabe“ wird getrennt gezählt"),
    "EECO13": _("keine Staatsangehörigkeit eines EU-Mitgliedstaats, auch staatenlos"),
    "EECR01": _(
        "letztes Ereignis bis 28 Tage nach Austritt; schließt EECR04 aus (Austrittsfragebogen)"
    ),
    "EECR03": _("Qualifizierung bis 28 Tage nach Austritt"),
    "EECR04": _("letztes Ereignis bis 28 Tage nach Austritt; schließt EECR01 aus"),
    "EECR05": _("Ergebnis des Sechs-Monats-Termins: erwerbstätig oder verbessert"),
    "EECR06": _("Sechs-Monats-Termin: verbessert; nur bei Erwerbstätigkeit bei Eintritt"),
}
