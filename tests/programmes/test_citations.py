"""The public sources of rules (``programmes.citations.rule_citations``), found once per list of
rules and catalogue: the kept answer is the one computed afresh, for every round's rules."""

from __future__ import annotations

import dataclasses

from wegweiser.eligibility.catalogue import load_catalogue
from wegweiser.programmes import citations
from wegweiser.programmes.citations import rule_citations


def _fresh(rules, catalogue):
    found: dict = {}
    for rule in rules:
        for c in citations._cite((s.id for s in rule.sources), rule.legal, catalogue):
            found.setdefault(c)
    return list(found)


def test_kept_citations_are_the_computed_ones_for_every_round():
    catalogue = load_catalogue()
    checked = 0
    for rnd in catalogue.rounds:
        rules = list(rnd.rules)
        for some in (rules, rules[:1], rules[::-1]):
            expected = _fresh(some, catalogue)
            assert rule_citations(some, catalogue) == expected
            again = rule_citations(iter(some), catalogue)  # kept, given as an iterator
            assert again == expected
            again.append("changed by a caller")  # a caller's list is its own
            assert rule_citations(some, catalogue) == expected
            checked += bool(expected)
    assert checked > 10  # rules with public sources were among them


def test_another_catalogue_or_other_rules_are_found_afresh():
    catalogue = load_catalogue()
    rule = next(r for rnd in catalogue.rounds for r in rnd.rules if r.legal)
    first = rule_citations([rule], catalogue)
    assert first
    # a rule object like it without its law: not taken for the kept one
    without_law = dataclasses.replace(rule, legal="", legal_refs=())
    assert rule_citations([without_law], catalogue) == _fresh([without_law], catalogue)
    assert len(rule_citations([without_law], catalogue)) < len(first)
    # another catalogue with the same rule objects but other sources: its own citations
    renamed = {
        sid: dataclasses.replace(source, title=f"{source.title} (renamed)")
        for sid, source in catalogue.sources.items()
    }
    other = dataclasses.replace(catalogue, sources=renamed)
    assert rule_citations([rule], other) == _fresh([rule], other) != first
    assert rule_citations([rule], catalogue) == first
