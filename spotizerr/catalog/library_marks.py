"""Marks on catalog pages of watched playlists and artists: which entries are already in the library.

Only for things the caller watches (issue: catalog), so an ordinary page view costs no extra queries.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from accounts.models import User
from downloads.library_index import library_paths
from settings_app.selectors import get_config
from watching import selectors as watch_selectors


def mark_playlist_entries(*, user: User, playlist_id: str, body: dict[str, Any], items: list[dict]) -> None:
    """Set ``is_watched`` on ``body`` and, when watched, ``in_library`` on each entry of ``items``."""
    from watching.liked import target_spotify_id

    target_id = target_spotify_id(user=user, playlist_id=playlist_id)
    watch = watch_selectors.watch_find(user=user, kind="playlist", spotify_id=target_id)
    body["is_watched"] = watch is not None
    if watch is None:
        return
    track_ids = [item["track"]["id"] for item in items if item.get("track")]
    present = library_paths(spotify_ids=track_ids, root=Path(get_config()["downloadPath"]))
    for item in items:
        track = item.get("track")
        item["in_library"] = bool(track and track["id"] in present)


def mark_artist_releases(*, user: User, artist_id: str, body: dict[str, Any], items: list[dict]) -> None:
    """Set ``is_watched`` on ``body`` and, when watched, ``in_library`` on each release of ``items``."""
    watch = watch_selectors.watch_find(user=user, kind="artist", spotify_id=artist_id)
    body["is_watched"] = watch is not None
    if watch is None:
        return
    present = watch_selectors.releases_in_library(watch=watch, release_ids=[item["id"] for item in items])
    for item in items:
        item["in_library"] = item["id"] in present
