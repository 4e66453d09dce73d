"""A local stand-in for Deezer's public API: ``GET /track/isrc:{ISRC}`` and the preview files.

``fake.add_track(isrc, preview=bytes)`` makes a track known (no ``preview``: Deezer's empty
``"preview": ""``); its preview is served from the fake's
own origin (``/preview/{isrc}.mp3``), which is allowed because it is the configured API URL. Unknown
ISRCs get Deezer's ``{"error": {"type": "DataException", ...}}`` with HTTP 200, as the real API does.
``fake.add_playlist(title, [(isrc, listed), ...], private=False)`` makes a public playlist (its id
returned) served at ``/playlist/{id}`` and ``/playlist/{id}/tracks``; a track with ``listed=False`` has no
``isrc`` in the list, as Deezer's playlist listings do, so it must be asked of ``/track/{id}``. A private
playlist answers Deezer's ``OAuthException``.
Faults: ``fake.preview_replies(isrc, Reply(...), ...)`` and ``fake.lookup_replies(isrc, ...)`` queue
any ``tests.fakes.media_server.Reply`` (429, 5xx, stall, reset, truncate) before the normal answer.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from tests.fakes.media_server import MediaServer, Reply

NO_DATA = {"error": {"type": "DataException", "message": "no data", "code": 800}}
PRIVATE = {
    "error": {
        "type": "OAuthException",
        "message": "An active access token must be used to query information about the current user",
        "code": 200,
    }
}
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
    deezer_id: int = 0


@dataclass
class FakePlaylist:
    id: int
    title: str
    entries: list[tuple[str, bool]]  # (isrc, whether the listing shows the isrc)
    private: bool = False


class FakeDeezer(MediaServer):
    def __init__(self) -> None:
        super().__init__()
        self.tracks: dict[str, FakeTrack] = {}
        self.playlists: dict[int, FakePlaylist] = {}

    def add_track(
        self,
        isrc: str,
        *,
        preview: bytes = b"",
        title: str = "Song",
        artist: str = "Artist",
        duration: int = 215,
    ) -> FakeTrack:
        track = FakeTrack(isrc.upper(), title, artist, preview, duration, 3_000_000 + len(self.tracks))
        self.tracks[track.isrc] = track
        return track

    def add_playlist(self, title: str, entries: list[tuple[str, bool]], *, private: bool = False) -> int:
        playlist = FakePlaylist(900_000 + len(self.playlists), title, list(entries), private)
        self.playlists[playlist.id] = playlist
        return playlist.id

    def _playlist_reply(self, path: str) -> Reply:
        number, _, rest = path.removeprefix("/playlist/").partition("/")
        playlist = self.playlists.get(int(number)) if number.isdigit() else None
        if playlist is None:
            return json_reply(NO_DATA)
        if playlist.private:
            return json_reply(PRIVATE)
        items = [self._listed(isrc, listed) for isrc, listed in playlist.entries]
        if rest == "tracks":  # one page holds everything: no "next"
            return json_reply({"data": items, "total": len(items)})
        return json_reply(
            {"id": playlist.id, "title": playlist.title, "nb_tracks": len(items), "tracks": {"data": items}}
        )

    def _listed(self, isrc: str, listed: bool) -> dict:
        body = self._track_json(self.tracks[isrc.upper()])
        if not listed:
            body.pop("isrc")
        return body

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
        if path.startswith("/playlist/"):
            return self._playlist_reply(path)
        if path.startswith("/track/") and path.removeprefix("/track/").isdigit():
            by_id = {track.deezer_id: track for track in self.tracks.values()}
            track = by_id.get(int(path.removeprefix("/track/")))
            return json_reply(self._track_json(track) if track else NO_DATA)
        if path.startswith("/track/isrc:"):
            track = self.tracks.get(path.removeprefix("/track/isrc:").upper())
            return json_reply(self._track_json(track) if track else NO_DATA)
        if path.startswith("/preview/") and path.endswith(".mp3"):
            track = self.tracks.get(path.removeprefix("/preview/").removesuffix(".mp3"))
            return Reply(body=track.preview, content_type="audio/mpeg") if track and track.preview else None
        return None

    def _track_json(self, track: FakeTrack) -> dict:
        return {
            "id": track.deezer_id,
            "readable": True,
            "title": track.title,
            "isrc": track.isrc,
            "duration": track.duration,
            "preview": self.url(self.preview_path(track.isrc)) if track.preview else "",
            "artist": {"id": 27, "name": track.artist},
            "album": {"id": 302127, "title": "Album"},
        }
