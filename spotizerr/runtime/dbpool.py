"""PostgreSQL connection pools across ``fork()``.

django-q2 forks its sentinel, workers, monitor and pusher from a process that has already used the
database. A pool (and any connection) inherited that way shares its sockets with the parent: both
processes talking on one PostgreSQL session corrupts it ("can't change 'autocommit' now", "the last
operation didn't produce records"). So a forked child forgets what it inherited, without closing it
(closing would end the parent's sessions; psycopg itself never closes a connection from a child when
garbage-collecting it), and opens its own pool on first use.
"""

from __future__ import annotations

import os
from typing import Any

from django.conf import settings

_inherited: list[Any] = []  # kept referenced: never closed, never finalised in the child
_installed = False


def forget_inherited_pools() -> None:
    """In a freshly forked child: drop the parent's pools and open connections."""
    from django.db import connections
    from django.db.backends.postgresql.base import DatabaseWrapper

    pools = DatabaseWrapper._connection_pools  # type: ignore[attr-defined]  # Django internal, see the contract test
    if pools:
        _inherited.append(dict(pools))
        pools.clear()
    for wrapper in connections.all(initialized_only=True):
        if wrapper.connection is not None:
            _inherited.append(wrapper.connection)
            wrapper.connection = None


def install() -> None:
    """Register the fork hook once, when a database uses a pool."""
    global _installed
    pooled = any((database.get("OPTIONS") or {}).get("pool") for database in settings.DATABASES.values())
    if pooled and not _installed:
        os.register_at_fork(after_in_child=forget_inherited_pools)
        _installed = True
