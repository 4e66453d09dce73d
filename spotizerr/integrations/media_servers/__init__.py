"""Media servers told to rescan after downloads land: Subsonic (Navidrome...), Jellyfin and Plex."""

from __future__ import annotations

from spotizerr.integrations.media_servers.base import MediaServerTransport
from spotizerr.integrations.media_servers.jellyfin import JellyfinTransport
from spotizerr.integrations.media_servers.plex import PlexTransport
from spotizerr.integrations.media_servers.subsonic import SubsonicTransport

TRANSPORTS: dict[str, type[MediaServerTransport]] = {
    "subsonic": SubsonicTransport,
    "jellyfin": JellyfinTransport,
    "plex": PlexTransport,
}

__all__ = ["TRANSPORTS", "MediaServerTransport"]
