"""Plex: refresh the music sections (``type="artist"``), or the one configured, with a token."""

from __future__ import annotations

from xml.etree import ElementTree

from spotizerr.integrations.media_servers.base import MediaServerTransport
from spotizerr.integrations.transport import TransportError


class PlexTransport(MediaServerTransport):
    name = "Plex"

    def _get(self, path: str) -> str:
        response = self.request(
            "GET",
            f"{self.url}{path}",
            params={"X-Plex-Token": self.secret},
            headers={"Accept": "application/xml"},
        )
        if response.status_code == 404:
            raise TransportError(f"Plex has no {path}", permanent=True)
        return response.text

    def music_sections(self) -> list[str]:
        try:
            root = ElementTree.fromstring(self._get("library/sections"))
        except ElementTree.ParseError:
            raise TransportError(
                f"{self.url} is not a Plex server (no XML library)", permanent=True
            ) from None
        return [item.get("key", "") for item in root.iter("Directory") if item.get("type") == "artist"]

    def refresh(self) -> str:
        sections = [self.section] if self.section else self.music_sections()
        if not sections:
            raise TransportError("Plex has no music library to refresh", permanent=True)
        for key in sections:
            self._get(f"library/sections/{key}/refresh")
        return f"refreshed section(s) {', '.join(sections)}"

    def check(self) -> str:
        sections = self.music_sections()
        return f"Plex answered; music section(s): {', '.join(sections) or 'none'}."
