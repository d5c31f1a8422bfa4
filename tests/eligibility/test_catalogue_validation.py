"""Loading the rule files validates them: errors name the file and the rule."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from wegweiser.eligibility.catalogue import DEFAULT_CATALOGUE_DIR, CatalogueError, load_catalogue


@pytest.fixture
def catalogue_dir(tmp_path: Path) -> Path:
    target = tmp_path / "catalogue"
    shutil.copytree(DEFAULT_CATALOGUE_DIR, target)
    return target


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_shipped_catalogue_is_valid():
    cat = load_catalogue()
    assert [p.id for p in cat.programmes][:2] == ["wir", "win-win"]
    assert len(cat.rounds) == 14
    assert all(rule.sources or rule.legal for r in cat.rounds for rule in r.rules)


@pytest.mark.parametrize(
    ("file", "old", "new", "message"),
    [
        (
            "win-win.yaml",
            "{fact: gender, eq: male}",
            "{fact: sex, eq: male}",
            "win-win.yaml, rule 'male': unknown fact 'sex'",
        ),
        (
            "win-win.yaml",
            "{fact: gender, eq: male}",
            "{fact: gender, eq: m}",
            "win-win.yaml, rule 'male': unknown value 'm' for fact 'gender'",
        ),
        (
            "win-win.yaml",
            'excludes_participation_in: ["wir-*"]',
            'excludes_participation_in: ["wirr-*"]',
            "win-win.yaml, round 'win-win-1': 'excludes_participation_in' pattern 'wirr-*'",
        ),
        (
            "wir.yaml",
            "{fact: age, gte: 15}",
            '{fact: age, gte: "15"}',
            "wir.yaml, rule 'age-15': fact 'age' compares with a whole number",
        ),
        (
            "wir.yaml",
            "{fact: age, gte: 15}",
            '{fact: age, startswith: "1"}',
            "wir.yaml, rule 'age-15': operator 'startswith' does not apply",
        ),
        (
            "wir.yaml",
            'rules: [refugee, age-15, no-absolute-work-ban]\n    excludes_participation_in: ["win-win-*"]\n  - id: wir-2026',
            'rules: [refugee, age-15, no-work-ban]\n    excludes_participation_in: ["win-win-*"]\n  - id: wir-2026',
            "wir.yaml, round 'wir-2022': unknown rule 'no-work-ban'",
        ),
        (
            "jmd.yaml",
            "{fact: has_migration_background, eq: true}",
            "{fact: has_migration_background, eq: true, ne: false}",
            "jmd.yaml, rule 'migration-background': fact 'has_migration_background' needs exactly one",
        ),
        (
            "jmd.yaml",
            "    sources: [seed-004, S62]\n    when:",
            "    sources: [S999]\n    when:",
            "jmd.yaml, rule 'migration-background': unknown source 'S999'",
        ),
        (
            "hessen-lotsen.yaml",
            "start: 2013-07-22",
            "start: July 2013",
            "hessen-lotsen.yaml, round 'hessen-lotsen', start",
        ),
        (
            "integrationskurs-mit-kind.yaml",
            "    start: 2022-01-01\n    end: 2023-12-31",
            "    start: 2022-01-01\n    end: 2021-12-31",
            "integrationskurs-mit-kind.yaml, round 'ikmk-2022': ends before it starts",
        ),
        (
            "hessen-mitsprache.yaml",
            "{fact: german_level, in: [none, A1, A2]}",
            "{fact: german_level, in: [none, A1, A3]}",
            "hessen-mitsprache.yaml, rule 'language-need': unknown value 'A3'",
        ),
    ],
)
def test_invalid_rule_names_file_and_rule(catalogue_dir, file, old, new, message):
    edit(catalogue_dir / file, old, new)
    with pytest.raises(CatalogueError) as exc:
        load_catalogue(catalogue_dir)
    assert message in str(exc.value)


def test_participation_condition_must_name_a_known_round(catalogue_dir):
    edit(
        catalogue_dir / "jmd.yaml",
        "{fact: has_migration_background, eq: true}",
        "{fact: participations, contains_any: [jmd-1999]}",
    )
    with pytest.raises(
        CatalogueError, match="jmd.yaml, rule 'migration-background': unknown value 'jmd-1999'"
    ):
        load_catalogue(catalogue_dir)


def test_unlisted_file_is_an_error(catalogue_dir):
    shutil.copy(catalogue_dir / "jmd.yaml", catalogue_dir / "jmd-copy.yaml")
    with pytest.raises(CatalogueError, match="jmd-copy.yaml: not listed in index.yaml"):
        load_catalogue(catalogue_dir)


def test_rule_without_source_is_an_error(catalogue_dir):
    edit(
        catalogue_dir / "hessen-lotsen.yaml",
        "    sources: [S55]\n    when: {fact: lives",
        "    when: {fact: lives",
    )
    with pytest.raises(CatalogueError, match="rule 'lives-in-hessen': every rule needs a source"):
        load_catalogue(catalogue_dir)


def test_version_changes_with_the_rules(catalogue_dir):
    before = load_catalogue(catalogue_dir).version
    edit(catalogue_dir / "wir.yaml", "{fact: age, gte: 15}", "{fact: age, gte: 16}")
    assert load_catalogue(catalogue_dir).version != before


# --- what a person reads: sources, laws, round names (issue 11, "plain words") ----------------


def test_a_legal_reference_must_name_a_law_of_the_sources(catalogue_dir):
    edit(catalogue_dir / "wir.yaml", "§ 61 AsylG", "§ 61 AsylVfG")
    with pytest.raises(
        CatalogueError,
        match="rule 'no-absolute-work-ban': the legal reference '§ 61 AsylVfG' names no law",
    ):
        load_catalogue(catalogue_dir)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("  kind: seed\nseed-001:", "  kind: memo\nseed-001:", "source 'seed-000': unknown kind"),
        ('  abbreviation: "AsylG"\n', "", "source 'asylg': a law needs its 'abbreviation'"),
    ],
)
def test_sources_have_a_known_kind_and_laws_an_abbreviation(catalogue_dir, old, new, message):
    edit(catalogue_dir / "sources.yaml", old, new)
    with pytest.raises(CatalogueError, match=message):
        load_catalogue(catalogue_dir)


def test_legal_references_are_split_and_linked_to_their_law():
    cat = load_catalogue()
    rule = next(r for r in cat.programme("win-win").rounds[1].rules if r.legal)
    assert [(text, law.abbreviation) for text, law in rule.legal_refs] == [
        ("Kapitel 2 Abschnitt 5 AufenthG (§§ 22–26)", "AufenthG"),
        ("§ 55 AsylG", "AsylG"),
        ("§ 60a AufenthG", "AufenthG"),
    ]
    assert all(law.url.startswith("https://") for _, law in rule.legal_refs)


def test_source_titles_carry_no_ids_and_internal_sources_are_marked():
    cat = load_catalogue()
    internal = {sid for sid, s in cat.sources.items() if not s.public}
    assert internal == {f"seed-00{n}" for n in range(5)} | {"eligibility-v1"}
    for sid, source in cat.sources.items():
        if source.public:
            assert sid not in source.title
            assert not re.match(r"S\d+", source.title), source.title
            assert source.url.startswith("https://"), sid


def test_every_round_name_says_its_years():
    """People read "Win-Win, 2. Förderrunde (2025–2028)", never a round id."""
    for rnd in load_catalogue().rounds:
        for lang in ("de", "en"):
            assert re.search(r"\b(19|20)\d\d\b", rnd.name[lang]), (rnd.key, rnd.name[lang])


def test_the_double_funding_rule_names_programmes_not_round_ids():
    cat = load_catalogue()
    ids = {r.id for r in cat.rounds}
    for rnd in cat.rounds:
        for rule in rnd.rules:
            if rule.excluded_rounds:
                for lang in ("de", "en"):
                    assert not set(re.findall(r"[\w-]+", rule.text[lang])) & ids, rule.text
    (rule,) = [r for r in cat.programme("win-win").rounds[0].rules if r.excluded_rounds]
    assert rule.text["de"] == (
        "Keine gleichzeitige Teilnahme an WIR – Netzwerke integrieren Geflüchtete in den "
        "regionalen Arbeitsmarkt (Vermeidung von Doppelförderung)."
    )
