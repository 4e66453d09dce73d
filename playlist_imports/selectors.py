"""Reads of imported playlists: the caller's own (admins see all), as the catalog's playlist shapes."""

from __future__ import annotations

import uuid
from typing import Any

from accounts.models import User
from downloads.pipeline.codec import track_from_json
from playlist_imports.models import ID_PREFIX, EntryState, ImportEntry, ImportStatus, PlaylistImport
from spotizerr.errors import Conflict, NotFound
from spotizerr.integrations.catalog_types import Page, Playlist, PlaylistEntry, Track


def is_import_id(value: str | None) -> bool:
    return (value or "").strip().startswith(ID_PREFIX)


def import_uuid(playlist_id: str) -> uuid.UUID:
    try:
        return uuid.UUID(playlist_id.strip().removeprefix(ID_PREFIX))
    except ValueError:
        raise NotFound("No such imported playlist.", code="import_not_found") from None


def import_get(*, user: User, playlist_id: str) -> PlaylistImport:
    """The import ``import:<uuid>`` (or a bare uuid) when ``user`` owns it or is an admin. Raises NotFound."""
    found = PlaylistImport.objects.filter(pk=import_uuid(playlist_id)).first()
    if found is None or not (found.owner_id == user.pk or getattr(user, "is_admin", False)):
        raise NotFound("No such imported playlist.", code="import_not_found")
    return found


def entry_get(*, playlist: PlaylistImport, position: int) -> ImportEntry:
    entry = playlist.entries.filter(position=position).first()
    if entry is None:
        raise NotFound(f"The playlist has no entry {position}.", code="import_entry_not_found")
    return entry


def _catalog_entry(entry: ImportEntry) -> PlaylistEntry:
    if entry.state == EntryState.MATCHED and entry.track_data:
        return PlaylistEntry(
            position=entry.position - 1, added_at=None, track=track_from_json(entry.track_data)
        )
    return PlaylistEntry(position=entry.position - 1, added_at=None, track=None, skip_reason="unmatched")


def as_playlist(playlist: PlaylistImport, *, include_entries: bool) -> Playlist:
    """The import as the catalog's ``Playlist`` (unmatched entries have no track, skip reason ``unmatched``)."""
    entries = tuple(_catalog_entry(e) for e in playlist.entries.all()) if include_entries else ()
    return Playlist(
        id=playlist.playlist_id,
        name=playlist.name,
        owner=playlist.owner.username,
        description=f"Imported from {playlist.get_kind_display()}.",
        snapshot_id=playlist.snapshot_id,
        total_tracks=playlist.entries.count(),
        public=False,
        entries=entries,
    )


def entries_page(playlist: PlaylistImport, *, limit: int, offset: int) -> Page:
    rows = list(playlist.entries.all()[offset : offset + limit])
    total = playlist.entries.count()
    end = offset + len(rows)
    return Page(
        items=tuple(_catalog_entry(e) for e in rows),
        total=total,
        limit=limit,
        offset=offset,
        next_offset=end if end < total else None,
    )


def entry_body(entry: ImportEntry) -> dict[str, Any]:
    data = entry.track_data or {}
    return {
        "position": entry.position,
        "line": entry.line,
        "text": entry.text,
        "state": entry.state,
        "reason": entry.reason,
        "track": {
            "id": entry.track_id,
            "name": data.get("name", ""),
            "artists": [a.get("name", "") for a in data.get("artists") or ()],
            "album": (data.get("album") or {}).get("name", ""),
            "duration_ms": data.get("duration_ms"),
        }
        if entry.track_id
        else None,
    }


def import_summary(playlist: PlaylistImport, *, with_entries: bool = False) -> dict[str, Any]:
    """The answer of the import endpoints: counts, the unmatched entries with their reasons, and with
    ``with_entries`` every entry (the dashboard's review table)."""
    entries = playlist.entries
    counts = {state: entries.filter(state=state).count() for state in EntryState.values}
    unmatched = entries.filter(state=EntryState.UNMATCHED)
    body: dict[str, Any] = {
        "playlist_id": playlist.playlist_id,
        "name": playlist.name,
        "kind": playlist.kind,
        "status": playlist.status,
        "total": sum(counts.values()),
        "matched": counts[EntryState.MATCHED],
        "pending": counts[EntryState.PENDING],
        "unmatched": [
            {"line": e.line, "text": e.text, "reason": e.reason, "position": e.position} for e in unmatched
        ],
    }
    if with_entries:
        body["entries"] = [entry_body(e) for e in entries.all()]
    return body


def imports_of(user: User) -> list[PlaylistImport]:
    return list(PlaylistImport.objects.filter(owner=user))


def ensure_ready(playlist: PlaylistImport) -> None:
    """Raises Conflict while the import's entries are still being matched."""
    if playlist.status == ImportStatus.MATCHING:
        raise Conflict(
            "The playlist is still being matched to Spotify; try again when it is ready.",
            code="import_matching",
            details={"pending": playlist.entries.filter(state=EntryState.PENDING).count()},
        )


def tracks_of(playlist: PlaylistImport) -> list[Track | None]:
    """The matched track of every entry in order (None where unmatched)."""
    return [_catalog_entry(entry).track for entry in playlist.entries.all()]
