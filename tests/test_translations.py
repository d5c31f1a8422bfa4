"""Translations: every catalogue compiles, the committed .mo files are current, nothing is left
untranslated or fuzzy, placeholders match, the generated catalogue-strings module is current,
and right-to-left languages render with ``dir="rtl"`` (docs/i18n.md)."""

from __future__ import annotations

import gettext
import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings

from wegweiser.programmes import i18n as catalogue_i18n

LOCALE = Path(settings.LOCALE_PATHS[0])
LANGUAGES = ("en", "ar", "uk", "fa", "tr")
PO_FILES = sorted(LOCALE.glob("*/LC_MESSAGES/*.po"))
MSGFMT = shutil.which("msgfmt")

PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]|\{\w*\}|\{\{.*?\}\}|\{%.*?%\}")
TAG = re.compile(r"</?[a-zA-Z][^>]*>")


# --- a small PO reader (no polib needed) -------------------------------------------------------


def _unquote(s: str) -> str:
    body = s.strip()[1:-1]
    escapes = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}
    return re.sub(r"\\(.)", lambda m: escapes.get(m.group(1), m.group(0)), body)


def read_po(path: Path) -> list[dict]:
    """Entries as dicts: ``msgid``, ``msgid_plural``, ``msgstr``/``msgstr[n]``, ``flags``."""
    return read_po_text(path.read_text(encoding="utf-8"))


def read_po_text(text: str) -> list[dict]:
    """:func:`read_po` of a catalogue's text."""
    entries = []
    for block in re.split(r"\n\s*\n", text):
        entry: dict = {"flags": set(), "obsolete": False}
        field = None
        for line in block.splitlines():
            if line.startswith("#~"):
                entry["obsolete"] = True
            elif line.startswith("#,"):
                entry["flags"].update(f.strip() for f in line[2:].split(","))
            elif line.startswith("#") or not line.strip():
                continue
            elif line.startswith('"'):
                entry[field] += _unquote(line)
            else:
                field, _, value = line.partition(" ")
                entry[field] = _unquote(value)
        if "msgid" in entry:
            entries.append(entry)
    return entries


def _mo_catalog(path: Path) -> dict:
    with path.open("rb") as fh:
        return dict(gettext.GNUTranslations(fh)._catalog)


def messages(path: Path) -> list[dict]:
    return [e for e in read_po(path) if e["msgid"] and not e["obsolete"]]


def test_every_language_has_a_catalogue():
    for lang in LANGUAGES:
        assert (LOCALE / lang / "LC_MESSAGES" / "django.po").exists(), lang
    assert {p.parent.parent.name for p in PO_FILES} == set(LANGUAGES)


