"""Full-text search over offers with German stemming, on PostgreSQL and on SQLite.

- PostgreSQL: matching runs on the narrow search table ``directory_offer_search`` (migration
  ``0003``, kept by a trigger): a GIN expression index over the German stems with their
  prefixes of 2–8 characters and the facets, so a prefix query with filters is one exact index
  read. Ranking reads the offer table's stored ``search_vector`` (migration ``0002``).
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
from django.db.models import BooleanField, F, FloatField, Func, OuterRef, QuerySet, Subquery, Value
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


# --- PostgreSQL: the narrow search table (migration 0003) -------------------------------------

#: Prefixes of stems up to this length are stored as lexemes of their own; a query word whose
#: stem is longer falls back to a (cheap, because specific) GIN prefix match.
PREFIX_MAX = 8
SEARCH_TABLE = "directory_offer_search"
#: What queries match: stems with their prefixes, and the facets. Since migration 0005 a stored
#: generated column (``vector``) with a GIN index; before, only the index held it (narrower rows,
#: ~0.5 kB instead of ~1.6 kB), but a filter that matches most offers made the planner read the
#: table and build every row's vector again (18-24 ms for 155 offers; ``vector_column``).
SEARCH_VECTOR = "directory_prefix_vector(stems) || directory_facet_vector(facets)"
_SEARCH_COLUMNS = (
    "status",
    "lat",
    "lon",
    "facets",
    "region_id",
    "city_region_id",
    "funding_round_id",
    "sort_name",
)

_PG_SEARCH_TABLE_SQL = [
    f"""
    CREATE TABLE {SEARCH_TABLE} (
        search_key bigint PRIMARY KEY,
        status varchar(10) NOT NULL,
        lat double precision,
        lon double precision,
        facets varchar(1000) NOT NULL,
        region_id varchar(8),
        city_region_id varchar(8),
        funding_round_id bigint,
        sort_name varchar(250) NOT NULL,
        stems tsvector NOT NULL
    )
    """,
    # Stems and their prefixes of 2..PREFIX_MAX characters, without positions.
    f"""
    CREATE FUNCTION directory_prefix_vector(v tsvector) RETURNS tsvector
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE COST 10000 AS $$
        SELECT coalesce(array_to_tsvector(array_agg(DISTINCT t)), ''::tsvector) FROM (
            SELECT l AS t FROM unnest(tsvector_to_array(v)) AS l
            UNION ALL
            SELECT left(l, k) FROM unnest(tsvector_to_array(v)) AS l,
                generate_series(2, {PREFIX_MAX}) AS k
            WHERE char_length(l) > k
        ) AS z
    $$
    """,  # noqa: S608 (constants only)
    # The facets (``|t:theme|l:lang|m:mode|free|``) as lexemes ``|t:theme`` …: no query word
    # can produce a "|", so they never mix with text.
    """
    CREATE FUNCTION directory_facet_vector(facets text) RETURNS tsvector
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE COST 1000 AS $$
        SELECT coalesce(array_to_tsvector(array_agg(DISTINCT '|' || f)), ''::tsvector)
        FROM unnest(string_to_array(facets, '|')) AS f WHERE f <> ''
    $$
    """,
    f"""
    CREATE FUNCTION directory_offer_search_sync() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'DELETE' OR (TG_OP = 'UPDATE' AND OLD.search_key IS DISTINCT FROM NEW.search_key)
        THEN
            DELETE FROM {SEARCH_TABLE} WHERE search_key = OLD.search_key;
        END IF;
        IF TG_OP = 'DELETE' THEN
            RETURN OLD;
        END IF;
        IF NEW.search_key IS NULL THEN
            RETURN NEW;
        END IF;
        IF TG_OP = 'UPDATE' AND OLD.search_key = NEW.search_key
            AND OLD.search_document IS NOT DISTINCT FROM NEW.search_document
            AND OLD.facets IS NOT DISTINCT FROM NEW.facets THEN
            UPDATE {SEARCH_TABLE} SET status = NEW.status, lat = NEW.lat, lon = NEW.lon,
                region_id = NEW.region_id, city_region_id = NEW.city_region_id,
                funding_round_id = NEW.funding_round_id, sort_name = NEW.sort_name
            WHERE search_key = NEW.search_key;
            RETURN NEW;
        END IF;
        INSERT INTO {SEARCH_TABLE} AS s (search_key, status, lat, lon, facets, region_id,
                                         city_region_id, funding_round_id, sort_name, stems)
        VALUES (NEW.search_key, NEW.status, NEW.lat, NEW.lon, NEW.facets, NEW.region_id,
                NEW.city_region_id, NEW.funding_round_id, NEW.sort_name,
                strip(to_tsvector('german'::regconfig, coalesce(NEW.search_document, ''))))
        ON CONFLICT (search_key) DO UPDATE SET status = EXCLUDED.status, lat = EXCLUDED.lat,
            lon = EXCLUDED.lon, facets = EXCLUDED.facets, region_id = EXCLUDED.region_id,
            city_region_id = EXCLUDED.city_region_id,
            funding_round_id = EXCLUDED.funding_round_id, sort_name = EXCLUDED.sort_name,
            stems = EXCLUDED.stems;
        RETURN NEW;
    END
    $$
    """,  # noqa: S608 (constants only)
    f"""
    CREATE FUNCTION directory_offer_search_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        TRUNCATE {SEARCH_TABLE};
        RETURN NULL;
    END
    $$
    """,
    "CREATE TRIGGER directory_offer_search_sync AFTER INSERT OR UPDATE OR DELETE "
    "ON directory_offer FOR EACH ROW EXECUTE FUNCTION directory_offer_search_sync()",
    "CREATE TRIGGER directory_offer_search_truncate AFTER TRUNCATE "
    "ON directory_offer FOR EACH STATEMENT EXECUTE FUNCTION directory_offer_search_truncate()",
    f"""
    INSERT INTO {SEARCH_TABLE} (search_key, {", ".join(_SEARCH_COLUMNS)}, stems)
    SELECT search_key, {", ".join(_SEARCH_COLUMNS)},
        strip(to_tsvector('german'::regconfig, coalesce(search_document, '')))
    FROM directory_offer WHERE search_key IS NOT NULL
    """,  # noqa: S608 (constants only)
    f"CREATE INDEX offer_search_row_vector ON {SEARCH_TABLE} USING gin (({SEARCH_VECTOR}))",
    f"CREATE INDEX offer_search_row_point ON {SEARCH_TABLE} (lat, lon)",
    f"CREATE INDEX offer_search_row_region ON {SEARCH_TABLE} (region_id)",
    f"CREATE INDEX offer_search_row_city_region ON {SEARCH_TABLE} (city_region_id)",
    f"ANALYZE {SEARCH_TABLE}",
    # Matching no longer reads the offer table's own vector (kept for relevance only).
    "DROP INDEX IF EXISTS offer_search_vector",
]

_PG_DROP_SEARCH_TABLE_SQL = [
    "DROP TRIGGER IF EXISTS directory_offer_search_sync ON directory_offer",
    "DROP TRIGGER IF EXISTS directory_offer_search_truncate ON directory_offer",
    "DROP FUNCTION IF EXISTS directory_offer_search_sync()",
    "DROP FUNCTION IF EXISTS directory_offer_search_truncate()",
    f"DROP TABLE IF EXISTS {SEARCH_TABLE}",
    "DROP FUNCTION IF EXISTS directory_prefix_vector(tsvector)",
    "DROP FUNCTION IF EXISTS directory_facet_vector(text)",
    "CREATE INDEX IF NOT EXISTS offer_search_vector ON directory_offer USING gin (search_vector)",
]


_PG_VECTOR_COLUMN_SQL = [
    f"ALTER TABLE {SEARCH_TABLE} ADD COLUMN vector tsvector "
    f"GENERATED ALWAYS AS ({SEARCH_VECTOR}) STORED",
    f"CREATE INDEX offer_search_row_vector_column ON {SEARCH_TABLE} USING gin (vector)",
    "DROP INDEX IF EXISTS offer_search_row_vector",
    f"ANALYZE {SEARCH_TABLE}",
]
_PG_VECTOR_EXPRESSION_SQL = [
    f"CREATE INDEX offer_search_row_vector ON {SEARCH_TABLE} USING gin (({SEARCH_VECTOR}))",
    f"ALTER TABLE {SEARCH_TABLE} DROP COLUMN IF EXISTS vector",
]


def _on_postgres(schema_editor, statements: list[str]) -> None:
    """The migrations' SQL: run on PostgreSQL, nothing on SQLite."""
    if schema_editor.connection.vendor == "postgresql":
        for sql in statements:
            schema_editor.execute(sql)


