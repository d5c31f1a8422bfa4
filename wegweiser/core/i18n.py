"""The language of a request, and the one function that picks a stored text in it.

Texts a person reads are stored per language, ``{"de": ..., "en": ...}``, German first: the
programme catalogue, offers, organisations, projects. :func:`pick` chooses the text for the
request's language (or ``lang``): the stored text in that language first, otherwise the German
text through gettext (the catalogue's German texts are message ids, see
``wegweiser/programmes/catalogue_strings.py`` and ``docs/i18n.md``), which gives the German text
itself where there is no translation. Python code, templates (the ``tr`` filter) and the API use
it alike.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.utils import translation


def language(lang: str | None = None) -> str:
    """``lang``, else the active language, as a plain code (``de``, ``ar``); German without one."""
    return (lang or translation.get_language() or "de").split("-")[0]


def gettext_in(text: str, lang: str | None = None) -> str:
    """``text`` (German, a message id) translated into ``lang`` (default: the active language)."""
    if not text:
        return ""
    lang = language(lang)
    if lang == "de":
        return text
    if lang == language():
        return translation.gettext(text)
    with translation.override(lang):
        return translation.gettext(text)


def pick(texts: Mapping[str, str] | None, lang: str | None = None) -> str:
    """The text of ``texts`` for ``lang`` (default: the request's language); see the module."""
    if not texts:
        return ""
    lang = language(lang)
    return texts.get(lang) or gettext_in(texts.get("de") or "", lang)


def pick_language(texts: Mapping[str, str] | None, lang: str | None = None) -> str:
    """The language of the text :func:`pick` gives: ``lang`` where the text is stored or
    translated in it, otherwise German (the fallback)."""
    lang = language(lang)
    if lang == "de" or not texts or texts.get(lang):
        return lang
    german = texts.get("de") or ""
    return lang if german and gettext_in(german, lang) != german else "de"


#: The separator of a list in a sentence where it is not ", " (Arabic and Persian write "،").
LIST_SEPARATORS = {"ar": "، ", "fa": "، "}
#: The separator of a list whose items hold commas themselves, where it is not "; " ("؛").
SEMICOLONS = {"ar": "؛ ", "fa": "؛ "}


def join_list(items: Iterable, lang: str | None = None) -> str:
    """``items`` (as text) joined the way the language writes a list: "Deutsch, Arabisch",
    "الألمانية، العربية"."""
    return LIST_SEPARATORS.get(language(lang), ", ").join(str(i) for i in items)


def language_list(names: Iterable[str], lang: str | None = None) -> str:
    """Names of languages as a list: in Ukrainian they are adjectives, written small after the
    first ("Німецька, арабська, англійська"), where a label of its own starts with a capital."""
    names = [str(n) for n in names]
    if language(lang) == "uk":
        names = names[:1] + [n[:1].lower() + n[1:] for n in names[1:]]
    return join_list(names, lang)
