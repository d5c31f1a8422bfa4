"""The command line, run as a real process: `wegweiser eligibility` and `eligibility-batch`."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest

ACCEPTANCE_PROFILE = (
    '{"birth_date":"2000-01-01","gender":"male","citizenships":["SY"],'
    '"residence":{"title":"aufenthaltserlaubnis","section":"25(2)"},'
    '"jobcentre_contact":"not_reached"}'
)


def wegweiser(*args: str, stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "wegweiser", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_acceptance_example():
    proc = wegweiser("eligibility", "--date", "2025-06-01", stdin=ACCEPTANCE_PROFILE)
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert doc["date"] == "2025-06-01"
    by_round = {(r["programme"], r["round"]): r for r in doc["results"]}
    assert by_round[("win-win", "win-win-1")]["status"] == "eligible"
    assert by_round[("wir", "wir-2022")]["status"] == "eligible"
    ww2 = by_round[("win-win", "win-win-2")]
    assert ww2["status"] == "not_eligible"
    (reason,) = ww2["reasons"]
    assert "Kapitel 2 Abschnitt 5 AufenthG" in reason["text"]
    assert "Seed 001" in reason["source"]


def test_text_format_in_english(tmp_path: Path):
    profile = tmp_path / "p.json"
    profile.write_text(ACCEPTANCE_PROFILE)
    proc = wegweiser(
        "eligibility", "--date", "2025-06-01", "--format", "text", "--lang", "en", str(profile)
    )
    assert proc.returncode == 0, proc.stderr
    assert "win-win-2 (Win-Win – integration through cooperation): not eligible" in proc.stdout
    assert "Chapter 2 Part 5 AufenthG" in proc.stdout


def test_round_option_evaluates_an_ended_round():
    proc = wegweiser(
        "eligibility",
        "--date",
        "2025-06-01",
        "--round",
        "ikmk-2022",
        stdin='{"attending_integration_course": true, "child_without_childcare": true}',
    )
    assert proc.returncode == 0, proc.stderr
    (result,) = json.loads(proc.stdout)["results"]
    assert (result["round"], result["status"]) == ("ikmk-2022", "eligible")


@pytest.mark.parametrize(
    ("stdin", "args", "key"),
    [
        ("{not json", [], "profile"),
        ('{"colour": "blue"}', [], "colour"),
        ('{"gender": "m"}', [], "gender"),
        ('{"birth_date": "2026-01-01"}', [], "birth_date"),
        ("{}", ["--round", "wir-1999"], "rounds"),
    ],
)
def test_bad_input_exits_2_naming_the_key(stdin, args, key):
    proc = wegweiser("eligibility", "--date", "2025-06-01", *args, stdin=stdin)
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert f"error: {key}: " in proc.stderr


def test_bad_date_option_exits_2():
    proc = wegweiser("eligibility", "--date", "yesterday", stdin="{}")
    assert proc.returncode == 2
    assert "--date" in proc.stderr


CSV = """id,birth_date,gender,citizenships,residence_title,residence_section,jobcentre_contact,participations
a,2000-01-01,male,SY,aufenthaltserlaubnis,25(2),not_reached,
b,1999-01-01,male,RO,free_movement,,not_reached,wir-2022
c,,,,,,,
"""


def test_batch_csv(tmp_path: Path):
    src, out = tmp_path / "in.csv", tmp_path / "out.csv"
    src.write_text(CSV)
    proc = wegweiser(
        "eligibility-batch", "--input", str(src), "--output", str(out), "--date", "2025-06-01"
    )
    assert proc.returncode == 0, proc.stderr
    assert "3 profiles" in proc.stderr
    result = pl.read_csv(out)
    rows = {r["id"]: r for r in result.iter_rows(named=True)}
    assert rows["a"]["win-win/win-win-2.status"] == "not_eligible"
    assert rows["a"]["win-win/win-win-1.status"] == "eligible"
    assert rows["b"]["win-win/win-win-1.status"] == "not_eligible"  # in WIR: double funding
    assert rows["c"]["wir/wir-2022.missing"] == "birth_date;residence;work_ban"


def test_batch_parquet_round_trip(tmp_path: Path):
    src, out = tmp_path / "in.parquet", tmp_path / "out.parquet"
    pl.DataFrame(
        {
            "id": [1],
            "age": [20],
            "gender": ["male"],
            "citizenships": [["UA"]],
            "jobcentre_contact": ["refuses"],
        }
    ).write_parquet(src)
    proc = wegweiser(
        "eligibility-batch", "--input", str(src), "--output", str(out), "--date", "2025-06-01"
    )
    assert proc.returncode == 0, proc.stderr
    assert pl.read_parquet(out).row(0, named=True)["win-win/win-win-1.status"] == "eligible"


def test_batch_with_one_bad_row_evaluates_nothing(tmp_path: Path):
    src, out = tmp_path / "in.csv", tmp_path / "out.csv"
    src.write_text(CSV.replace("b,1999-01-01,male,", "b,1999-01-01,m,"))
    proc = wegweiser(
        "eligibility-batch", "--input", str(src), "--output", str(out), "--date", "2025-06-01"
    )
    assert proc.returncode == 2
    assert "row 2, gender" in proc.stderr
    assert not out.exists()