def create_search_table(schema_editor) -> None:
    _on_postgres(schema_editor, _PG_SEARCH_TABLE_SQL)


def drop_search_table(schema_editor) -> None:
    _on_postgres(schema_editor, _PG_DROP_SEARCH_TABLE_SQL)


def vector_column(schema_editor) -> None:
    """Migration 0005: the vector as a stored column (the trigger's writes fill it)."""
    _on_postgres(schema_editor, _PG_VECTOR_COLUMN_SQL)


def vector_expression_index(schema_editor) -> None:
    """Migration 0005 backwards: the expression index again, no column."""
    _on_postgres(schema_editor, _PG_VECTOR_EXPRESSION_SQL)


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


def _quote_lexeme(lexeme: str) -> str:
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


@lru_cache(maxsize=20_000)
def _pg_lexemes(word: str) -> tuple[str, ...]:
    """The lexemes PostgreSQL's ``german`` configuration makes of one query word."""
    with connection.cursor() as cur:
        cur.execute("SELECT tsvector_to_array(to_tsvector('german'::regconfig, %s))", [word])
        return tuple(cur.fetchone()[0] or ())


def pg_prefix_tsquery(q: str) -> str:
    """The query for the search table's prefix vector: every word's stem as a prefix.

    Stems up to ``PREFIX_MAX`` characters are stored with all their prefixes, so they are an
    exact lexeme; longer ones use a GIN prefix match.
    """
    terms = []
    for word in query_words(q):
        for lexeme in _pg_lexemes(word):
            quoted = _quote_lexeme(lexeme)
            terms.append(quoted if len(lexeme) <= PREFIX_MAX else f"{quoted}:*")
    return " & ".join(dict.fromkeys(terms))


