"""The one way Spotizerr reads the Spotify catalog (see ``client.SpotifyClient``).

client = get_spotify_client()            # SpotifyNotConfigured when no credentials are set
client.track(track_id) -> Track
client.album(album_id) -> Album          # every track
client.playlist(playlist_id, include_entries=True) -> Playlist
client.artist_releases(artist_id, ["album", "single"]) -> list[ArtistRelease]  # one listing per group
client.check()                           # one small call; raises what Spotify would raise now
client.playlist(playlist_id, include_entries=True) -> Playlist   # "liked": the user's Liked Songs
get_spotify_client(user=UserToken(...))   # playlists and /me read with a linked account's token
client.artist_releases(artist_id, ["album", "single"]) -> list[ArtistRelease]
parse_spotify_id(value, "track") -> str  # bare id, open.spotify.com link or spotify: URI; else BadRequest
"""

from __future__ import annotations

from spotizerr.integrations.spotify.client import (
    MAX_OFFSET,
    RELEASE_GROUPS,
    SEARCH_TYPES,
    SpotifyClient,
    get_spotify_client,
    spotify_app_client_id,
    spotify_clients_close,
    spotify_credentials_try,
)
from spotizerr.integrations.spotify.errors import (
    SpotifyAccountNotLinked,
    SpotifyCredentialsRejected,
    SpotifyError,
    SpotifyLinkFailed,
    SpotifyNotConfigured,
    SpotifyNotFound,
    SpotifyOwnerNotPremium,
    SpotifyPlaylistForbidden,
    SpotifyQuotaExhausted,
    SpotifyRateLimited,
    SpotifyUnavailable,
)
from spotizerr.integrations.spotify.ids import KINDS, looks_like_spotify_id, parse_spotify_id, spotify_link
from spotizerr.integrations.spotify.me import (
    LIKED_ID,
    LIKED_NAME,
    FollowedArtist,
    SpotifyProfile,
    UserPlaylist,
    parse_playlist_id,
)
from spotizerr.integrations.spotify.transport import UserToken, blocked_for, spotify_cache_clear

__all__ = [
    "KINDS",
    "LIKED_ID",
    "LIKED_NAME",
    "MAX_OFFSET",
    "RELEASE_GROUPS",
    "SEARCH_TYPES",
    "FollowedArtist",
    "SpotifyAccountNotLinked",
    "SpotifyClient",
    "SpotifyCredentialsRejected",
    "SpotifyError",
    "SpotifyLinkFailed",
    "SpotifyNotConfigured",
    "SpotifyNotFound",
    "SpotifyOwnerNotPremium",
    "SpotifyPlaylistForbidden",
    "SpotifyProfile",
    "SpotifyQuotaExhausted",
    "SpotifyRateLimited",
    "SpotifyUnavailable",
    "UserPlaylist",
    "UserToken",
    "blocked_for",
    "get_spotify_client",
    "looks_like_spotify_id",
    "parse_playlist_id",
    "parse_spotify_id",
    "spotify_app_client_id",
    "spotify_cache_clear",
    "spotify_clients_close",
    "spotify_credentials_try",
    "spotify_link",
]
