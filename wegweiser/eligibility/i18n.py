"""Messages of the engine in German and English.

The engine does not import Django, so it carries its own small message table. German comes
first; a language without a text falls back to German. The web layer passes the request's
language.
"""

from __future__ import annotations

from typing import Any

LANGUAGES = ("de", "en")

MESSAGES: dict[str, dict[str, str]] = {
    "not_an_object": {"de": "muss ein JSON-Objekt sein", "en": "must be a JSON object"},
    "invalid_json": {
        "de": "ist kein gültiges JSON ({detail})",
        "en": "is not valid JSON ({detail})",
    },
    "unknown_key": {
        "de": "unbekanntes Feld; erlaubt sind: {allowed}",
        "en": "unknown key; allowed keys: {allowed}",
    },
    "required": {"de": "fehlt", "en": "is required"},
    "not_a_date": {
        "de": "„{value}“ ist kein Datum im Format JJJJ-MM-TT",
        "en": "'{value}' is not a date in the form YYYY-MM-DD",
    },
    "not_a_bool": {
        "de": "„{value}“ muss true oder false sein",
        "en": "'{value}' must be true or false",
    },
    "not_allowed": {
        "de": "„{value}“ ist nicht erlaubt; erlaubt sind: {allowed}",
        "en": "'{value}' is not allowed; allowed values: {allowed}",
    },
    "birth_after_reference": {
        "de": "das Geburtsdatum {value} liegt nach dem Stichtag {date}",
        "en": "the birth date {value} is after the reference date {date}",
    },
    "not_an_age": {
        "de": "„{value}“ ist kein Alter in ganzen Jahren (0 bis {max})",
        "en": "'{value}' is not an age in whole years (0 to {max})",
    },
    "age_contradicts_birth_date": {
        "de": "das Alter {value} passt nicht zum Geburtsdatum",
        "en": "the age {value} does not match the birth date",
    },
    "not_a_country_list": {
        "de": 'muss eine nicht leere Liste von Ländercodes (ISO 3166-1) oder ["stateless"] sein',
        "en": 'must be a non-empty list of country codes (ISO 3166-1) or ["stateless"]',
    },
    "unknown_country": {
        "de": "„{value}“ ist kein Ländercode nach ISO 3166-1 alpha-2",
        "en": "'{value}' is not an ISO 3166-1 alpha-2 country code",
    },
    "stateless_alone": {
        "de": "„stateless“ kann nicht mit einer Staatsangehörigkeit kombiniert werden",
        "en": "'stateless' cannot be combined with a citizenship",
    },
    "duplicate": {"de": "enthält Werte doppelt", "en": "contains duplicate values"},
    "section_not_for_title": {
        "de": "ein Paragraf wird nur bei Aufenthaltserlaubnis und Duldung angegeben, nicht bei „{title}“",
        "en": "a section is only given for aufenthaltserlaubnis and duldung, not for '{title}'",
    },
    "not_a_kreis": {
        "de": "„{value}“ ist kein fünfstelliger Kreisschlüssel",
        "en": "'{value}' is not a five-digit Kreis key",
    },
    "not_an_ags": {
        "de": "„{value}“ ist kein achtstelliger Gemeindeschlüssel (AGS)",
        "en": "'{value}' is not an eight-digit municipality key (AGS)",
    },
    "ags_not_in_kreis": {
        "de": "der Gemeindeschlüssel {value} liegt nicht im angegebenen Kreis",
        "en": "the municipality key {value} is not in the given Kreis",
    },
    "not_a_round_list": {
        "de": "muss eine Liste von Förderrunden-Kennungen sein",
        "en": "must be a list of funding-round ids",
    },
    "unknown_round": {
        "de": "„{value}“ ist keine bekannte Förderrunde",
        "en": "'{value}' is not a known funding round",
    },
    "absolute_ban_needs_duldung": {
        "de": "ein absolutes Arbeitsverbot gibt es nur bei Duldung oder Aufenthaltsgestattung, nicht bei „{title}“",
        "en": "an absolute work ban exists only with a Duldung or Aufenthaltsgestattung, not with '{title}'",
    },
    "duldung_60b_means_absolute_ban": {
        "de": "eine Duldung nach § 60b AufenthG bedeutet ein absolutes Arbeitsverbot",
        "en": "a Duldung under § 60b AufenthG means an absolute work ban",
    },
    "german_citizen_without_de": {
        "de": "der Status „german_citizen“ verlangt die Staatsangehörigkeit DE",
        "en": "the status 'german_citizen' requires the citizenship DE",
    },
    "de_citizen_needs_german_title": {
        "de": "Deutsche Staatsangehörige haben den Status „german_citizen“",
        "en": "German citizens have the status 'german_citizen'",
    },
    "foreign_title_means_migration_background": {
        "de": "Wer einen ausländischen Aufenthaltstitel hat, hat einen Migrationshintergrund",
        "en": "a person with a foreign residence title has a migration background",
    },
    "free_movement_needs_eea": {
        "de": "Freizügigkeit verlangt die Staatsangehörigkeit eines EU-/EWR-Staates oder der Schweiz",
        "en": "free movement requires the citizenship of an EU/EEA state or Switzerland",
    },
    "unknown_round_selector": {
        "de": "„{value}“ ist keine bekannte Förderrunde",
        "en": "'{value}' is not a known funding round",
    },
    "double_funding": {
        "de": "Keine gleichzeitige Förderung: die laufende Teilnahme an {conflicts} schließt diese Förderrunde aus (Vermeidung von Doppelförderung).",
        "en": "No double funding: the current participation in {conflicts} excludes this funding round.",
    },
    "double_funding_rule": {
        "de": "Keine gleichzeitige Teilnahme an {excluded} (Vermeidung von Doppelförderung).",
        "en": "No current participation in {excluded} (avoiding double funding).",
    },
    "bad_column": {
        "de": "Zeile {row}: {detail}",
        "en": "row {row}: {detail}",
    },
}


def message(code: str, lang: str = "de", **params: Any) -> str:
    texts = MESSAGES[code]
    template = texts.get(lang) or texts["de"]
    return template.format(**params)
