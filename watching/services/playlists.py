"""Playlists: reading a watched playlist from Spotify, diffing it and rewriting its M3U file."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from django.db import transaction

from downloads.library_index import library_paths
from settings_app.media_playlists import media_playlists_touch
from settings_app.selectors import get_config
from spotizerr.integrations.catalog_types import Page, PlaylistEntry
from spotizerr.integrations.spotify import SpotifyClient, SpotifyRateLimited
from watching import selectors
from watching.liked import client_playlist_id, liked_owner, liked_owner_pk
from watching.models import WatchTarget
from watching.services.common import PAGE_SIZE
from watching.services.imported import imported_refresh, is_imported
from watching.services.reading import Change, Row, cursor_for, rows_apply, rows_read


def _entry_row(entry: PlaylistEntry) -> Row | None:
    """Local files, unavailable tracks and episodes cannot be downloaded: they are not items."""
    track = entry.track
    if track is None:
        return None
    return {
        "id": track.id,
        "name": track.name,
        "artists": ", ".join(track.artist_names)[:500],
        "duration_ms": track.duration_ms,
        "added_at": entry.added_at or "",
        "position": entry.position,
    }


def playlist_entries_read(
    *,
    client: SpotifyClient,
    target: WatchTarget,
    snapshot_id: str,
    renew: Callable[[], None],
    fresh: bool = False,
) -> tuple[list[Row], int]:
    """All entries of the playlist at ``snapshot_id``, continuing an interrupted read of the same snapshot.

    Pages are cached under the snapshot id (a snapshot's entries never change); ``fresh`` asks Spotify
    again anyway (snapshot checking is off: the snapshot is not trusted). On a rate limit the place
    reached is saved in ``target.cursor`` before ``SpotifyRateLimited`` is re-raised. Returns the rows
    and the number of entries Spotify lists.
    """
    cursor = cursor_for(target, snapshot_id)
    cache_key = f"{snapshot_id}:{uuid.uuid4().hex}" if fresh else snapshot_id

    def fetch(offset: int) -> Page:
        return client.playlist_entries_page(
            client_playlist_id(target.spotify_id), limit=PAGE_SIZE, offset=offset, snapshot_id=cache_key
        )

    try:
        return rows_read(cursor=cursor, fetch=fetch, to_row=_entry_row, renew=renew)
    except SpotifyRateLimited:
        if target.pk:
            WatchTarget.objects.filter(pk=target.pk).update(cursor=cursor)
        raise


def playlist_refresh(
    *, client: SpotifyClient, target: WatchTarget, force: bool, renew: Callable[[], None], now: datetime
) -> Change | None:
    """Bring a watched playlist's items up to date. Returns None when its snapshot is unchanged (one
    small API call, unless ``force``: snapshot checking is off), else what changed.

    Raises the Spotify client's errors; ``SpotifyRateLimited`` after keeping the place reached.
    """
    if is_imported(target.spotify_id):  # an imported playlist: its source re-read, its matches applied
        return imported_refresh(target=target, force=force, now=now)
    playlist_id = client_playlist_id(target.spotify_id)  # "liked" for Liked Songs
    snapshot = client.playlist_snapshot(playlist_id)
    resuming = (target.cursor or {}).get("key") == snapshot
    if snapshot == target.snapshot_id and not resuming and not force:
        return None
    # keyed on the snapshot: never an older version from the catalog cache (a rename changes it too)
    about = client.playlist(playlist_id, snapshot_id=snapshot)
    rows, total = playlist_entries_read(
        client=client, target=target, snapshot_id=snapshot, renew=renew, fresh=force
    )
    with transaction.atomic():
        change = rows_apply(target=target, rows=rows, now=now)
        WatchTarget.objects.filter(pk=target.pk).update(
            snapshot_id=snapshot,
            entry_total=total,
            name=about.name[:500],
            spotify_owner=about.owner[:500],
            cursor={},
        )
    target.refresh_from_db()
    return change


def playlist_m3u_write(*, target: WatchTarget) -> Path | None:
    """Rewrite the playlist's M3U file in the library (``<downloadPath>/playlists/<name>.m3u``, named by
    ``playlist_file_name``: a user's Liked Songs carry their username) with the current entries, in
    playlist order, that have a file in the library (for Liked Songs with ``separateTracksByUser``, the
    owner's files). Removed tracks leave the list; their files stay. Nothing is written for a playlist
    without files and without an M3U yet. Subsonic servers that keep playlists in step are owed a sync."""
    from downloads.playlist_files import M3UEntry, m3u_path, playlist_file_name, write_m3u

    config = get_config()
    root = Path(config["downloadPath"])
    owner = liked_owner(target.spotify_id)
    if owner is None and liked_owner_pk(target.spotify_id) is not None:
        return None  # the Liked Songs of a user since deleted: never write the plain name for them
    name = playlist_file_name(
        playlist_id=client_playlist_id(target.spotify_id), name=target.name, owner=owner
    )
    items = selectors.target_current_items(target)
    files = library_paths(
        spotify_ids=[item.spotify_id for item in items],
        root=root,
        owner=owner if config.get("separateTracksByUser") else None,
    )
    entries = [
        M3UEntry(
            path=files[item.spotify_id],
            duration_s=item.duration_ms // 1000,
            artist=item.artists,
            title=item.name,
        )
        for item in items
        if item.spotify_id in files
    ]
    if not entries and not m3u_path(root=root, playlist_name=name).exists():
        return None
    written = write_m3u(root=root, playlist_name=name, entries=entries)
    media_playlists_touch(name=name, m3u_file=written)  # Subsonic servers that keep it in step
    return written
