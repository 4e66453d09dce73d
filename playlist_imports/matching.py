"""Matching one imported entry to a Spotify track, in the issue's order: a Spotify id (one look-up),
an ISRC (``isrc:`` search, one call of at most 10), then artist + title (+ length within 3 s) with the
inbox's normalisation. Never a batch look-up; every call goes through the client's cache and back-off."""

from __future__ import annotations

from dataclasses import dataclass

from downloads.sources.inbox.matching import DURATION_TOLERANCE_MS, artist_keys, fold, title_key
from playlist_imports.models import ImportEntry
from spotizerr.integrations.catalog_types import Track
from spotizerr.integrations.spotify import SpotifyClient, SpotifyNotFound

SEARCH_LIMIT = 10  # Spotify's maximum for development-mode apps


@dataclass(frozen=True)
class Outcome:
    track: Track | None
    reason: str = ""


def match_key(entry: ImportEntry) -> str:
    """What the match depends on: two entries with the same key match the same track."""
    artists = ",".join(sorted(artist_keys(entry.artists.split(", ")))) if entry.artists else ""
    seconds = "" if entry.duration_ms is None else str(round(entry.duration_ms / 1000))
    return "|".join((entry.spotify_id, entry.isrc, title_key(entry.title), artists, seconds))[:500]


def _fits(track: Track, entry: ImportEntry, *, check_names: bool) -> bool:
    if entry.duration_ms is not None and abs(track.duration_ms - entry.duration_ms) > DURATION_TOLERANCE_MS:
        return False
    if not check_names:
        return True
    wanted = artist_keys(entry.artists.split(", ")) if entry.artists else frozenset()
    return title_key(track.name) == title_key(entry.title) and (
        not wanted or bool(wanted & artist_keys(track.artist_names))
    )


def _by_isrc(client: SpotifyClient, entry: ImportEntry) -> Track | None:
    hits = client.search_tracks(f"isrc:{entry.isrc}", limit=SEARCH_LIMIT)
    same = [track for track in hits if (track.isrc or "").upper() == entry.isrc.upper()]
    return next(iter(same), None)


def _by_text(client: SpotifyClient, entry: ImportEntry) -> Track | None:
    artist = entry.artists.split(", ")[0] if entry.artists else ""
    query = f'track:"{title_key(entry.title)}"' + (f' artist:"{fold(artist)}"' if artist else "")
    hits = client.search_tracks(query, limit=SEARCH_LIMIT)
    return next((track for track in hits if _fits(track, entry, check_names=True)), None)


def entry_match(client: SpotifyClient, entry: ImportEntry) -> Outcome:
    """The Spotify track of ``entry``, or why there is none. Raises the client's errors but for an
    unknown id (``SpotifyRateLimited`` and ``SpotifyUnavailable``: the caller tries again later)."""
    if entry.spotify_id:
        try:
            return Outcome(client.track(entry.spotify_id))
        except SpotifyNotFound:
            return Outcome(None, "Spotify does not know this track id.")
    if entry.isrc:
        found = _by_isrc(client, entry)
        if found is not None:
            return Outcome(found)
        if not entry.title:
            return Outcome(None, f"No Spotify track has the ISRC {entry.isrc}.")
    if not entry.title:
        return Outcome(None, "The entry names no Spotify id, ISRC or title to look for.")
    found = _by_text(client, entry)
    if found is not None:
        return Outcome(found)
    if not entry.artists:
        return Outcome(None, "No Spotify track with this title; without an artist it cannot be told apart.")
    length = " and length (within 3 s)" if entry.duration_ms is not None else ""
    return Outcome(None, f"No Spotify track with this title, artist{length}.")
