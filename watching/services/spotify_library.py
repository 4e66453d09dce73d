"""Watching from the linked user's own Spotify library: every artist they follow at once."""

from __future__ import annotations

from dataclasses import dataclass, field

from accounts.models import User
from accounts.spotify.services import spotify_user_token_require
from spotizerr.integrations.spotify import SpotifyNotFound, get_spotify_client
from watching.models import Watch, WatchKind
from watching.services.common import REQUEST_SPOTIFY_MAX_WAIT, watching_require_enabled
from watching.services.subscriptions import watch_artist_add


@dataclass
class FollowedAdded:
    added: list[dict[str, str]] = field(default_factory=list)
    already_watched: list[dict[str, str]] = field(default_factory=list)
    not_found: list[dict[str, str]] = field(default_factory=list)


def watch_followed_artists_add(*, user: User) -> FollowedAdded:
    """Watch every artist ``user`` follows on Spotify (with the default watch options). Raises Forbidden
    (watching off), ``SpotifyAccountNotLinked`` (409) and the Spotify client's errors."""
    watching_require_enabled()
    client = get_spotify_client(max_wait=REQUEST_SPOTIFY_MAX_WAIT, user=spotify_user_token_require(user=user))
    watched = set(
        Watch.objects.filter(user=user, target__kind=WatchKind.ARTIST).values_list(
            "target__spotify_id", flat=True
        )
    )
    result = FollowedAdded()
    for artist in client.followed_artists():
        entry = {"id": artist.id, "name": artist.name}
        if artist.id in watched:
            result.already_watched.append(entry)
            continue
        try:
            watch_artist_add(user=user, artist_id=artist.id)
        except SpotifyNotFound:
            result.not_found.append(entry)
            continue
        watched.add(artist.id)
        result.added.append(entry)
    return result
