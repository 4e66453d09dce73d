"""Writes of imported playlists: creating one from a list, matching its entries (resumable), fixing an
entry by hand, re-reading a Deezer source, and the reaper that restarts matching a worker left."""

from __future__ import annotations

import logging
import time
import uuid
from dataclasses import dataclass
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from accounts.models import User
from downloads.pipeline.codec import to_json
from downloads.sources.inbox.source import inbox_root
from playlist_imports import deezer, parsers, remote, selectors
from playlist_imports.matching import entry_match, match_key
from playlist_imports.models import EntryState, ImportEntry, ImportKind, ImportStatus, PlaylistImport
from settings_app.selectors import get_config
from spotizerr.errors import BadRequest
from spotizerr.integrations.spotify import (
    SpotifyClient,
    SpotifyError,
    SpotifyRateLimited,
    SpotifyUnavailable,
    get_spotify_client,
    parse_spotify_id,
)

logger = logging.getLogger(__name__)
MATCH_TASK = "playlist_imports.tasks.import_match_task"
INLINE_MAX_WAIT = 5.0  # a request matching a short list waits out a 429 this long, then leaves it to a worker
HEARTBEAT_SECONDS = 1.0  # well inside the lease period (LEASE_STALE_SECONDS, at least 2 s)
NOTHING_TO_MATCH = "The entry names no Spotify id, ISRC or title to look for."


@dataclass(frozen=True)
class ImportSource:
    """What the caller gave: ``text`` (links), ``data`` (CSV/M3U bytes) or ``url`` (Deezer, or a
    CSV/M3U list fetched from there, now and on each watch check)."""

    kind: str
    name: str = ""
    text: str = ""
    data: bytes = b""
    url: str = ""


# ---------------------------------------------------------------------------------------------- reading
def _read(source: ImportSource, client: SpotifyClient) -> tuple[str, list[parsers.ParsedEntry]]:
    """The playlist's name and its entries. Raises BadRequest, ImportTooLarge and Deezer's errors."""
    if source.kind == ImportKind.DEEZER:
        return deezer.read_playlist(source.url)
    if not source.name.strip():
        raise BadRequest(
            "Give the imported playlist a name.", code="invalid_import", details={"name": ["required"]}
        )
    if source.kind == ImportKind.LINKS:
        text = source.text or parsers.decode(source.data)
        return source.name, _expand_links(parsers.parse_links(text), client)
    if source.url and not (source.data or source.text):
        return source.name, _parse_list(source.kind, remote.list_fetch(source.url))
    return source.name, _parse_list(source.kind, source.data or source.text.encode())


def _parse_list(kind: str, data: bytes) -> list[parsers.ParsedEntry]:
    """A CSV or M3U list's entries. Raises BadRequest (naming the line) and ImportTooLarge."""
    text = parsers.decode(data)
    if kind == ImportKind.CSV:
        return parsers.parse_csv(text)
    return parsers.parse_m3u(text, inbox=inbox_root(get_config()))


def _expand_links(entries: list[parsers.ParsedEntry], client: SpotifyClient) -> list[parsers.ParsedEntry]:
    """Albums become their tracks; playlists too where Spotify lets this app read them, else one
    unmatched entry saying why (Spotify answers 403 for playlists the app may not read)."""
    out: list[parsers.ParsedEntry] = []
    for entry in entries:
        kind, spotify_id = entry.spotify or ("track", "")
        if kind == "track":
            out.append(entry)
            continue
        try:
            tracks = (
                list(client.album(spotify_id).tracks)
                if kind == "album"
                else [e.track for e in client.playlist(spotify_id, include_entries=True).entries if e.track]
            )
        except SpotifyError as error:
            if not error.permanent:
                raise
            reason = f"Spotify would not give this {kind}'s tracks: {error.message}"
            out.append(parsers.ParsedEntry(line=entry.line, text=entry.text, reason=reason))
            continue
        out.extend(
            parsers.ParsedEntry(line=entry.line, text=entry.text, spotify=("track", track.id))
            for track in tracks
        )
        parsers.check_size(len(out))
    return out


def _entry_rows(playlist: PlaylistImport, entries: list[parsers.ParsedEntry]) -> list[ImportEntry]:
    rows = []
    for position, parsed in enumerate(entries, start=1):
        row = ImportEntry(
            playlist=playlist,
            position=position,
            line=parsed.line,
            text=parsed.text[:1000],
            title=parsed.title[:500],
            artists=", ".join(parsed.artists)[:500],
            album=parsed.album[:500],
            duration_ms=parsed.duration_ms,
            isrc=parsed.isrc[:20],
            spotify_id=parsed.spotify[1] if parsed.spotify else "",
        )
        if parsed.reason or not (row.spotify_id or row.isrc or row.title):
            row.state, row.reason = EntryState.UNMATCHED, (parsed.reason or NOTHING_TO_MATCH)[:500]
        rows.append(row)
    return rows


