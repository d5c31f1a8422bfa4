"""Public pages read the public tables from a PostgreSQL streaming replica (docs/scaling.md).

Only when a replica is configured (``DATABASE_REPLICA_URL`` → the alias named by the setting
``WEGWEISER_READ_REPLICA``), and only for what cannot go stale for the reader:

- requests that write nothing: GET and HEAD by visitors who are not logged in (the self-check,
  the directory, the map, the catalogue, the public API). Staff always read the primary, so an
  offer they have just saved is what they see next;
- tables holding nothing but public data (``PUBLIC_APPS``): the catalogue, the directory and
  its organisations. Sessions, accounts, cases, volunteers, funding, the audit log and the
  self-check's contact requests are never read from the replica, whoever asks.

Writes always go to the primary; nothing is ever migrated on the replica (it copies the primary).
"""

from __future__ import annotations

from contextvars import ContextVar

from django.conf import settings

#: the apps whose tables hold public data only
PUBLIC_APPS = frozenset({"programmes", "directory", "organisations"})

_public_request: ContextVar[bool] = ContextVar("wegweiser_public_request", default=False)


def replica_alias() -> str | None:
    """The database alias of the read replica, or None (no replica configured)."""
    return getattr(settings, "WEGWEISER_READ_REPLICA", None) or None


class PublicReadsFromReplica:
    """Database router: public tables in a public request → the replica; all else → default."""

    def db_for_read(self, model, **hints):
        alias = replica_alias()
        if alias and _public_request.get() and model._meta.app_label in PUBLIC_APPS:
            return alias
        return None

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        # the replica holds the primary's rows: an offer read from one and its organisation
        # from the other are the same rows
        databases = {"default", replica_alias()}
        return obj1._state.db in databases and obj2._state.db in databases

    def allow_migrate(self, db, app_label, **hints):
        return False if db == replica_alias() else None


class PublicRequestsReadTheReplica:
    """Middleware (after the authentication middleware): marks a visitor's GET or HEAD request
    as public, so that the router may send its public reads to the replica."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            replica_alias() is None
            or request.method not in ("GET", "HEAD")
            or request.user.is_authenticated
        ):
            return self.get_response(request)
        token = _public_request.set(True)
        try:
            return self.get_response(request)
        finally:
            _public_request.reset(token)
