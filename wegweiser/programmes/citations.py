"""The sources a person reads with a rule: laws and public documents, with titles and links.

Every rule of the catalogue cites sources (``sources.yaml``) and may name law sections
(``legal``). The public pages list them as "Quellen": each law reference linked to the law
(``§ 55 AsylG`` -> the Asylgesetz), each public document by its title and address. Seed texts
and our own product decisions (kinds ``seed`` and ``decision``) trace a rule for reviewers and
the API; they are never listed for the public, nor is any source id.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from wegweiser.eligibility.catalogue import Catalogue, Rule, legal_references


@dataclass(frozen=True)
class Citation:
    #: what the link says: the law reference (``§ 55 AsylG``) or the document's title
    text: str
    url: str
    #: a law's full name (``Asylgesetz (AsylG)``), empty for a document
    law: str = ""


def _cite(source_ids: Iterable[str], legal: str, catalogue: Catalogue) -> list[Citation]:
    out: list[Citation] = []
    for part, law in legal_references(legal or "", catalogue.sources):
        if law is not None:
            out.append(Citation(part, law.url, law.title))
    for sid in source_ids:
        source = catalogue.sources.get(sid)
        if source is not None and source.public and source.url:
            out.append(Citation(source.title, source.url))
    return out


#: (catalogue, {identities of a list of rules: (those rules, their citations)}): the
#: citations of each list of rules of the catalogue last asked (``rule_citations``), replaced
#: as one tuple. The rules are held with their citations, so an identity is never another's.
_kept: tuple = (None, {})
_KEPT_LIMIT = 4096


def rule_citations(rules: Iterable[Rule], catalogue: Catalogue) -> list[Citation]:
    """The public sources of ``rules``, laws first, each once. Found once per list of rules
    and catalogue (the result page asks for every round's reasons on every request)."""
    global _kept
    rules = tuple(rules)
    kept_catalogue, lists = _kept
    if kept_catalogue is not catalogue or len(lists) >= _KEPT_LIMIT:
        lists = {}
        _kept = (catalogue, lists)
    key = tuple(map(id, rules))
    hit = lists.get(key)  # the rules are held with it: no other object has their identities
    if hit is not None:
        return list(hit[1])
    cited: dict[Citation, None] = {}
    for rule in rules:
        for citation in _cite((s.id for s in rule.sources), rule.legal, catalogue):
            cited.setdefault(citation)
    lists[key] = (rules, tuple(cited))
    return list(cited)


def stored_rule_citations(rule: dict, catalogue: Catalogue) -> list[Citation]:
    """The same for a rule as stored on a ``FundingRound`` (``rules`` JSON: ``sources`` with
    ids, ``legal``); titles and addresses are read from the current catalogue."""
    ids = [s.get("id", "") for s in rule.get("sources") or []]
    return list(dict.fromkeys(_cite(ids, rule.get("legal", ""), catalogue)))


def source_citations(sources: Iterable[dict], catalogue: Catalogue) -> list[Citation]:
    """A programme's or round's stored sources (``[{"id": ...}, ...]``), the public ones."""
    return list(dict.fromkeys(_cite((s.get("id", "") for s in sources), "", catalogue)))


def stored_rules(rules: list[dict], catalogue: Catalogue) -> list[dict]:
    """A ``FundingRound.rules`` list for a public page: each rule's text in the active language
    with its public citations, without ids. The text is the catalogue's (``reason_text``: the
    double-funding rule names the excluded programmes in the page's language); a rule no longer
    in the catalogue keeps its stored text."""
    from wegweiser.core.i18n import pick
    from wegweiser.programmes.i18n import reason_text

    by_id = {rule.id: rule for rnd in catalogue.rounds for rule in rnd.rules}
    out = []
    for stored in rules:
        rule = by_id.get(stored.get("id", ""))
        text = reason_text(rule) if rule is not None else pick(stored.get("text"))
        out.append({"text": text, "citations": stored_rule_citations(stored, catalogue)})
    return out
