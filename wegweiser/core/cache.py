"""A database cache whose ``incr`` is atomic: the store of the contact-request limits.

django-ratelimit counts with ``cache.add`` and ``cache.incr``. Django's ``DatabaseCache`` reads a
value and writes it back in ``incr`` (``BaseCache.incr``), so two server processes counting at the
same moment can both write the same number and let one request more through. Here ``incr`` locks
the row (``SELECT ... FOR UPDATE`` where the database has it; SQLite serialises writers anyway)
and writes the new value in the same transaction. ``add`` of a new key is already safe: the
second ``INSERT`` of the same key fails on the primary key, Django's cache answers ``False`` and
django-ratelimit then calls ``incr``.

The table is ``core.LimitCacheEntry`` (created by a migration, so ``migrate`` is enough and the
test runner empties it like any other table); its layout is the one of ``createcachetable``.
"""

from __future__ import annotations

import base64
import pickle

from django.core.cache.backends.db import DatabaseCache
from django.db import connections, router, transaction
from django.utils.timezone import now as tz_now


class AtomicDatabaseCache(DatabaseCache):
    """Django's database cache with an ``incr`` that cannot lose an update."""

    def incr(self, key, delta=1, version=None):
        key = self.make_and_validate_key(key, version=version)
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        qn = connection.ops.quote_name
        table = qn(self._table)
        now = connection.ops.adapt_datetimefield_value(tz_now().replace(microsecond=0, tzinfo=None))
        lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
        with transaction.atomic(using=db), connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {qn('value')} FROM {table} "  # noqa: S608 (quoted names, values bound)
                f"WHERE {qn('cache_key')} = %s AND {qn('expires')} > %s{lock}",
                [key, now],
            )
            row = cursor.fetchone()
            if row is None:
                raise ValueError(f"Key '{key}' not found")
            stored = connection.ops.process_clob(row[0])
            # only this cache writes the table, and only numbers (our own pickles)
            value = pickle.loads(base64.b64decode(stored.encode())) + delta  # noqa: S301
            encoded = base64.b64encode(pickle.dumps(value, self.pickle_protocol)).decode("latin1")
            cursor.execute(
                f"UPDATE {table} SET {qn('value')} = %s "  # noqa: S608
                f"WHERE {qn('cache_key')} = %s",
                [encoded, key],
            )
        return value
