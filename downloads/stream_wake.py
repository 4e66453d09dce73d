"""How a process's progress hub learns that a worker published an event, without a poll tick.

A watch is an async function ``watch(notify)`` that runs while the hub runs and calls
``notify(None)`` whenever new events may be waiting (the hub then reads those after its cursor and
pushes the frames to every stream) or ``notify(message)`` with an event pushed by its publisher. Notifying too often costs one cheap read; never notifying is covered by the hub's
slow safety poll. Which watch runs depends on the setup (``watch_for_setup``):

- with ``REDIS_URL``: ``channel_watch``. ``progress.progress_publish`` pushes each event, with its
  rendered frames, through the channel layer to one group; each process's hub is one member of it
  (not each stream), so a publish costs one message per web process, whatever the number of open
  streams, and the hub hands the frames out without a read (``EventHub.notice``);
- the embedded SQLite: ``sqlite_watch``. SQLite's ``PRAGMA data_version`` (a counter in the shared
  WAL index, changed by any other connection's commit) is read every ``interval`` on a connection of
  its own; only when it moved is the newest event id read, and only a newer id notifies;
- PostgreSQL without Redis: no watch; the hub polls.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import connections
from redis.exceptions import RedisError

from downloads.stream_hub import Pushed, Watch

logger = logging.getLogger(__name__)

Notify = Callable[[Pushed], None]

NO_CHANNEL_LAYER = "spotizerr.none"  # a consumer's channel_layer_alias: no channel per connection
GROUP_REFRESH_SECONDS = 600.0  # channels-redis forgets group members after a day; re-join well before
RETRY_SECONDS = 1.0  # after the channel layer failed


def sqlite_watch(path: str, table: str, *, interval: float) -> Watch:
    """Notify when ``table``'s newest id grew, looking at SQLite's change counter every ``interval``."""

    async def watch(notify: Notify) -> None:
        connection = sqlite3.connect(path, timeout=0, isolation_level=None, check_same_thread=False)
        try:
            version, newest = _sqlite_state(connection, table)
            notify(None)  # an event committed before the first look is read at once
            while True:
                await asyncio.sleep(interval)
                try:
                    now = connection.execute("PRAGMA data_version").fetchone()[0]
                    if now == version:
                        continue
                    version, latest = _sqlite_state(connection, table)
                except sqlite3.OperationalError:  # busy (recovery, checkpoint): let the hub look
                    notify(None)
                    continue
                if latest > newest:
                    notify(None)
                newest = latest
        finally:
            connection.close()

    return watch


def _sqlite_state(connection: sqlite3.Connection, table: str) -> tuple[int, int]:
    """The change counter, then the newest id (read after it: a change between the two is seen twice,
    never missed)."""
    version = connection.execute("PRAGMA data_version").fetchone()[0]
    newest = connection.execute(f'SELECT max(id) FROM "{table}"').fetchone()[0]
    return int(version), int(newest or 0)


def channel_watch(layer: Any, group: str) -> Watch:
    """Notify on every message to ``group``, which this process joins once for all its streams."""

    async def watch(notify: Notify) -> None:
        channel = await layer.new_channel()
        failing = False
        try:
            while True:
                try:
                    await layer.group_add(group, channel)
                    failing = False
                    await _receive_until_refresh(layer, channel, notify)
                except (TimeoutError, RedisError, OSError) as error:
                    if not failing:
                        logger.warning("Progress streams lost the channel layer (%s); polling instead", error)
                    failing = True
                    await asyncio.sleep(RETRY_SECONDS)
                    notify(None)  # whatever was published meanwhile
        finally:
            with contextlib.suppress(Exception):
                await asyncio.shield(layer.group_discard(group, channel))

    return watch


async def _receive_until_refresh(layer: Any, channel: str, notify: Notify) -> None:
    loop = asyncio.get_running_loop()
    refresh_at = loop.time() + GROUP_REFRESH_SECONDS
    while loop.time() < refresh_at:
        with contextlib.suppress(asyncio.TimeoutError):
            message = await asyncio.wait_for(layer.receive(channel), timeout=refresh_at - loop.time())
            notify(message)


def watch_for_setup(table: str, group: str, *, interval: float) -> Watch | None:
    """The watch of this process's setup: the channel layer with Redis, SQLite's change counter on
    the embedded database, none otherwise."""
    if settings.REDIS_URL:
        from channels.layers import get_channel_layer

        layer = get_channel_layer()
        if layer is not None:
            return channel_watch(layer, group)
    database = connections["default"]
    if database.vendor == "sqlite":
        return sqlite_watch(str(database.settings_dict["NAME"]), table, interval=interval)
    return None
