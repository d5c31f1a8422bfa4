"""Full-text search over offers with German stemming, on PostgreSQL and on SQLite.

- PostgreSQL: a stored generated column ``search_vector`` =
  ``to_tsvector('german', search_document)`` with a GIN index (migration ``0002``; the column is
  not declared on the model, PostgreSQL keeps it up to date). Ranking reads the stored vector.
- SQLite: an FTS5 table ``directory_offer_fts`` whose rowid is the offer's ``search_key`` and
  whose text is the document after German Snowball stemming (the algorithm PostgreSQL's
  ``german`` configuration uses); queries are stemmed the same way. Prefix indexes for 2 to 8
  characters make a prefix match one index read instead of a merge of every term it covers
  (measured: "berat* AND arbeit*" over 100,000 offers from 62 to 8 ms).

Both treat each query word as the prefix of a stem, so "Anerkennung" also finds the compound
"Anerkennungsberatung", and every word must match.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
import uuid
from collections.abc import Iterable
from functools import lru_cache

import snowballstemmer
from django.db import connection
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

FTS_TABLE = "directory_offer_fts"
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
MAX_WORDS = 8


def search_key(offer_id: uuid.UUID) -> int:
    """A positive 63-bit integer from the offer's UUID, stable for life.

    A hash, not the UUID's own bits: imported ids need not be random (UUIDv7, sequential ids).
    """
    digest = hashlib.blake2b(offer_id.bytes, digest_size=8).digest()
    return int.from_bytes(digest, "big") >> 1


@lru_cache(maxsize=1)
def _stemmer():
    return snowballstemmer.stemmer("german")


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    return _stemmer().stemWord(word)


def words(text: str) -> list[str]:
    return [w.casefold() for w in _WORD.findall(unicodedata.normalize("NFC", text or ""))]


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    """German function words ("und", "bei", "für", …) that PostgreSQL's ``german``
    configuration ignores; queries ignore them on both databases."""
    return frozenset(stem(w) for w in _GERMAN_STOPWORDS.split())


_GERMAN_STOPWORDS = """
aber alle allem allen aller alles als also am an ander andere anderem anderen anderer anderes
anderm andern anderr anders auch auf aus bei bin bis bist da damit dann der den des dem die das
dass daß derselbe derselben denselben desselben demselben dieselbe dieselben dasselbe dazu dein
deine deinem deinen deiner deines denn derer dessen dich dir du dies diese diesem diesen dieser
dieses doch dort durch ein eine einem einen einer eines einig einige einigem einigen einiger
einiges einmal er ihn ihm es etwas euer eure eurem euren eurer eures für gegen gewesen hab habe
haben hat hatte hatten hier hin hinter ich mich mir ihr ihre ihrem ihren ihrer ihres euch im in
indem ins ist jede jedem jeden jeder jedes jene jenem jenen jener jenes jetzt kann kein keine
keinem keinen keiner keines können könnte machen man manche manchem manchen mancher manches mein
meine meinem meinen meiner meines mit muss musste nach nicht nichts noch nun nur ob oder ohne sehr
sein seine seinem seinen seiner seines selbst sich sie ihnen sind so solche solchem solchen
solcher solches soll sollte sondern sonst über um und uns unsere unserem unseren unser unseres
unter viel vom von vor während war waren warst was weg weil weiter welche welchem welchen welcher
welches wenn werde werden wie wieder will wir wird wirst wo wollen wollte würde würden zu zum zur
zwar zwischen
"""


def stem_text(text: str) -> str:
    return " ".join(stem(w) for w in words(text))


def query_words(q: str) -> list[str]:
    """The searchable words of a query: no single letters, no stopwords, at most eight."""
    stop = stopwords()
    return [w for w in words(q) if len(w) > 1 and stem(w) not in stop][:MAX_WORDS]


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


# --- schema (called by migration 0002) ---------------------------------------------------------


def create_index(schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(
            "ALTER TABLE directory_offer ADD COLUMN search_vector tsvector "
            "GENERATED ALWAYS AS (to_tsvector('german'::regconfig, "
            "COALESCE(search_document, ''))) STORED"
        )
        schema_editor.execute(
            "CREATE INDEX offer_search_vector ON directory_offer USING gin (search_vector)"
        )
    elif vendor == "sqlite":
        schema_editor.execute(
            f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5("
            "body, tokenize = 'unicode61 remove_diacritics 0', prefix = '2 3 4 5 6 7 8')"
        )


def drop_index(schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute("ALTER TABLE directory_offer DROP COLUMN IF EXISTS search_vector")
    elif vendor == "sqlite":
        schema_editor.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")


# --- keeping the SQLite index in step ----------------------------------------------------------


def index_offers(rows: Iterable[tuple[uuid.UUID, str]]) -> None:
    """Bring the SQLite FTS table up to date for ``(offer_id, search_document)`` pairs.

    PostgreSQL needs nothing: its generated column follows ``search_document``.
    """
    if connection.vendor != "sqlite":
        return
    data = [(search_key(offer_id), stem_text(doc)) for offer_id, doc in rows]
    with connection.cursor() as cur:
        for start in range(0, len(data), 500):
            chunk = data[start : start + 500]
            marks = ",".join(["%s"] * len(chunk))
            cur.execute(
                f"DELETE FROM {FTS_TABLE} WHERE rowid IN ({marks})",  # noqa: S608
                [key for key, _ in chunk],
            )
            cur.executemany(f"INSERT INTO {FTS_TABLE} (rowid, body) VALUES (%s, %s)", chunk)  # noqa: S608


def unindex_offers(offer_ids: Iterable[uuid.UUID]) -> None:
    if connection.vendor != "sqlite":
        return
    keys = [search_key(i) for i in offer_ids]
    with connection.cursor() as cur:
        for start in range(0, len(keys), 500):
            chunk = keys[start : start + 500]
            marks = ",".join(["%s"] * len(chunk))
            cur.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid IN ({marks})", chunk)  # noqa: S608


# --- querying ----------------------------------------------------------------------------------


def _fts5_match(q: str) -> str:
    stems = [stem(w) for w in query_words(q)]
    return " AND ".join(f'"{s}"*' for s in stems if s)


def _tsquery(q: str) -> str:
    return " & ".join(f"{w}:*" for w in query_words(q))


PG_MATCH = "directory_offer.search_vector @@ to_tsquery('german'::regconfig, %s)"
PG_RANK = "ts_rank(directory_offer.search_vector, to_tsquery('german'::regconfig, %s))"
SQLITE_MATCH = f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s"  # noqa: S608
SQLITE_RANK = f"SELECT rowid, bm25({FTS_TABLE}) FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s"  # noqa: S608


def filter_text(
    qs: QuerySet, q: str, *, scores: bool = False
) -> tuple[QuerySet, dict[int, float] | None]:
    """Restrict ``qs`` to offers matching ``q``.

    With ``scores``, relevance is also computed: on PostgreSQL as a ``rank`` annotation (the
    second value is None), on SQLite as a dict by ``search_key``.
    """
    if not query_words(q):
        return qs.none(), {}
    if is_postgres():
        tsq = _tsquery(q)
        qs = qs.extra(where=[PG_MATCH], params=[tsq])  # noqa: S610 (constant SQL, parameter)
        if scores:
            qs = qs.annotate(rank=RawSQL(PG_RANK, [tsq]))  # noqa: S611
        return qs, None
    match = _fts5_match(q)
    ranking = None
    if scores:
        with connection.cursor() as cur:
            cur.execute(SQLITE_RANK, [match])
            ranking = {key: -score for key, score in cur.fetchall()}
    return qs.filter(search_key__in=RawSQL(SQLITE_MATCH, [match])), ranking  # noqa: S611
