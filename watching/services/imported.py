"""Imported playlists (``import:<uuid>``, from ``playlist_imports``) as watch targets: their rows come
from the import's matched entries, and a check re-reads the import's source (a Deezer playlist) first.
Pasted and uploaded lists have nothing to re-read; a check then only picks up entries fixed by hand."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction

from accounts.models import User
from playlist_imports import selectors as imports
from playlist_imports import services as import_services
from playlist_imports.models import EntryState, PlaylistImport
from spotizerr.integrations.spotify import parse_spotify_id
from watching.models import WatchKind, WatchTarget
from watching.services.reading import Change, Row, rows_apply


def is_imported(spotify_id: str) -> bool:
    return imports.is_import_id(spotify_id)


def target_id(value: str, kind: str, *, user: User | None = None) -> str:
    """The stored id of a watch target: a Spotify id, or ``import:<uuid>`` for an imported playlist
    (with ``user``: only one ``user`` may see). Raises BadRequest and NotFound."""
    if kind == WatchKind.PLAYLIST and imports.is_import_id(value):
        if user is not None:
            return imports.import_get(user=user, playlist_id=value).playlist_id
        return f"import:{imports.import_uuid(value)}"
    return parse_spotify_id(value, kind)


def _playlist(target_spotify_id: str) -> PlaylistImport:
    return PlaylistImport.objects.select_related("owner").get(pk=imports.import_uuid(target_spotify_id))


def import_rows(playlist: PlaylistImport) -> tuple[list[Row], int]:
    """The matched entries as watch rows (each track once, at its first place) and the entry count."""
    rows: dict[str, Row] = {}
    entries = playlist.entries.filter(state=EntryState.MATCHED)
    for entry in entries:
        data = entry.track_data or {}
        rows.setdefault(
            entry.track_id,
            {
                "id": entry.track_id,
                "name": str(data.get("name") or entry.title)[:500],
                "artists": ", ".join(a.get("name", "") for a in data.get("artists") or ())[:500],
                "duration_ms": int(data.get("duration_ms") or 0),
                "added_at": "",
                "position": entry.position - 1,
            },
        )
    return list(rows.values()), playlist.entries.count()


def imported_about(target_spotify_id: str) -> tuple[PlaylistImport, list[Row], int]:
    playlist = _playlist(target_spotify_id)
    rows, total = import_rows(playlist)
    return playlist, rows, total


def imported_refresh(*, target: WatchTarget, force: bool, now: datetime) -> Change | None:
    """Re-read the import's source and apply its matched entries when they changed (or ``force``).
    Raises the Deezer errors of ``playlist_imports`` (recorded as the target's error)."""
    playlist = _playlist(target.spotify_id)
    import_services.import_refresh(playlist=playlist)
    playlist.refresh_from_db()
    if playlist.snapshot_id == target.snapshot_id and not force:
        return None
    rows, total = import_rows(playlist)
    with transaction.atomic():
        change = rows_apply(target=target, rows=rows, now=now)
        WatchTarget.objects.filter(pk=target.pk).update(
            snapshot_id=playlist.snapshot_id, entry_total=total, name=playlist.name[:500], cursor={}
        )
    target.refresh_from_db()
    return change