def pg_facet_tsquery(
    themes: Iterable[str], languages: Iterable[str], modes: Iterable[str], free_only: bool
) -> str:
    """The facet filters as a query on the facet lexemes: every theme, any language, any mode."""
    terms = [_quote_lexeme(f"|t:{t}") for t in themes]
    for prefix, values in (("l", languages), ("m", modes)):
        alternatives = [_quote_lexeme(f"|{prefix}:{v}") for v in values]
        if alternatives:
            terms.append("(" + " | ".join(alternatives) + ")")
    if free_only:
        terms.append(_quote_lexeme("|free"))
    return " & ".join(terms)


def _vector_matches(tsquery: str) -> Func:
    """``vector @@ tsquery`` as an expression (works in subqueries under any alias) on the
    search table's stored vector column, which its GIN index holds."""
    query = Func(Value(tsquery), template="%(expressions)s::tsquery")
    return Func(
        F("vector"),
        query,
        template="%(expressions)s",
        arg_joiner=" @@ ",
        output_field=BooleanField(),
    )


def filter_vector(qs: QuerySet, tsquery: str) -> QuerySet:
    """PostgreSQL: restrict search rows to those whose vector matches ``tsquery``."""
    return qs.filter(_vector_matches(tsquery))


#: Relevance reads the offer's own positional vector (the search table's has no positions).
PG_RANK = "ts_rank(search_vector, to_tsquery('german'::regconfig, %s))"


def _pg_rank(q: str) -> Subquery:
    from wegweiser.directory.models import Offer

    ranked = Offer.objects.filter(search_key=OuterRef("search_key")).annotate(
        rank=RawSQL(PG_RANK, [_tsquery(q)])  # noqa: S611 (constant SQL, parameter)
    )
    return Subquery(ranked.values("rank")[:1], output_field=FloatField())


SQLITE_MATCH = f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s"  # noqa: S608
SQLITE_RANK = f"SELECT rowid, bm25({FTS_TABLE}) FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s"  # noqa: S608


def filter_text(
    qs: QuerySet, q: str, *, scores: bool = False, pg_also: str = ""
) -> tuple[QuerySet, dict[int, float] | None]:
    """Restrict ``qs`` to offers matching ``q``.

    ``qs`` holds offers, or on PostgreSQL :class:`~wegweiser.directory.models.OfferSearchRow`
    (see ``selectors.search_rows``; only these get relevance there). With ``scores``, relevance
    is also computed: on PostgreSQL as a ``rank`` annotation (the second value is None), on
    SQLite as a dict by ``search_key``. ``pg_also``: more of the query on the search table's
    vector (facets), matched in the same index read.
    """
    if not query_words(q):
        return qs.none(), {}
    if is_postgres():
        from wegweiser.directory.models import OfferSearchRow

        tsq = pg_prefix_tsquery(q)
        if not tsq:
            return qs.none(), {}
        if qs.model is not OfferSearchRow:
            rows = filter_vector(OfferSearchRow.objects.all(), tsq)
            return qs.filter(search_key__in=rows.values("search_key")), None
        qs = filter_vector(qs, f"{tsq} & {pg_also}" if pg_also else tsq)
        if scores:
            qs = qs.annotate(rank=_pg_rank(q))
        return qs, None
    match = _fts5_match(q)
    ranking = None
    if scores:
        with connection.cursor() as cur:
            cur.execute(SQLITE_RANK, [match])
            ranking = {key: -score for key, score in cur.fetchall()}
    return qs.filter(search_key__in=RawSQL(SQLITE_MATCH, [match])), ranking  # noqa: S611
