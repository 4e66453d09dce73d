"""The one way Spotizerr reads the Spotify catalog (see ``client.SpotifyClient``).

client = get_spotify_client()            # SpotifyNotConfigured when no credentials are set
client.track(track_id) -> Track
client.album(album_id) -> Album          # every track
client.playlist(playlist_id, include_entries=True) -> Playlist
client.artist_releases(artist_id, ["album", "single"]) -> list[ArtistRelease]  # one listing per group
client.check()                           # one small call; raises what Spotify would raise now
parse_spotify_id(value, "track") -> str  # bare id, open.spotify.com link or spotify: URI; else BadRequest
"""

from __future__ import annotations

from spotizerr.integrations.spotify.client import (
    MAX_OFFSET,
    RELEASE_GROUPS,
    SEARCH_TYPES,
    SpotifyClient,
    get_spotify_client,
    spotify_clients_close,
)
from spotizerr.integrations.spotify.errors import (
    SpotifyCredentialsRejected,
    SpotifyError,
    SpotifyNotConfigured,
    SpotifyNotFound,
    SpotifyOwnerNotPremium,
    SpotifyQuotaExhausted,
    SpotifyRateLimited,
    SpotifyUnavailable,
)
from spotizerr.integrations.spotify.ids import KINDS, parse_spotify_id
from spotizerr.integrations.spotify.transport import blocked_for, spotify_cache_clear

__all__ = [
    "KINDS",
    "MAX_OFFSET",
    "RELEASE_GROUPS",
    "SEARCH_TYPES",
    "SpotifyClient",
    "SpotifyCredentialsRejected",
    "SpotifyError",
    "SpotifyNotConfigured",
    "SpotifyNotFound",
    "SpotifyOwnerNotPremium",
    "SpotifyQuotaExhausted",
    "SpotifyRateLimited",
    "SpotifyUnavailable",
    "blocked_for",
    "get_spotify_client",
    "parse_spotify_id",
    "spotify_cache_clear",
    "spotify_clients_close",
]
