"""Command line of the eligibility engine (``shared/domain/eligibility.md`` section 4).

    wegweiser eligibility [--date YYYY-MM-DD] [--round ID ...] [--format json|text]
                          [--lang de|en] [FILE]
    wegweiser eligibility-batch --input FILE --output FILE [--date D] [--round ID ...]

Invalid input ends with exit status 2 and a message naming the offending key; nothing else
happens (the batch writes no output file).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from wegweiser.eligibility.catalogue import Catalogue, CatalogueError, load_catalogue, pick
from wegweiser.eligibility.engine import STATUSES, evaluate, result_document
from wegweiser.eligibility.facts import ProfileError, parse_profile
from wegweiser.eligibility.i18n import LANGUAGES

EXIT_INVALID = 2
STATUS_LABELS = {
    "de": {
        "eligible": "förderfähig",
        "not_eligible": "nicht förderfähig",
        "undetermined": "noch offen",
    },
    "en": {"eligible": "eligible", "not_eligible": "not eligible", "undetermined": "undetermined"},
}


def today() -> dt.date:
    """Today in Germany: the default reference date."""
    return dt.datetime.now(ZoneInfo("Europe/Berlin")).date()


class UsageError(Exception):
    pass


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{value}' is not a date (YYYY-MM-DD)") from None


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # exit status 2 like every invalid input
        raise UsageError(message)


def _parser(command: str) -> argparse.ArgumentParser:
    p = _Parser(prog=f"wegweiser {command}")
    p.add_argument("--date", type=_date, default=None, help="reference date (default: today)")
    p.add_argument(
        "--round",
        dest="rounds",
        action="append",
        default=[],
        help="evaluate this round even if it is not active (repeatable)",
    )
    p.add_argument("--catalogue", type=Path, default=None, help=argparse.SUPPRESS)
    if command == "eligibility":
        p.add_argument("--format", choices=("json", "text"), default="json")
        p.add_argument("--lang", choices=LANGUAGES, default="de")
        p.add_argument("file", nargs="?", type=Path, help="profile as JSON (default: stdin)")
    else:
        p.add_argument(
            "--input", type=Path, required=True, help="CSV or Parquet, one profile per row"
        )
        p.add_argument("--output", type=Path, required=True, help="CSV or Parquet")
    return p


def parse_request(
    catalogue: Catalogue, raw: Any, day: dt.date, round_selectors: list[str]
) -> tuple[Any, list]:
    """Shared by CLI and HTTP: the validated profile and the chosen rounds."""
    profile = parse_profile(raw, reference_date=day, known_rounds=catalogue.round_ids)
    rounds = None
    if round_selectors:
        try:
            rounds = list(catalogue.select_rounds(round_selectors))
        except KeyError as exc:
            raise ProfileError("rounds", "unknown_round_selector", value=exc.args[0]) from None
    return profile, rounds


def format_text(doc: dict[str, Any], catalogue: Catalogue, lang: str) -> str:
    labels = STATUS_LABELS.get(lang, STATUS_LABELS["de"])
    lines = [f"{'Stichtag' if lang == 'de' else 'Reference date'}: {doc['date']}"]
    for res in doc["results"]:
        name = pick(catalogue.programme(res["programme"]).name, lang)
        lines.append("")
        lines.append(f"{res['round']} ({name}): {labels[res['status']]}")
        for reason in res["reasons"]:
            mark = {"met": "+", "not_met": "-", "unknown": "?"}[reason["outcome"]]
            lines.append(f"  {mark} {reason['text']}")
            lines.append(f"      [{reason['source']}]")
        if res["missing"]:
            word = "fehlt" if lang == "de" else "missing"
            lines.append(f"  {word}: {', '.join(res['missing'])}")
    return "\n".join(lines)


def run_single(args: argparse.Namespace, catalogue: Catalogue) -> int:
    day = args.date or today()
    text = args.file.read_text(encoding="utf-8") if args.file else sys.stdin.read()
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ProfileError(
            "profile", "invalid_json", detail=f"line {exc.lineno}, column {exc.colno}: {exc.msg}"
        ) from None
    except RecursionError:
        raise ProfileError("profile", "invalid_json", detail="nested too deeply") from None
    profile, rounds = parse_request(catalogue, raw, day, args.rounds)
    doc = result_document(evaluate(catalogue, profile, day, rounds), day, args.lang)
    if args.format == "json":
        print(json.dumps(doc, ensure_ascii=False, indent=2))
    else:
        print(format_text(doc, catalogue, args.lang))
    return 0


def run_batch(args: argparse.Namespace, catalogue: Catalogue) -> int:
    from wegweiser.eligibility.bulk import BatchError, evaluate_frame, read_profiles, validate

    day = args.date or today()
    rounds = None
    if args.rounds:
        try:
            rounds = list(catalogue.select_rounds(args.rounds))
        except KeyError as exc:
            print(f"error: --round: '{exc.args[0]}' is not a known funding round", file=sys.stderr)
            return EXIT_INVALID
    started = time.perf_counter()
    try:
        print(f"reading {args.input} ...", file=sys.stderr)
        frame = read_profiles(args.input)
        print(f"checking {frame.height} profiles ...", file=sys.stderr)
        validate(frame, day, catalogue.round_ids)
    except BatchError as exc:  # an unreadable file (OSError) ends in main
        print(f"error: {args.input}: nothing was evaluated:\n{exc}", file=sys.stderr)
        return EXIT_INVALID
    result = evaluate_frame(catalogue, frame, day, rounds)
    from wegweiser.eligibility.bulk import write_results

    write_results(result, args.output)
    elapsed = time.perf_counter() - started
    print(
        f"{frame.height} profiles, {(result.width - ('id' in result.columns)) // 2} rounds, "
        f"{elapsed:.2f} s -> {args.output}",
        file=sys.stderr,
    )
    for col in result.columns:
        if col.endswith(".status"):
            counts = result.get_column(col).value_counts()
            summary = ", ".join(
                f"{s}: {int(counts.filter(counts[col] == s)['count'].sum())}" for s in STATUSES
            )
            print(f"  {col[:-7]}: {summary}", file=sys.stderr)
    return 0


def main(command: str, argv: list[str]) -> int:
    lang = "de"
    try:
        args = _parser(command).parse_args(argv)
        lang = getattr(args, "lang", "de")
        catalogue = load_catalogue(args.catalogue)
        if command == "eligibility":
            return run_single(args, catalogue)
        return run_batch(args, catalogue)
    except UsageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_INVALID
    except ProfileError as exc:
        print(f"error: {exc.text(lang)}", file=sys.stderr)
        return EXIT_INVALID
    except CatalogueError as exc:
        print(f"error: catalogue: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_INVALID
