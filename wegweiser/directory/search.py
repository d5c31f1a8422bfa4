"""Full-text search over offers with German stemming, on PostgreSQL and on SQLite.

- PostgreSQL: ``to_tsvector('german', search_document)`` with a GIN expression index (created by
  migration ``0002``); queries use the same expression, so the index is used.
- SQLite: an FTS5 table ``directory_offer_fts`` holding the document after German Snowball
  stemming (the same algorithm PostgreSQL's ``german`` configuration uses); queries are stemmed
  the same way.

Both treat each query word as a prefix of a stem, so "Anerkennung" also finds the compound
"Anerkennungsberatung", and all words must match.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

import snowballstemmer
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import F, QuerySet
from django.db.models.expressions import RawSQL

FTS_TABLE = "directory_offer_fts"
CONFIG = "german"
_WORD = re.compile(r"\w+", re.UNICODE)
MAX_WORDS = 8


def search_vector() -> SearchVector:
    return SearchVector("search_document", config=CONFIG)


@lru_cache(maxsize=1)
def _stemmer():
    return snowballstemmer.stemmer("german")


def words(text: str) -> list[str]:
    return [w.casefold() for w in _WORD.findall(text or "")]


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    return _stemmer().stemWord(word)


def stem_text(text: str) -> str:
    return " ".join(stem(w) for w in words(text))


def query_words(q: str) -> list[str]:
    return [w for w in words(q) if len(w) > 1][:MAX_WORDS]


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


def gin_index():
    from django.contrib.postgres.indexes import GinIndex

    return GinIndex(search_vector(), name="offer_search_gin")


def create_index(schema_editor, offer_model) -> None:
    """Create the text index for the current database (called by the migration).

    On PostgreSQL the index is built from the same expression the queries use, so that the
    planner can match them.
    """
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.add_index(offer_model, gin_index())
    elif vendor == "sqlite":
        schema_editor.execute(
            f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5("
            "offer_id UNINDEXED, body, tokenize = 'unicode61 remove_diacritics 0')"
        )


def drop_index(schema_editor, offer_model) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.remove_index(offer_model, gin_index())
    elif vendor == "sqlite":
        schema_editor.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")


def index_offers(rows: Iterable[tuple[object, str]]) -> None:
    """Bring the SQLite FTS table up to date for ``(offer_id, search_document)`` pairs.

    PostgreSQL needs nothing: its index follows the column.
    """
    if connection.vendor != "sqlite":
        return
    data = [(offer_id.hex, stem_text(doc)) for offer_id, doc in rows]
    if not data:
        return
    with connection.cursor() as cur:
        for start in range(0, len(data), 500):
            chunk = data[start : start + 500]
            marks = ",".join(["%s"] * len(chunk))
            cur.execute(
                f"DELETE FROM {FTS_TABLE} WHERE offer_id IN ({marks})",  # noqa: S608
                [offer_id for offer_id, _ in chunk],
            )
            cur.executemany(f"INSERT INTO {FTS_TABLE} (offer_id, body) VALUES (%s, %s)", chunk)  # noqa: S608


def unindex_offers(offer_ids: Iterable[object]) -> None:
    if connection.vendor != "sqlite":
        return
    ids = [i.hex for i in offer_ids]
    with connection.cursor() as cur:
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ",".join(["%s"] * len(chunk))
            cur.execute(f"DELETE FROM {FTS_TABLE} WHERE offer_id IN ({marks})", chunk)  # noqa: S608


def _fts5_match(q: str) -> str:
    stems = [stem(w) for w in query_words(q)]
    return " AND ".join(f'"{s}"*' for s in stems if s)


def _tsquery(q: str) -> str:
    return " & ".join(f"{w}:*" for w in query_words(q))


def filter_text(qs: QuerySet, q: str) -> tuple[QuerySet, dict[str, float] | None]:
    """Restrict ``qs`` to offers matching ``q``.

    Returns the queryset and, on SQLite, the relevance of each matching offer by id (hex). On
    PostgreSQL the queryset is annotated with ``rank`` instead and the second value is None.
    """
    if not query_words(q):
        return qs.none(), {}
    if is_postgres():
        query = SearchQuery(_tsquery(q), config=CONFIG, search_type="raw")
        vector = search_vector()
        qs = qs.annotate(_sv=vector).filter(_sv=query).annotate(rank=SearchRank(F("_sv"), query))
        return qs, None
    match = _fts5_match(q)
    with connection.cursor() as cur:
        cur.execute(
            f"SELECT offer_id, bm25({FTS_TABLE}) FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s",  # noqa: S608
            [match],
        )
        scores = {offer_id: -score for offer_id, score in cur.fetchall()}
    sql = f"SELECT offer_id FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s"  # noqa: S608
    subquery = RawSQL(sql, [match])  # noqa: S611 (constant SQL, the query is a parameter)
    return qs.filter(id__in=subquery), scores
