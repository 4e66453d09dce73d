"""Lyrics for library tracks: one LRCLIB lookup per track, remembered in ``LyricsLookup`` so a miss or
an instrumental is asked again at most once every ``LYRICS_RETRY_DAYS``."""

from __future__ import annotations

import logging
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from downloads.models import LyricsLookup
from spotizerr.integrations.lyrics.transport import LrclibTransport, Lyrics, TrackQuery
from spotizerr.integrations.transport import TransportError
from spotizerr.lib import atomic

logger = logging.getLogger(__name__)
Status = LyricsLookup.Status
_REMEMBERED = (Status.MISSING, Status.INSTRUMENTAL)


def lyrics_enabled() -> bool:
    return bool(settings.LRCLIB_URL)


def lrclib_transport() -> LrclibTransport:
    return LrclibTransport(
        settings.LRCLIB_URL,
        per_second=settings.LRCLIB_REQUESTS_PER_SECOND,
        timeout=settings.INTEGRATION_TIMEOUT_SECONDS,
    )


def lyrics_recently_missed(track_key: str) -> LyricsLookup | None:
    """The remembered miss or instrumental of ``track_key`` younger than the retry period."""
    since = timezone.now() - timedelta(days=settings.LYRICS_RETRY_DAYS)
    return LyricsLookup.objects.filter(
        track_key=track_key, status__in=_REMEMBERED, checked_at__gte=since
    ).first()


def lyrics_lookup(*, track_key: str, query: TrackQuery) -> tuple[str, Lyrics | None]:
    """``(status, lyrics)`` for one track: asks LRCLIB unless a miss was recorded this week. A miss
    or an unreachable LRCLIB is not an error for the track: the status says what happened."""
    remembered = lyrics_recently_missed(track_key) if track_key else None
    if remembered is not None:
        found = Lyrics(instrumental=True) if remembered.status == Status.INSTRUMENTAL else None
        return remembered.status, found
    try:
        found = lrclib_transport().find(query)
    except TransportError as error:
        logger.warning("No lyrics for %s %r: %s", track_key, query.title, error.message)
        return Status.ERROR, None
    status = found.status if found is not None else Status.MISSING
    if track_key:
        LyricsLookup.objects.update_or_create(
            track_key=track_key, defaults={"status": status, "checked_at": timezone.now()}
        )
    return status, found


def lrc_sidecar_path(audio_path: Path) -> Path:
    return audio_path.with_suffix(".lrc")


def lrc_sidecar_write(audio_path: Path, synced: str, *, root: Path) -> Path:
    """The synced lyrics next to ``audio_path`` (same base name, ``.lrc``, UTF-8), written atomically."""
    text = synced if synced.endswith("\n") else synced + "\n"
    return atomic.atomic_write_text(text, lrc_sidecar_path(audio_path), root=root, replace=True)


def wants_embed(mode: str) -> bool:
    return mode in ("embed", "both")


def wants_lrc(mode: str) -> bool:
    return mode in ("lrc", "both")
