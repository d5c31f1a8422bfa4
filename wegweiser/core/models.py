"""The one table of the core app: the store of the ``limits`` cache (``core/cache.py``)."""

from __future__ import annotations

from django.db import models

#: ``settings.CACHES["limits"]["LOCATION"]``
LIMITS_CACHE_TABLE = "wegweiser_limits"


class LimitCacheEntry(models.Model):
    """A counter or marker of the contact-request limits, in Django's database-cache layout.

    Read and written only through the cache (``caches["limits"]``): hashed keys, a pickled value
    and an expiry. It holds no address and no name: django-ratelimit hashes its keys (SHA-256),
    the duplicate marker is an HMAC.
    """

    cache_key = models.CharField(max_length=255, primary_key=True)
    value = models.TextField()
    expires = models.DateTimeField(db_index=True)

    class Meta:
        db_table = LIMITS_CACHE_TABLE
        verbose_name = "limit counter"

    def __str__(self) -> str:
        return self.cache_key


class SharedStamp(models.Model):
    """How often a model's rows changed, for the kept objects of ``core/shared.py``: raised after
    each committed change that Django signals (and by ``shared.forget_all`` after bulk writes),
    read by every server process at most once per ``WEGWEISER_SHARED_READ_SECONDS`` to tell
    whether what it keeps is still current. Holds model names and counters, nothing else."""

    model = models.CharField(max_length=100, primary_key=True)
    changes = models.BigIntegerField(default=0)

    class Meta:
        db_table = "wegweiser_shared_stamp"
        verbose_name = "change counter"

    def __str__(self) -> str:
        return f"{self.model}: {self.changes}"
