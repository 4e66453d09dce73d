"""A local LRCLIB: ``api/get`` and ``api/search`` over a dict of records keyed by lower-cased title."""

from __future__ import annotations

from typing import Any

from tests.fakes.http_service import Answer, HttpService, Seen


def record(
    title: str, artist: str, duration: float, *, synced: bool = True, instrumental: bool = False
) -> dict:
    lines = [f"[00:0{i}.00] {title} line {i}" for i in range(1, 4)]
    return {
        "id": abs(hash(title)) % 100000,
        "trackName": title,
        "artistName": artist,
        "albumName": "",
        "duration": duration,
        "instrumental": instrumental,
        "plainLyrics": None if instrumental else "\n".join(f"{title} line {i}" for i in range(1, 4)),
        "syncedLyrics": "\n".join(lines) if synced and not instrumental else None,
    }


class FakeLrclib(HttpService):
    name = "lrclib"

    def __init__(self) -> None:
        super().__init__()
        self.records: dict[str, dict[str, Any]] = {}
        self.exact = True  # False: api/get misses, only api/search finds the record

    def add(self, item: dict[str, Any]) -> None:
        self.records[item["trackName"].lower()] = item

    def answer(self, seen: Seen) -> Answer:
        found = self.records.get(seen.query.get("track_name", "").lower())
        if seen.path == "/api/get":
            if found is None or not self.exact:
                return 404, {
                    "code": 404,
                    "name": "TrackNotFound",
                    "message": "Failed to find specified track",
                }
            if abs(found["duration"] - float(seen.query.get("duration") or 0)) > 2:
                return 404, {
                    "code": 404,
                    "name": "TrackNotFound",
                    "message": "Failed to find specified track",
                }
            return 200, found
        if seen.path == "/api/search":
            return 200, [found] if found else []
        return 404, {"error": "not found"}
