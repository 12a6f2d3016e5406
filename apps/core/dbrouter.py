"""Reads that may go to a read replica (DATABASE_REPLICA_URL; docs/operations.md,
"Connection pooling and read replicas").

    org = report_organization(user, org_id)       # the permission check: on the primary
    with replica_reads():                          # the figures: on the replica if there is one
        rows = list(Rollup.objects.filter(...))    # (evaluated inside the block)

    @replica_reads()                               # the decorator form, for a function of reads
    def figures(org): ...

Wrap the figures, not the whole view: a permission or membership read on a lagging replica
would still grant what was just revoked.

Only the reads made inside such a block go to the replica, and only when:
- a replica is configured (settings.DATABASES holds settings.DATABASE_REPLICA_ALIAS);
- the primary's connection is not inside a transaction: a read there may have to see the
  transaction's own writes or lock rows, so it stays on the primary.

Writes always go to the primary, even for an instance read from the replica, and migrations
run on the primary only (the replica follows by replication). A replica lags by up to a few
seconds: opt in only reads that accept that (reports, dashboards, exports), never a read
that decides a movement of money. Raw SQL on `django.db.connection` is not routed: a raw
report query takes `connections[ReplicaRouter().db_for_read(Model) or "default"]`.
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

__all__ = ["ReplicaRouter", "replica_alias", "replica_reads"]

_REPLICA_READS = contextvars.ContextVar("hokwe_replica_reads", default=False)


@contextmanager
def replica_reads() -> Iterator[None]:
    """Let the reads of this block go to the replica (a decorator too: `@replica_reads()`,
    a fresh context per call, safe across threads)."""
    token = _REPLICA_READS.set(True)
    try:
        yield
    finally:
        _REPLICA_READS.reset(token)


def replica_alias() -> str | None:
    """The replica's database alias when one is configured, else None."""
    alias = getattr(settings, "DATABASE_REPLICA_ALIAS", "replica")
    return alias if alias in settings.DATABASES else None


class ReplicaRouter:
    """settings.DATABASE_ROUTERS: the opted-in reads to the replica, everything else to the
    primary."""

    def db_for_read(self, model, **hints) -> str | None:
        if not _REPLICA_READS.get():
            return None
        alias = replica_alias()
        if alias is None or connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return None
        return alias

    def db_for_write(self, model, **hints) -> str:
        return DEFAULT_DB_ALIAS  # a replica is read-only: never where an instance came from

    def allow_relation(self, obj1, obj2, **hints) -> bool:
        return True  # the same data on both

    def allow_migrate(self, db, app_label, model_name=None, **hints) -> bool | None:
        if db == replica_alias():
            return False  # schema changes reach the replica by replication
        return None
