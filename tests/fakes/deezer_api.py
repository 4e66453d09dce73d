"""A local stand-in for Deezer's public API: ``GET /track/isrc:{ISRC}`` and the preview files.

``fake.add_track(isrc, preview=bytes)`` makes a track known (no ``preview``: Deezer's empty
``"preview": ""``); its preview is served from the fake's
own origin (``/preview/{isrc}.mp3``), which is allowed because it is the configured API URL. Unknown
ISRCs get Deezer's ``{"error": {"type": "DataException", ...}}`` with HTTP 200, as the real API does.
Faults: ``fake.preview_replies(isrc, Reply(...), ...)`` and ``fake.lookup_replies(isrc, ...)`` queue
any ``tests.fakes.media_server.Reply`` (429, 5xx, stall, reset, truncate) before the normal answer.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from tests.fakes.media_server import MediaServer, Reply

NO_DATA = {"error": {"type": "DataException", "message": "no data", "code": 800}}
QUOTA_EXCEEDED = {"error": {"type": "Exception", "message": "Quota limit exceeded", "code": 4}}


def json_reply(payload: object, status: int = 200, **headers: str) -> Reply:
    return Reply(
        status=status,
        body=json.dumps(payload).encode(),
        content_type="application/json",
        headers=dict(headers),
    )


@dataclass(frozen=True)
class FakeTrack:
    isrc: str
    title: str
    artist: str
    preview: bytes
    duration: int = 215  # the full track's length in seconds, as Deezer reports it


class FakeDeezer(MediaServer):
    def __init__(self) -> None:
        super().__init__()
        self.tracks: dict[str, FakeTrack] = {}

    def add_track(
        self,
        isrc: str,
        *,
        preview: bytes = b"",
        title: str = "Song",
        artist: str = "Artist",
        duration: int = 215,
    ) -> FakeTrack:
        track = FakeTrack(isrc.upper(), title, artist, preview, duration)
        self.tracks[track.isrc] = track
        return track

    def lookup_path(self, isrc: str) -> str:
        return f"/track/isrc:{isrc.upper()}"

    def preview_path(self, isrc: str) -> str:
        return f"/preview/{isrc.upper()}.mp3"

    def lookup_replies(self, isrc: str, *replies: Reply) -> None:
        """Serve ``replies`` to the next lookups of ``isrc``, then the normal answer."""
        self.route(self.lookup_path(isrc), *replies, *self._normal(self.lookup_path(isrc)))

    def preview_replies(self, isrc: str, *replies: Reply) -> None:
        self.route(self.preview_path(isrc), *replies, *self._normal(self.preview_path(isrc)))

    def _normal(self, path: str) -> tuple[Reply, ...]:
        reply = self.fallback(path)
        return (reply,) if reply is not None else ()

    def fallback(self, path: str) -> Reply | None:
        if path == "/infos":
            return json_reply({"country_iso": "GB", "open": True})
        if path.startswith("/track/isrc:"):
            track = self.tracks.get(path.removeprefix("/track/isrc:").upper())
            return json_reply(self._track_json(track) if track else NO_DATA)
        if path.startswith("/preview/") and path.endswith(".mp3"):
            track = self.tracks.get(path.removeprefix("/preview/").removesuffix(".mp3"))
            return Reply(body=track.preview, content_type="audio/mpeg") if track and track.preview else None
        return None

    def _track_json(self, track: FakeTrack) -> dict:
        return {
            "id": 3135556,
            "readable": True,
            "title": track.title,
            "isrc": track.isrc,
            "duration": track.duration,
            "preview": self.url(self.preview_path(track.isrc)) if track.preview else "",
            "artist": {"id": 27, "name": track.artist},
            "album": {"id": 302127, "title": "Album"},
        }
