"""Jellyfin (and Emby): ``POST /Library/Refresh`` with an API key in ``X-Emby-Token``."""

from __future__ import annotations

from spotizerr.integrations.media_servers.base import MediaServerTransport
from spotizerr.integrations.transport import TransportError


class JellyfinTransport(MediaServerTransport):
    name = "Jellyfin"

    @property
    def _headers(self) -> dict[str, str]:
        return {"X-Emby-Token": self.secret}

    def refresh(self) -> str:
        response = self.request("POST", f"{self.url}Library/Refresh", headers=self._headers)
        if response.status_code == 404:
            raise TransportError(f"{self.url} has no /Library/Refresh: is it Jellyfin?", permanent=True)
        return "library refresh started"

    def check(self) -> str:
        info = self.get_json(f"{self.url}System/Info", headers=self._headers)
        if not isinstance(info, dict):
            raise TransportError(f"{self.url} is not a Jellyfin server", permanent=True)
        return f"Jellyfin {info.get('Version', '?')} ({info.get('ServerName', 'server')}) answered."
