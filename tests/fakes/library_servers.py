"""Local media servers that check credentials like the real ones and count rescans: a Subsonic API
server (token auth; songs found by ``search3``, playlists by ``getPlaylists``/``createPlaylist``),
Jellyfin (API key) and Plex (token, music section key 3)."""

from __future__ import annotations

import hashlib
from typing import Any
from urllib.parse import parse_qs

from tests.fakes.http_service import Answer, HttpService, Seen


class FakeSubsonic(HttpService):
    name = "subsonic"

    def __init__(self, username: str = "admin", password: str = "sesame") -> None:
        super().__init__()
        self.username, self.password = username, password
        self.songs: list[dict[str, Any]] = []  # {"id", "title", "path"}, path relative to its music folder
        self.playlists: dict[str, dict[str, Any]] = {}  # id -> {"name", "songs": [song ids in order]}

    def add_song(self, title: str, path: str) -> str:
        song_id = f"so-{len(self.songs) + 1}"
        self.songs.append({"id": song_id, "title": title, "path": path, "isDir": False})
        return song_id

    def playlist_named(self, name: str) -> list[str] | None:
        found = [item["songs"] for item in self.playlists.values() if item["name"] == name]
        return found[0] if found else None

    @property
    def refreshes(self) -> int:
        return len(self.seen("/rest/startScan.view"))

    def answer(self, seen: Seen) -> Answer:
        q = seen.query
        expected = hashlib.md5((self.password + q.get("s", "")).encode()).hexdigest()
        if q.get("u") != self.username or q.get("t") != expected or not q.get("s"):
            error = {"code": 40, "message": "Wrong username or password"}
            return 200, {"subsonic-response": {"status": "failed", "version": "1.16.1", "error": error}}
        ok = {"status": "ok", "version": "1.16.1", "type": "navidrome"}
        if seen.path == "/rest/startScan.view":
            return 200, {"subsonic-response": {**ok, "scanStatus": {"scanning": True, "count": 0}}}
        if seen.path == "/rest/ping.view":
            return 200, {"subsonic-response": ok}
        if seen.path == "/rest/search3.view":
            query = q.get("query", "").lower()
            songs = [song for song in self.songs if query in song["title"].lower()]
            return 200, {"subsonic-response": {**ok, "searchResult3": {"song": songs[: int(q["songCount"])]}}}
        if seen.path == "/rest/getPlaylists.view":
            listed = [{"id": key, "name": item["name"]} for key, item in self.playlists.items()]
            return 200, {"subsonic-response": {**ok, "playlists": {"playlist": listed}}}
        if seen.path == "/rest/createPlaylist.view":
            return self._create_playlist(seen, ok)
        return 404, {"error": "not found"}

    def _create_playlist(self, seen: Seen, ok: dict[str, str]) -> Answer:
        """Like the real one, it takes its fields from the query or (POST) from a form body."""
        form = parse_qs(seen.body.decode()) if seen.method == "POST" else {}
        fields = {**{key: [value] for key, value in seen.query.items()}, **form}
        songs = fields.get("songId", [])
        known = {song["id"] for song in self.songs}
        if any(song not in known for song in songs):
            return 200, {
                "subsonic-response": {
                    **ok,
                    "status": "failed",
                    "error": {"code": 70, "message": "Song not found"},
                }
            }
        playlist_id = fields.get("playlistId", [""])[0]
        if playlist_id and playlist_id not in self.playlists:
            return 200, {
                "subsonic-response": {
                    **ok,
                    "status": "failed",
                    "error": {"code": 70, "message": "Playlist not found"},
                }
            }
        if not playlist_id:
            playlist_id = f"pl-{len(self.playlists) + 1}"
            self.playlists[playlist_id] = {"name": fields.get("name", [""])[0], "songs": []}
        self.playlists[playlist_id]["songs"] = list(songs)
        answer = {"id": playlist_id, "name": self.playlists[playlist_id]["name"], "songCount": len(songs)}
        return 200, {"subsonic-response": {**ok, "playlist": answer}}


class FakeJellyfin(HttpService):
    name = "jellyfin"

    def __init__(self, api_key: str = "jf-key") -> None:
        super().__init__()
        self.api_key = api_key

    @property
    def refreshes(self) -> int:
        return len(self.seen("/Library/Refresh", method="POST"))

    def answer(self, seen: Seen) -> Answer:
        if seen.headers.get("x-emby-token") != self.api_key:
            return 401, b""
        if seen.path == "/Library/Refresh" and seen.method == "POST":
            return 204, b""
        if seen.path == "/System/Info":
            return 200, {"Version": "10.10.0", "ServerName": "fake-jellyfin"}
        return 404, b""


SECTIONS = (
    '<?xml version="1.0" encoding="UTF-8"?><MediaContainer size="2">'
    '<Directory key="1" type="movie" title="Films"/><Directory key="3" type="artist" title="Music"/>'
    "</MediaContainer>"
)


class FakePlex(HttpService):
    name = "plex"

    def __init__(self, token: str = "plex-token") -> None:
        super().__init__()
        self.token = token

    @property
    def refreshes(self) -> int:
        return len(self.seen("/library/sections/3/refresh"))

    def answer(self, seen: Seen) -> Answer:
        if seen.query.get("X-Plex-Token") != self.token:
            return 401, b"<html>Unauthorized</html>"
        if seen.path == "/library/sections":
            return 200, SECTIONS
        if seen.path.startswith("/library/sections/") and seen.path.endswith("/refresh"):
            return 200, b""
        return 404, b""