# ---------------------------------------------------------------------------------------------- creating
def import_create(*, user: User, source: ImportSource) -> PlaylistImport:
    """Read the list, store the playlist and its entries (nothing when the list is refused), and start
    matching: at once for a list of up to ``IMPORT_INLINE_MAX`` entries (the answer then holds the
    result), in a django-q2 task for a longer one (progress through ``GET /api/playlist/import/{id}``).

    Raises BadRequest (bad list, naming the line), ImportTooLarge (413), Deezer's errors and
    SpotifyNotConfigured."""
    if source.kind not in ImportKind.values:
        raise BadRequest(
            "Unknown import kind.",
            code="invalid_import",
            details={"kind": [f"one of {', '.join(ImportKind.values)}"]},
        )
    name, entries = _read(source, get_spotify_client(max_wait=INLINE_MAX_WAIT))
    with transaction.atomic():
        playlist = PlaylistImport.objects.create(
            owner=user,
            name=name[:500],
            kind=source.kind,
            source_ref=source.url[:2000],
            requeued_at=timezone.now(),
        )
        ImportEntry.objects.bulk_create(_entry_rows(playlist, entries), batch_size=500)
    _match_now_or_later(playlist, len(entries))
    playlist.refresh_from_db()
    return playlist


def _match_now_or_later(playlist: PlaylistImport, entries: int) -> None:
    """Match a short list now (waiting out a 429 for a few seconds at most), a long one in a worker;
    when Spotify is busy, the worker goes on where the request stopped."""
    if entries > settings.IMPORT_INLINE_MAX:
        transaction.on_commit(partial(_enqueue, playlist.pk))
        return
    try:
        import_match_run(import_id=playlist.pk, max_wait=INLINE_MAX_WAIT)
    except (SpotifyRateLimited, SpotifyUnavailable) as error:
        logger.info("Import %s: Spotify is busy (%s); a worker goes on", playlist.pk, error.message)
        PlaylistImport.objects.filter(pk=playlist.pk).update(heartbeat_at=None, requeued_at=timezone.now())
        transaction.on_commit(partial(_enqueue, playlist.pk))


def _enqueue(import_id: uuid.UUID) -> None:
    from django_q.tasks import async_task

    async_task(MATCH_TASK, str(import_id), task_name=f"import-{import_id}")


# ---------------------------------------------------------------------------------------------- matching
def _claim(import_id: uuid.UUID | str) -> bool:
    """Take the matching of an import unless a live matcher has it (its heartbeat is recent)."""
    now = timezone.now()
    stale = now - timedelta(seconds=settings.LEASE_STALE_SECONDS)
    free = Q(heartbeat_at__isnull=True) | Q(heartbeat_at__lt=stale)
    return bool(
        PlaylistImport.objects.filter(free, pk=import_id, status=ImportStatus.MATCHING).update(
            heartbeat_at=now
        )
    )


def _known_outcome(entry: ImportEntry, key: str) -> ImportEntry | None:
    """An entry of any import already matched (or found unmatched) from the same inputs."""
    return (
        ImportEntry.objects.filter(match_key=key, state__in=(EntryState.MATCHED, EntryState.UNMATCHED))
        .exclude(pk=entry.pk)
        .order_by("-pk")
        .first()
    )


def _entry_settle(client: SpotifyClient, entry: ImportEntry) -> None:
    key = match_key(entry)
    known = _known_outcome(entry, key)
    if known is not None:
        state, reason, track_id, data = known.state, known.reason, known.track_id, known.track_data
    else:
        outcome = entry_match(client, entry)
        track = outcome.track
        state = EntryState.MATCHED if track else EntryState.UNMATCHED
        reason, track_id, data = (
            outcome.reason[:500],
            track.id if track else "",
            to_json(track) if track else {},
        )
    ImportEntry.objects.filter(pk=entry.pk, state=EntryState.PENDING).update(
        state=state, reason=reason, track_id=track_id, track_data=data, match_key=key
    )


