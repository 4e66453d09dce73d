"""Writes of the watching app (the one way to change watches). Split by subdomain:

- ``subscriptions``: watch and unwatch, mark items known or forget them, ask for checks now;
- ``schedule``: the django-q2 schedule, lanes limited to ``max_concurrent_checks``, claims and leases;
- ``checks``: one check of a target (read, diff, update watchers, reschedule);
- ``playlists`` / ``artists``: reading and diffing each kind, the playlist's M3U file;
- ``sync``: queueing downloads for each watcher, retries and download outcomes.
"""

from __future__ import annotations

from watching.services.checks import target_check
from watching.services.common import watching_require_enabled
from watching.services.playlists import playlist_m3u_write
from watching.services.schedule import (
    target_claim_next,
    watch_checks_request,
    watch_lane_run,
    watch_lanes_start,
    watch_schedule_ensure,
)
from watching.services.subscriptions import (
    watch_artist_add,
    watch_checks_trigger,
    watch_items_forget,
    watch_items_mark_known,
    watch_playlist_add,
    watch_remove,
    watch_target_id,
)
from watching.services.sync import target_sync

__all__ = [
    "playlist_m3u_write",
    "target_check",
    "target_claim_next",
    "target_sync",
    "watch_artist_add",
    "watch_checks_request",
    "watch_checks_trigger",
    "watch_items_forget",
    "watch_items_mark_known",
    "watch_lane_run",
    "watch_lanes_start",
    "watch_playlist_add",
    "watch_remove",
    "watch_schedule_ensure",
    "watch_target_id",
    "watching_require_enabled",
]
