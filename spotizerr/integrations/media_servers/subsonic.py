"""Subsonic API servers (Navidrome, Airsonic, Gonic...): ``startScan`` with token auth, i.e.
``t = md5(password + salt)`` and ``s = salt`` (API 1.13+), and native playlists kept in step with an
M3U: each song found with ``search3`` by title and matched on its ``path``, then the whole list set
with one ``createPlaylist`` (sent as a form POST, as OpenSubsonic's ``formPost``, so that a long list
of ``songId`` fits)."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from spotizerr.integrations.media_servers.base import MediaServerTransport
from spotizerr.integrations.transport import TransportError

API_VERSION = "1.16.1"
_AUTH_CODES = {40, 41, 50}  # wrong credentials, token auth unsupported for LDAP users, not authorized


class SubsonicTransport(MediaServerTransport):
    name = "Subsonic server"

    def _call(self, method: str, form: list[tuple[str, str]] | None = None, **params: Any) -> dict[str, Any]:
        salt = secrets.token_hex(8)
        token = hashlib.md5((self.secret + salt).encode(), usedforsecurity=False).hexdigest()
        query = {"u": self.username, "t": token, "s": salt, "v": API_VERSION, "c": "spotizerr", "f": "json"}
        url = f"{self.url}rest/{method}.view"
        if form is None:
            body = self.get_json(url, params={**query, **params})
        else:
            body = self._post_json(url, params=query, data=[*params.items(), *form])
        answer = (body or {}).get("subsonic-response") if isinstance(body, dict) else None
        if not isinstance(answer, dict):
            raise TransportError(
                f"{self.url} is not a Subsonic server (no subsonic-response)", permanent=True
            )
        if answer.get("status") != "ok":
            error = answer.get("error") or {}
            message = f"the Subsonic server refused: {error.get('message') or 'unknown error'}"
            raise TransportError(message, permanent=error.get("code") in _AUTH_CODES)
        return answer

    def refresh(self) -> str:
        scan = self._call("startScan").get("scanStatus") or {}
        return "scan started" if scan.get("scanning", True) else "scan requested"

    def check(self) -> str:
        answer = self._call("ping")
        return f"Subsonic API {answer.get('version', '?')} ({answer.get('type', 'server')}) answered."

    def _post_json(self, url: str, **kwargs: Any) -> Any:
        response = self.request("POST", url, **kwargs)
        try:
            return None if response.status_code == 404 else response.json()
        except ValueError:
            raise TransportError(f"{self.name} answered something that is not JSON") from None

    def song_id(self, *, path: str, title: str) -> str | None:
        """The id of the song whose ``path`` is ``path`` (library-relative; the server's music folder
        may be a parent of the library, so a path ending in ``/<path>`` matches too), found among the
        songs ``search3`` returns for ``title``; None when the server does not know it."""
        query: dict[str, Any] = {"query": title, "songCount": 100, "artistCount": 0, "albumCount": 0}
        songs = (self._call("search3", **query).get("searchResult3") or {}).get("song") or []
        for song in songs:
            known = str(song.get("path") or "").replace("\\", "/")
            if known == path or known.endswith("/" + path):
                return str(song["id"])
        return None

    def playlist_set(self, *, name: str, playlist_id: str, song_ids: list[str]) -> str:
        """Make the server's playlist hold ``song_ids`` in that order: replace the entries of the
        playlist ``playlist_id`` (or, when gone, of the one called ``name``), or create it. Returns its
        id. One ``getPlaylists`` and one ``createPlaylist`` call, however long the list."""
        playlists = (self._call("getPlaylists").get("playlists") or {}).get("playlist") or []
        ids = {str(item.get("id")) for item in playlists}
        if playlist_id not in ids:
            named = [str(item["id"]) for item in playlists if item.get("name") == name]
            playlist_id = named[0] if named else ""
        songs = [("songId", song) for song in song_ids]
        target = {"playlistId": playlist_id} if playlist_id else {"name": name}
        answer = self._call("createPlaylist", form=songs, **target)
        return str((answer.get("playlist") or {}).get("id") or playlist_id)