@pytest.mark.parametrize("po", PO_FILES, ids=lambda p: f"{p.parent.parent.name}/{p.name}")
def test_po_compiles_and_committed_mo_is_current(po, tmp_path):
    header = read_po(po)[0]
    assert header["msgid"] == "" and "fuzzy" not in header["flags"], "fuzzy or missing header"
    assert "charset=UTF-8" in header["msgstr"]
    mo = po.with_suffix(".mo")
    assert mo.exists(), f"{mo} is missing: run compilemessages and commit it (docs/i18n.md)"
    if MSGFMT is None:
        pytest.skip("GNU gettext msgfmt is not installed; the .po file was parsed only")
    fresh = tmp_path / "fresh.mo"
    # What `wegweiser compilemessages` runs (with --check for the header and formats too).
    result = subprocess.run(
        [MSGFMT, "--check", "-o", str(fresh), str(po)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    # Compared as catalogues, not bytes: another msgfmt version may lay the file out differently.
    assert _mo_catalog(fresh) == _mo_catalog(mo), (
        f"{mo} differs from its .po: run `wegweiser compilemessages` and commit the .mo"
    )


@pytest.mark.parametrize("lang", LANGUAGES)
def test_nothing_untranslated_or_fuzzy(lang):
    po = LOCALE / lang / "LC_MESSAGES" / "django.po"
    problems = []
    for e in messages(po):
        forms = [v for k, v in e.items() if k.startswith("msgstr")]
        if "fuzzy" in e["flags"]:
            problems.append(f"fuzzy: {e['msgid'][:70]}")
        elif not forms or not all(forms):
            problems.append(f"untranslated: {e['msgid'][:70]}")
    assert not problems, f"{lang}: {len(problems)} messages\n" + "\n".join(problems[:30])


@pytest.mark.parametrize("lang", LANGUAGES)
def test_placeholders_and_markup_match(lang):
    po = LOCALE / lang / "LC_MESSAGES" / "django.po"
    problems = []
    for e in messages(po):
        if "msgid_plural" in e:
            wanted = set(PLACEHOLDER.findall(e["msgid_plural"])) | set(
                PLACEHOLDER.findall(e["msgid"])
            )
            for key in (k for k in e if k.startswith("msgstr[")):
                got = set(PLACEHOLDER.findall(e[key]))
                # A form for exactly one (or two) may spell the number out.
                if not got <= wanted or not (wanted - {"%(counter)s"}) <= got:
                    problems.append(f"{key} {e['msgid'][:60]}: {sorted(got)} vs {sorted(wanted)}")
            continue
        if not e.get("msgstr"):
            continue
        if "no-python-format" in e["flags"]:
            ids, strs = Counter(), Counter()
        else:
            ids = Counter(PLACEHOLDER.findall(e["msgid"]))
            strs = Counter(PLACEHOLDER.findall(e["msgstr"]))
        if ids != strs:
            problems.append(f"{e['msgid'][:60]}: {dict(strs)} vs {dict(ids)}")
        tags_id = Counter(TAG.findall(e["msgid"]))
        tags_str = Counter(TAG.findall(e["msgstr"]))
        if tags_id != tags_str:
            problems.append(f"markup {e['msgid'][:60]}: {dict(tags_str)} vs {dict(tags_id)}")
    assert not problems, f"{lang}:\n" + "\n".join(problems[:30])


#: Runs that right-to-left text reorders unless they are isolated: a legal reference ("§ 25 Abs. 2
#: AufenthG" showed as "Abs. 2 AufenthG 25 §") and digit groups ("0151 2345678" showed as
#: "2345678 0151", "EN 301 549").
LATIN_RUN = re.compile(
    r"§\s*\d+[a-z]?(?:\s+(?:Abs\.|Nr\.|Satz)\s*\d+[a-z]?)*(?:\s+[A-Za-z]+G)?"
    r"|(?:[A-Z]+ )?\d+(?: \d+)+"
    # a German or English word in brackets, "(Faire Integration)": wrapped at the end of a
    # line, a heading showed "Faire) ادغام منصفانه – IQ" and "Integration)"
    r"|(?<!%)\([A-Za-z][^()\u0600-\u06FF\u2066\u2069]*\)"
)


@pytest.mark.parametrize("lang", ["ar", "fa"])
def test_latin_runs_in_right_to_left_translations_are_isolated(lang):
    """Inside Arabic and Persian text, such runs sit between LEFT-TO-RIGHT ISOLATE (U+2066) and
    POP DIRECTIONAL ISOLATE (U+2069): the translations are also used as plain text (hints,
    error messages), where no <bdi> can be written."""
    problems, isolated = [], 0
    for e in messages(LOCALE / lang / "LC_MESSAGES" / "django.po"):
        for key in (k for k in e if k.startswith("msgstr")):
            for m in LATIN_RUN.finditer(e[key]):
                text = e[key]
                if text[m.start() - 1 : m.start()] == "\u2066" and text[m.end() : m.end() + 1] == (
                    "\u2069"
                ):
                    isolated += 1
                else:
                    problems.append(f"{m.group()!r} in {text[:60]!r}")
    assert not problems, problems
    assert isolated >= 60  # the phone examples, the paragraph example, EN 301 549, brackets


#: gettext called inside an f-string: xgettext reads the f-string as one literal and never
#: extracts the message ("Nächstes Angebot:" stayed German on every result page).
GETTEXT_IN_FSTRING = re.compile(r"""\bf(["']).*?\{[^}]*\b(?:gettext|ngettext|pgettext|_)\(["']""")


def test_no_message_is_hidden_from_xgettext_in_an_f_string():
    root = Path(__file__).resolve().parents[1] / "wegweiser"
    found = [
        f"{path.relative_to(root)}:{n}: {line.strip()[:80]}"
        for path in root.rglob("*.py")
        if "migrations" not in path.parts
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if GETTEXT_IN_FSTRING.search(line)
    ]
    assert not found, found


# --- the catalogue texts -----------------------------------------------------------------------


def test_generated_catalogue_strings_are_current():
    """catalogue_strings.py lists every German text of the catalogue; rerun the generator."""
    from wegweiser.programmes import catalogue_strings

    expected = [german for german, _en, _where in catalogue_i18n.collect_strings()]
    assert list(catalogue_strings.STRINGS) == expected, (
        "wegweiser/programmes/catalogue_strings.py is out of date with wegweiser/catalogue/: run "
        "`wegweiser catalogue_strings`, then makemessages, translate, compilemessages"
    )
    source = catalogue_i18n.STRINGS_MODULE.read_text(encoding="utf-8")
    assert source == catalogue_i18n.render_module(), "run `wegweiser catalogue_strings`"


def test_catalogue_strings_are_in_every_catalogue():
    expected = {german for german, _en, _where in catalogue_i18n.collect_strings()}
    for lang in LANGUAGES:
        ids = {e["msgid"] for e in messages(LOCALE / lang / "LC_MESSAGES" / "django.po")}
        assert not expected - ids, f"{lang}: run makemessages ({len(expected - ids)} missing)"


def test_catalogue_texts_and_reasons_in_arabic_and_ukrainian():
    from wegweiser.core.i18n import pick
    from wegweiser.eligibility.catalogue import load_catalogue

    cat = load_catalogue()
    win_win = cat.programme("win-win")
    male = next(r for r in win_win.rounds[0].rules if r.id == "win-win.male")
    assert catalogue_i18n.reason_text(male, "ar") == "البرنامج موجّه للشباب الذكور."
    assert catalogue_i18n.reason_text(male, "en") == male.text["en"]
    assert catalogue_i18n.reason_text(male, "de") == male.text["de"]
    assert pick(win_win.summary, "uk") not in ("", win_win.summary["de"])
    assert catalogue_i18n.fact_label("age", "tr") not in ("", "Alter")
    assert "wir-2022" in catalogue_i18n.engine_message("double_funding", "fa", conflicts="wir-2022")


# --- right to left -----------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(("lang", "direction"), [("ar", "rtl"), ("fa", "rtl"), ("uk", "ltr")])
def test_page_direction(client, lang, direction):
    html = client.get(f"/{lang}/programme/").content.decode()
    assert f'<html lang="{lang}" dir="{direction}">' in html


@pytest.mark.django_db
def test_directory_page_in_arabic(client):
    response = client.get("/ar/angebote/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'dir="rtl"' in html
    assert "انتقل إلى المحتوى" in html  # skip link
    assert "ابحث عن عروض" in html  # heading "Angebote finden"
    assert "Angebote finden" not in html


# --- texts written by Python where a template wrote them ----------------------------------------

#: The templates kept as the reference of a page's Python (tests/*/reference/) and the modules
#: that write their texts now.
_REPLACED = [
    (
        ["directory/reference/search_form.html", "directory/reference/search_field.html",
         "directory/reference/search_results.html"],
        ["wegweiser/directory/search_page.py", "wegweiser/directory/templatetags/directory.py"],
    ),
    (
        ["public/reference/result_content.html", "public/reference/nearby.html",
         "public/reference/errors.html", "public/reference/summary.html",
         "public/reference/field.html"],
        ["wegweiser/public/result_page.py", "wegweiser/public/templatetags/public_tags.py"],
    ),
]  # fmt: skip


def _msgids(paths: list[Path], *, template: bool) -> set[str]:
    """The message ids xgettext finds in ``paths`` (templates through Django's ``templatize``,
    as ``makemessages`` reads them)."""
    from django.utils.translation.template import templatize

    sources = []
    for path in paths:
        text = path.read_text(encoding="utf-8")
        sources.append(templatize(text, origin=str(path)) if template else text)
    run = subprocess.run(  # noqa: S603 (our own files, a fixed program)
        ["xgettext", "--language=Python", "--from-code=UTF-8", "--keyword=gettext_noop",  # noqa: S607
         "--keyword=pgettext:1c,2", "--keyword=npgettext:1c,2,3", "-o", "-", "-"],
        input="\n".join(sources), capture_output=True, text=True, check=True,
    )  # fmt: skip
    return {entry["msgid"] for entry in read_po_text(run.stdout)} - {""}


@pytest.mark.parametrize("case", range(len(_REPLACED)))
def test_makemessages_finds_every_text_the_python_writes_for_a_template(case):
    """A page written in Python keeps each text where xgettext reads it: every message of the
    reference templates is found in the modules that replaced them (a text passed through a
    helper, or inside an f-string, would be lost at the next ``makemessages``)."""
    tests = Path(__file__).resolve().parent
    root = tests.parent
    references, modules = _REPLACED[case]
    wanted = _msgids([tests / p for p in references], template=True)
    found = _msgids([root / p for p in modules], template=False)
    assert len(wanted) > 5
    assert wanted <= found, sorted(wanted - found)


#: Functions that translate a text given to them: their callers' texts are invisible to
#: xgettext. Allowed: ``gettext_in`` translates catalogue texts, whose message ids are
#: generated (``programmes/catalogue_strings.py``).
_TRANSLATING_HELPERS = {("core/i18n.py", "gettext_in")}
_GETTEXTS = {"gettext", "ngettext", "pgettext", "gettext_lazy", "ngettext_lazy", "_"}


def test_no_helper_translates_its_argument():
    import ast

    root = Path(__file__).resolve().parents[1] / "wegweiser"
    found = []
    for path in root.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for fn in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(fn, ast.FunctionDef | ast.Lambda):
                continue
            params = {a.arg for a in fn.args.args + fn.args.kwonlyargs}
            for node in ast.walk(fn):
                func = getattr(node, "func", None)
                name = getattr(func, "id", None) or getattr(func, "attr", None)
                if (
                    name in _GETTEXTS
                    and node.args
                    and isinstance(node.args[0], ast.Name)
                    and node.args[0].id in params
                ):
                    where = (str(path.relative_to(root)), getattr(fn, "name", "lambda"))
                    if where not in _TRANSLATING_HELPERS:
                        found.append(f"{where[0]}:{node.lineno} {where[1]}")
    assert not found, found
