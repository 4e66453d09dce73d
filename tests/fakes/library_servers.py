"""Local media servers that check credentials like the real ones and count rescans: a Subsonic API
server (token auth), Jellyfin (API key) and Plex (token, music section key 3)."""

from __future__ import annotations

import hashlib

from tests.fakes.http_service import Answer, HttpService, Seen


class FakeSubsonic(HttpService):
    name = "subsonic"

    def __init__(self, username: str = "admin", password: str = "sesame") -> None:
        super().__init__()
        self.username, self.password = username, password

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
        return 404, {"error": "not found"}


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
