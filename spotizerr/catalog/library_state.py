"""The caller's library state on serialized catalog bodies: ``library`` on each track and a summary on
albums, playlists and artist releases (``downloads.library_state``).

It is added to the response after serialization, per request: the Spotify answers underneath are
cached and shared between users, the library state never is.
"""

from __future__ import annotations

from typing import Any

from accounts.models import User
from downloads.library_state import TrackKey, release_summaries, summary, track_states


def _key(track: dict[str, Any]) -> TrackKey:
    return TrackKey(id=str(track.get("id") or ""), isrc=str(track.get("isrc") or ""))


def mark_tracks(*, user: User, tracks: list[dict[str, Any]]) -> dict[str, int]:
    """Set ``library`` on each serialized track; return the summary of them."""
    states = track_states(user=user, tracks=[_key(track) for track in tracks])
    for track in tracks:
        if track.get("id") in states:
            track["library"] = states[track["id"]]
    return summary(track["library"] for track in tracks if "library" in track)


def mark_entries(*, user: User, entries: list[dict[str, Any]]) -> dict[str, int]:
    """Set ``library`` on the track of each serialized playlist entry (entries without a track, such
    as local files, have none); return the summary of those tracks."""
    return mark_tracks(user=user, tracks=[entry["track"] for entry in entries if entry.get("track")])


def mark_releases(*, user: User, releases: list[dict[str, Any]]) -> None:
    """Set the ``library`` summary on each serialized artist release."""
    found = release_summaries(
        user=user, releases=[(str(item["id"]), int(item.get("total_tracks") or 0)) for item in releases]
    )
    for item in releases:
        if item["id"] in found:
            item["library"] = found[item["id"]]
