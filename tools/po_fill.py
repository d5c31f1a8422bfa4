"""Fill translations into the five catalogues from a YAML file, then compile.

    .venv/bin/python tools/po_fill.py translations.yaml [--from-po other/locale]

The YAML file maps each German message id to its translations::

    "Fall übernehmen":
      en: Take over the case
      ar: ...

Only entries that are empty or fuzzy in a catalogue are filled (``--force`` overwrites). With
``--from-po DIR`` translations are also taken from another ``locale`` folder (e.g. a branch's),
for message ids that are empty here. Prints what is still untranslated; exit status 1 then.
Run ``makemessages`` first (docs/i18n.md) so that the new message ids are in the catalogues.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

import polib
import yaml

LANGS = ["en", "ar", "uk", "fa", "tr"]
LOCALE = Path(__file__).resolve().parent.parent / "wegweiser" / "locale"


def _key(entry) -> tuple[str, str]:
    return (entry.msgctxt or "", entry.msgid)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("yaml", nargs="?")
    parser.add_argument("--from-po", type=Path)
    parser.add_argument("--force", action="store_true")
    args = parser.parse_args()
    table = yaml.safe_load(Path(args.yaml).read_text()) if args.yaml else {}
    missing = 0
    for lang in LANGS:
        path = LOCALE / lang / "LC_MESSAGES" / "django.po"
        po = polib.pofile(str(path), wrapwidth=79)
        other = {}
        if args.from_po:
            for e in polib.pofile(str(args.from_po / lang / "LC_MESSAGES" / "django.po")):
                if e.translated():
                    other[_key(e)] = e
        for entry in po:
            if entry.obsolete:
                continue
            need = args.force or not entry.translated()
            given = (table.get(entry.msgid) or {}).get(lang)
            if need and given is not None:
                if entry.msgid_plural:
                    forms = given if isinstance(given, list) else [given]
                    n = len(entry.msgstr_plural) or len(forms)
                    entry.msgstr_plural = {i: forms[min(i, len(forms) - 1)] for i in range(n)}
                else:
                    entry.msgstr = given
                if "fuzzy" in entry.flags:
                    entry.flags.remove("fuzzy")
                entry.previous_msgid = entry.previous_msgid_plural = entry.previous_msgctxt = None
            elif need and _key(entry) in other:
                source = other[_key(entry)]
                entry.msgstr = source.msgstr
                entry.msgstr_plural = dict(source.msgstr_plural)
                if "fuzzy" in entry.flags:
                    entry.flags.remove("fuzzy")
                entry.previous_msgid = entry.previous_msgid_plural = entry.previous_msgctxt = None
            if not entry.translated():
                missing += 1
                print(f"{lang}: untranslated: {entry.msgid[:90]!r}")
        po.save(str(path))
        # gettext's own line wrapping (as makemessages writes it), then its compiler
        subprocess.run(["msgcat", "-o", str(path), str(path)], check=True)
        subprocess.run(["msgfmt", "-o", str(path.with_suffix(".mo")), str(path)], check=True)
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
