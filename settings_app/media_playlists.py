"""Native playlists on Subsonic servers kept in step with our playlist M3U files.

``media_playlists_touch`` (called after a watched or imported playlist's M3U is written) owes every
enabled Subsonic server with ``sync_playlists`` a sync of that playlist ``MEDIA_SERVER_DEBOUNCE_SECONDS``
from now, pushing back a sync already owed. A successful rescan owes its server's playlists a sync
one debounce later too, so tracks that landed since (whose M3U the pipeline rewrote) reach the server
once it knows them. ``media_playlists_sync_due`` (run by the workers' upkeep thread, after the owed
rescans) claims each owed sync with a conditional update, reads the M3U as it is now, finds each
entry's song by path and sets the server's playlist in one call. Paths the server does not know are
kept on the row, not fatal; a failure is retried like a rescan. Downloads never wait.
"""

from __future__ import annotations

import logging
import os
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from settings_app.media_servers import MAX_FAILURES, transport_for
from settings_app.models import MediaServer, MediaServerPlaylist
from settings_app.selectors import get_config
from spotizerr.integrations.media_servers.subsonic import SubsonicTransport
from spotizerr.integrations.transport import TransportError

logger = logging.getLogger(__name__)


def media_playlists_touch(*, name: str, m3u_file: Path, now: datetime | None = None) -> int:
    """The playlist ``name``'s M3U (``m3u_file``) was written: owe each syncing Subsonic server a sync."""
    due = (now or timezone.now()) + timedelta(seconds=settings.MEDIA_SERVER_DEBOUNCE_SECONDS)
    servers = MediaServer.objects.filter(enabled=True, sync_playlists=True, kind=MediaServer.Kind.SUBSONIC)
    touched = 0
    for server in servers:
        values = {"m3u_file": str(m3u_file), "sync_due_at": due}
        try:
            with transaction.atomic():
                MediaServerPlaylist.objects.update_or_create(server=server, name=name[:500], defaults=values)
        except IntegrityError:  # created by another worker at the same moment: it owes the same sync
            MediaServerPlaylist.objects.filter(server=server, name=name[:500]).update(**values)
        touched += 1
    return touched


def media_playlists_sync_due(*, now: datetime | None = None) -> int:
    """Make every owed playlist sync whose time has come and whose server owes no rescan (the songs
    must be known first); returns how many succeeded."""
    at = now or timezone.now()
    done = 0
    owed = MediaServerPlaylist.objects.filter(
        sync_due_at__lte=at, server__enabled=True, server__refresh_due_at__isnull=True
    ).select_related("server")
    for playlist in owed:
        claimed = MediaServerPlaylist.objects.filter(pk=playlist.pk, sync_due_at=playlist.sync_due_at).update(
            sync_due_at=None
        )
        if claimed:
            done += _sync(playlist, at)
    return done


def _sync(playlist: MediaServerPlaylist, at: datetime) -> int:
    rows = MediaServerPlaylist.objects.filter(pk=playlist.pk)
    transport = transport_for(playlist.server)
    if not isinstance(transport, SubsonicTransport):
        return 0
    entries = m3u_entries(Path(playlist.m3u_file))
    if entries is None:  # the M3U was removed: leave the server's playlist as it is
        rows.update(last_error="The M3U file is gone; the server's playlist was left as it is.")
        return 0
    try:
        found, unmatched = _songs(transport, entries)
        playlist_id = transport.playlist_set(
            name=playlist.name, playlist_id=playlist.playlist_id, song_ids=found
        )
    except TransportError as error:
        _failed(playlist, error, at)
        return 0
    if unmatched:
        logger.info(
            "Playlist %r on %s: %d path(s) unknown to the server",
            playlist.name,
            playlist.server.name,
            len(unmatched),
        )
    rows.update(
        playlist_id=playlist_id,
        matched=len(found),
        unmatched=unmatched,
        failures=0,
        last_error="",
        last_synced_at=at,
    )
    return 1


def _failed(playlist: MediaServerPlaylist, error: TransportError, at: datetime) -> None:
    """Keep the error on the row and owe a retry with a growing wait (none after wrong credentials)."""
    rows = MediaServerPlaylist.objects.filter(pk=playlist.pk)
    failures = playlist.failures + 1
    server = playlist.server.name
    logger.warning("Playlist %r on %s: sync failed (%d): %s", playlist.name, server, failures, error.message)
    retry = None
    if not error.permanent and failures < MAX_FAILURES:
        retry = at + timedelta(seconds=settings.MEDIA_SERVER_RETRY_SECONDS * 2 ** (failures - 1))
    # an M3U written during the sync may have owed a new one: keep that
    rows.filter(sync_due_at__isnull=True).update(sync_due_at=retry)
    rows.update(failures=failures, last_error=error.message[:1000])


def _songs(transport: SubsonicTransport, entries: list[tuple[str, str]]) -> tuple[list[str], list[str]]:
    found: list[str] = []
    unmatched: list[str] = []
    for path, title in entries:
        song = transport.song_id(path=path, title=title)
        if song is None and title != Path(path).stem:
            song = transport.song_id(path=path, title=Path(path).stem)
        if song is None:
            unmatched.append(path)
        else:
            found.append(song)
    return found, unmatched


def m3u_entries(m3u_file: Path) -> list[tuple[str, str]] | None:
    """``(library-relative path, title)`` of each entry of one of our M3U files, in order; None when
    the file is gone. The title is the ``#EXTINF`` text after its ``Artist - `` part."""
    root = Path(get_config()["downloadPath"]).resolve()
    try:
        lines = m3u_file.read_text(encoding="utf-8").splitlines()
    except (FileNotFoundError, NotADirectoryError):
        return None
    entries, title = [], ""
    for line in lines:
        if line.startswith("#EXTINF:"):
            display = line.partition(",")[2]
            title = display.partition(" - ")[2] or display
        elif line and not line.startswith("#"):
            absolute = Path(os.path.normpath(m3u_file.parent.resolve() / line))
            try:
                relative = absolute.relative_to(root).as_posix()
            except ValueError:  # outside the library: the server cannot have it under our path
                relative = absolute.as_posix()
            entries.append((relative, title or absolute.stem))
            title = ""
    return entries
