"""Genres for a track, in order: Spotify (the album's, then its first artist's, where the API still
returns them), else MusicBrainz by ISRC; nothing rather than a guess. MusicBrainz answers are cached
per album (its tracks share a release group and artist), so an album costs one lookup, not one a track."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.cache import cache

from spotizerr.integrations.catalog_types import Album, Track
from spotizerr.integrations.genres.transport import MusicBrainzTransport
from spotizerr.integrations.spotify import SpotifyError, get_spotify_client
from spotizerr.integrations.transport import TransportError

logger = logging.getLogger(__name__)
CACHE_SECONDS = 30 * 24 * 3600


def musicbrainz_transport() -> MusicBrainzTransport:
    return MusicBrainzTransport(settings.MUSICBRAINZ_URL, timeout=settings.INTEGRATION_TIMEOUT_SECONDS)


def spotify_genres(track: Track, album: Album | None) -> list[str]:
    found = list(album.genres) if album is not None else []
    artist_ids = [artist.id for artist in track.artists if artist.id][:1]
    for artist_id in artist_ids:
        try:
            found += list(get_spotify_client().artist(artist_id).genres)
        except SpotifyError as error:
            logger.info("No Spotify genres for artist %s: %s", artist_id, error.message)
    return list(dict.fromkeys(found))


def musicbrainz_genres(track: Track, album: Album | None, *, limit: int) -> list[str]:
    if not settings.MUSICBRAINZ_URL or not track.isrc:
        return []
    album_id = album.id if album is not None else track.album.id
    key = f"genres:{settings.MUSICBRAINZ_URL}:{album_id or track.isrc.upper()}:{limit}"
    cached = cache.get(key)
    if cached is not None:
        return list(cached)
    try:
        found = musicbrainz_transport().genres_by_isrc(track.isrc.upper(), limit=limit)
    except TransportError as error:
        logger.warning("No MusicBrainz genres for %s: %s", track.isrc, error.message)
        return []  # not cached: the next track or download asks again
    cache.set(key, found, timeout=CACHE_SECONDS)
    return found


def genres_for(track: Track, album: Album | None, *, mode: str, limit: int) -> list[str]:
    """Up to ``limit`` genres as the ``genres`` setting (``off``, ``spotify``, ``musicbrainz``, ``both``) says."""
    found: list[str] = []
    if mode in ("spotify", "both"):
        found = spotify_genres(track, album)
    if not found and mode in ("musicbrainz", "both"):
        found = musicbrainz_genres(track, album, limit=limit)
    return found[:limit]