def import_match_run(*, import_id: uuid.UUID | str, max_wait: float | None = None) -> int:
    """Match the pending entries of an import in order, each stored as soon as it is known, so a
    matcher stopped anywhere resumes with the first pending entry and asks Spotify nothing twice.
    Exits quietly when another live matcher has the import. Returns the entries settled now.

    Raises the Spotify client's transient errors (rate limited past the wait, unavailable): the
    reaper starts matching again once the heartbeat is stale."""
    if not _claim(import_id):
        return 0
    client = get_spotify_client(max_wait=max_wait)
    settled, beat = 0, time.monotonic()
    while True:
        batch = list(ImportEntry.objects.filter(playlist__pk=import_id, state=EntryState.PENDING)[:100])
        if not batch:
            break
        for entry in batch:
            _entry_settle(client, entry)
            settled += 1
            if time.monotonic() - beat >= HEARTBEAT_SECONDS:
                PlaylistImport.objects.filter(pk=import_id).update(heartbeat_at=timezone.now())
                beat = time.monotonic()
    PlaylistImport.objects.filter(pk=import_id, status=ImportStatus.MATCHING).update(
        status=ImportStatus.READY, heartbeat_at=None, updated_at=timezone.now(), revision=F("revision") + 1
    )
    return settled


def imports_reap() -> int:
    """Queue matching again for imports whose matcher stopped (no heartbeat for ``LEASE_STALE_SECONDS``)
    or whose queued matcher never started; at most once a lease period each. Safe to run anywhere."""
    stale = timezone.now() - timedelta(seconds=settings.LEASE_STALE_SECONDS)
    matching = PlaylistImport.objects.filter(status=ImportStatus.MATCHING)
    waiting = matching.filter(heartbeat_at__lt=stale) | matching.filter(
        heartbeat_at__isnull=True, requeued_at__lt=stale
    )
    ids = list(waiting.values_list("pk", flat=True))
    for import_id in ids:
        if PlaylistImport.objects.filter(pk=import_id, status=ImportStatus.MATCHING).update(
            heartbeat_at=None, requeued_at=timezone.now()
        ):
            _enqueue(import_id)
    return len(ids)


# ---------------------------------------------------------------------------------------------- fixing
def entry_fix(*, user: User, playlist_id: str, position: int, track: str) -> ImportEntry:
    """Match the entry at ``position`` to the Spotify track ``track`` (link, URI or id) by hand.

    Raises NotFound (no such import or entry for ``user``), BadRequest (not a track link) and
    SpotifyNotFound (unknown track)."""
    playlist = selectors.import_get(user=user, playlist_id=playlist_id)
    entry = selectors.entry_get(playlist=playlist, position=position)
    found = get_spotify_client(max_wait=5.0).track(parse_spotify_id(track, "track"))
    with transaction.atomic():
        # match_key cleared: a hand fix is this user's choice, not a match other imports should reuse
        ImportEntry.objects.filter(pk=entry.pk).update(
            state=EntryState.MATCHED, reason="", track_id=found.id, track_data=to_json(found), match_key=""
        )
        PlaylistImport.objects.filter(pk=playlist.pk).update(
            revision=playlist.revision + 1, updated_at=timezone.now()
        )
    entry.refresh_from_db()
    return entry


# ---------------------------------------------------------------------------------------------- re-reading
def _reread(playlist: PlaylistImport) -> tuple[str, list[parsers.ParsedEntry]]:
    if playlist.kind == ImportKind.DEEZER:
        return deezer.read_playlist(playlist.source_ref)
    return playlist.name, _parse_list(playlist.kind, remote.list_fetch(playlist.source_ref))


def import_refresh(*, playlist: PlaylistImport) -> bool:
    """Read a Deezer playlist or a CSV/M3U URL again and, if its list changed, replace the entries
    (keeping the matches of unchanged inputs: no second Spotify call for them) and match the new ones.
    Pasted and uploaded lists have nothing to re-read, and one still being matched is left alone: False.
    Raises Deezer's and ``remote``'s errors, and the parsers' for a list that went bad; the entries
    stay as they were then."""
    if playlist.kind == ImportKind.LINKS or not playlist.source_ref:
        return False
    if playlist.status == ImportStatus.MATCHING:  # the next check reads it again
        return False
    name, entries = _reread(playlist)
    current = [(e.text, e.isrc) for e in playlist.entries.all()]
    if current == [(e.text[:1000], e.isrc[:20]) for e in entries]:
        return False
    with transaction.atomic():
        known = {e.match_key: e for e in playlist.entries.exclude(state=EntryState.PENDING) if e.match_key}
        rows = _entry_rows(playlist, entries)
        for row in rows:
            row.match_key = match_key(row)
            if (old := known.get(row.match_key)) is not None:
                row.state, row.reason, row.track_id, row.track_data = (
                    old.state,
                    old.reason,
                    old.track_id,
                    old.track_data,
                )
        playlist.entries.all().delete()
        ImportEntry.objects.bulk_create(rows, batch_size=500)
        PlaylistImport.objects.filter(pk=playlist.pk).update(
            name=name[:500], status=ImportStatus.MATCHING, revision=playlist.revision + 1, heartbeat_at=None
        )
    import_match_run(import_id=playlist.pk)
    playlist.refresh_from_db()
    return True
