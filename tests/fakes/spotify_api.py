"""A local stand-in for the Spotify Web API and Accounts service, for tests and benchmarks.

    fake = FakeSpotify().start()          # ThreadingHTTPServer on 127.0.0.1:<ephemeral port>
    fake.api_url                           # "http://127.0.0.1:PORT/v1/"  -> settings.SPOTIFY_API_URL
    fake.token_url                         # "http://127.0.0.1:PORT/api/token" -> settings.SPOTIFY_TOKEN_URL
    fake.client_id, fake.client_secret     # the only credentials the token endpoint accepts
    fake.stop()

In tests use the ``spotify_api`` fixture (``tests.fakes.spotify_fixtures``), which does all of that.

Endpoints (Spotify's JSON shapes; unknown ids -> 404 ``{"error": {"status", "message"}}``; a request without a
valid bearer -> 401; bad paging -> 400):
  POST /api/token                 client credentials (HTTP Basic), returns access_token + expires_in
  GET  /v1/tracks/{id}            GET /v1/albums/{id} (first 50 tracks under "tracks")
  GET  /v1/albums/{id}/tracks     limit <= 50, offset, next
  GET  /v1/artists/{id}           GET /v1/artists/{id}/albums (include_groups, limit <= 50, offset)
  GET  /v1/playlists/{id}         first 100 entries under "items" (and legacy "tracks"), snapshot_id;
                                  ``fields=a,b`` keeps only those top-level keys
  GET  /v1/playlists/{id}/items   limit <= 100, offset; entries carry "item" (and legacy "track"); local files
                                  have is_local true, unavailable entries item null, episodes type "episode"
  GET  /v1/search                 q, type (comma list), limit <= 10 (else 400), offset
  GET  /v1/markets                {"markets": [...]}
  GET  /v1/tracks?ids=, /v1/albums?ids=, /v1/artists?ids=, /v1/playlists/{id}/tracks -> 403 (as for new apps)
  GET  /images/{name}.jpg         a real small JPEG (images[].url point here)
  GET  /previews/{track id}.mp3   a real MP3 for tracks with a preview (catalog.set_preview)

Test controls:
  fake.catalog                    the mutable ``FakeCatalog`` (see tests.fakes.spotify_catalog); ``IDS`` its ids
  fake.fail_next(status, count=1, retry_after=None, path_prefix=None)
                                  the next ``count`` matching requests answer ``status`` (429 with Retry-After
                                  when given); path_prefix None matches /v1/ only, use "/api/token",
                                  "/previews/" or e.g. "/v1/playlists/" to aim elsewhere
  fake.delay(seconds, count=None) later responses (all, or the next ``count``) wait that long first
  fake.expire_tokens()            every issued token becomes invalid (-> 401 until a new one is fetched)
  fake.requests                   list of ``RequestRecord(method, path, query, time, status)``;
                                  time is ``time.monotonic()`` at arrival
  fake.api_calls(path_prefix="/v1/")  how many requests went to paths with that prefix
  fake.clear_requests()
"""

from __future__ import annotations

import base64
import json
import re
import secrets
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from tests.fakes.spotify_catalog import IDS, FakeCatalog, fake_id
from tests.fakes.spotify_render import Json, Renderer

__all__ = ["IDS", "FakeCatalog", "FakeSpotify", "RequestRecord", "SpotifyApiError", "fake_id"]

_MEDIA: dict[str, bytes] = {}
_MEDIA_LOCK = threading.Lock()


def _media(kind: str) -> bytes:
    """A real JPEG or MP3, generated once per process with ffmpeg."""
    with _MEDIA_LOCK:
        if kind not in _MEDIA:
            from tests.fakes.audio import make_audio, make_jpeg

            with tempfile.TemporaryDirectory() as tmp:
                path = Path(tmp) / f"media.{kind}"
                make_jpeg(path, size=64) if kind == "jpg" else make_audio(path, seconds=1.0)
                _MEDIA[kind] = path.read_bytes()
        return _MEDIA[kind]


class SpotifyApiError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status, self.message = status, message


@dataclass
class RequestRecord:
    method: str
    path: str
    query: dict[str, str]
    time: float
    status: int = 0


@dataclass
class _Fault:
    status: int
    remaining: int
    retry_after: float | None
    path_prefix: str | None

    def matches(self, path: str) -> bool:
        return self.remaining > 0 and path.startswith(self.path_prefix or "/v1/")


class FakeSpotify:
    SEARCH_TYPES = ("album", "artist", "playlist", "track", "show", "episode", "audiobook")
    INCLUDE_GROUPS = ("album", "single", "compilation", "appears_on")

    def __init__(self, catalog: FakeCatalog | None = None) -> None:
        self.catalog = catalog or FakeCatalog.default()
        self.client_id = "fake-client-id"
        self.client_secret = "fake-client-secret"
        self.token_lifetime = 3600
        self.requests: list[RequestRecord] = []
        self._tokens: dict[str, float] = {}
        self._faults: list[_Fault] = []
        self._delay = 0.0
        self._delay_count: int | None = None
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.base_url = ""
        self.render: Renderer | None = None

    # ------------------------------------------------------------ lifecycle
    def start(self) -> FakeSpotify:
        handler = type("Handler", (_Handler,), {"fake": self})
        self._server = _QuietServer(("127.0.0.1", 0), handler)
        self._server.daemon_threads = True
        self.base_url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self.render = Renderer(self.catalog, self.base_url)
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        name="fake-spotify", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    @property
    def api_url(self) -> str:
        return f"{self.base_url}/v1/"

    @property
    def token_url(self) -> str:
        return f"{self.base_url}/api/token"

    # ------------------------------------------------------------ test controls
    def fail_next(self, status: int, count: int = 1, retry_after: float | None = None,
                  path_prefix: str | None = None) -> None:
        with self._lock:
            self._faults.append(_Fault(status, count, retry_after, path_prefix))

    def delay(self, seconds: float, count: int | None = None) -> None:
        with self._lock:
            self._delay, self._delay_count = seconds, count

    def _take_delay(self) -> float:
        with self._lock:
            if self._delay_count is not None:
                if self._delay_count <= 0:
                    return 0.0
                self._delay_count -= 1
            return self._delay

    def expire_tokens(self) -> None:
        with self._lock:
            self._tokens.clear()

    def api_calls(self, path_prefix: str = "/v1/") -> int:
        with self._lock:
            return sum(1 for record in self.requests if record.path.startswith(path_prefix))

    def clear_requests(self) -> None:
        with self._lock:
            self.requests.clear()

    # ------------------------------------------------------------ request handling (server threads)
    def _log(self, method: str, path: str, query: dict[str, str]) -> RequestRecord:
        record = RequestRecord(method, path, query, time.monotonic())
        with self._lock:
            self.requests.append(record)
        return record

    def _take_fault(self, path: str) -> _Fault | None:
        with self._lock:
            for fault in self._faults:
                if fault.matches(path):
                    fault.remaining -= 1
                    return fault
        return None

    def issue_token(self, authorization: str, body: dict[str, str]) -> Json:
        expected = base64.b64encode(f"{self.client_id}:{self.client_secret}".encode()).decode()
        if body.get("grant_type") != "client_credentials":
            raise SpotifyApiError(400, "unsupported_grant_type")
        if authorization != f"Basic {expected}":
            raise SpotifyApiError(400, "invalid_client")
        token = secrets.token_urlsafe(24)
        with self._lock:
            self._tokens[token] = time.time() + self.token_lifetime
        return {"access_token": token, "token_type": "Bearer", "expires_in": self.token_lifetime}

    def check_bearer(self, authorization: str) -> None:
        token = authorization.removeprefix("Bearer ").strip()
        with self._lock:
            expiry = self._tokens.get(token) if authorization.startswith("Bearer ") else None
        if expiry is None:
            raise SpotifyApiError(401, "No token provided" if not authorization else "Invalid access token")
        if expiry < time.time():
            raise SpotifyApiError(401, "The access token expired")


# ------------------------------------------------------------------ the HTTP handler

class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        # a client that timed out and hung up is part of the tests, not an error
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


def _int_param(query: dict[str, str], name: str, default: int, maximum: int | None = None) -> int:
    raw = query.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SpotifyApiError(400, f"Invalid {name}") from None
    if value < (1 if name == "limit" else 0) or (maximum is not None and value > maximum):
        raise SpotifyApiError(400, f"Invalid {name}")
    return value


def _valid_id(object_id: str) -> str:
    if not re.fullmatch(r"[0-9A-Za-z]{22}", object_id):
        raise SpotifyApiError(400, "Invalid base62 id")
    return object_id


class _Handler(BaseHTTPRequestHandler):
    fake: FakeSpotify
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # quiet test output
        pass

    def do_POST(self) -> None:
        self._handle("POST")

    def do_GET(self) -> None:
        self._handle("GET")

    def _handle(self, method: str) -> None:
        split = urlsplit(self.path)
        query = {key: values[0] for key, values in parse_qs(split.query, keep_blank_values=True).items()}
        record = self.fake._log(method, split.path, query)
        if pause := self.fake._take_delay():
            time.sleep(pause)
        fault = self.fake._take_fault(split.path)
        if fault is not None:
            headers = {"Retry-After": f"{fault.retry_after:g}"} if fault.retry_after is not None else {}
            record.status = fault.status
            self._send_json(fault.status, {"error": {"status": fault.status, "message": "Injected fault"}}, headers)
            return
        try:
            status, body, content_type = self._route(method, split.path, query)
        except SpotifyApiError as error:
            status, content_type = error.status, "application/json"
            body = {"error": {"status": error.status, "message": error.message}}
            if split.path == "/api/token":
                body = {"error": error.message, "error_description": "Invalid client"}
        record.status = status
        if content_type == "application/json":
            self._send_json(status, body)
        else:
            self._send(status, body, content_type)

    def _send_json(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
        self._send(status, json.dumps(body).encode(), "application/json; charset=utf-8", headers)

    def _send(self, status: int, payload: bytes, content_type: str, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(payload)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(payload)

    def _route(self, method: str, path: str, query: dict[str, str]) -> tuple[int, Any, str]:
        if method == "POST" and path == "/api/token":
            length = int(self.headers.get("Content-Length") or 0)
            form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
            return 200, self.fake.issue_token(self.headers.get("Authorization", ""), form), "application/json"
        if method == "GET" and (match := re.fullmatch(r"/images/([\w.-]+)\.jpg", path)):
            return 200, _media("jpg"), "image/jpeg"
        if method == "GET" and (match := re.fullmatch(r"/previews/(\w+)\.mp3", path)):
            track = self.fake.catalog.tracks.get(match.group(1))
            if track is None or not track.has_preview:
                raise SpotifyApiError(404, "Preview not found")
            return 200, _media("mp3"), "audio/mpeg"
        if method != "GET" or not path.startswith("/v1/"):
            raise SpotifyApiError(404, "Service not found")
        self.fake.check_bearer(self.headers.get("Authorization", ""))
        for pattern, view in _ROUTES:
            if match := re.fullmatch(pattern, path[len("/v1"):]):
                with self.fake.catalog.lock:
                    return 200, view(self.fake, query, *match.groups()), "application/json"
        raise SpotifyApiError(404, "Service not found")


# ------------------------------------------------------------------ API views (catalog lock held)

def _get(mapping: dict[str, Any], object_id: str) -> Any:
    found = mapping.get(_valid_id(object_id))
    if found is None:
        raise SpotifyApiError(404, "Resource not found")
    return found


def _forbidden(fake: FakeSpotify, query: dict[str, str], *args: str) -> Json:
    raise SpotifyApiError(403, "Forbidden")


def _track(fake: FakeSpotify, query: dict[str, str], track_id: str) -> Json:
    return fake.render.track_full(_get(fake.catalog.tracks, track_id))


def _album_tracks_page(fake: FakeSpotify, album_id: str, limit: int, offset: int) -> Json:
    album = _get(fake.catalog.albums, album_id)
    tracks = [fake.render.track_simple(fake.catalog.tracks[t]) for t in album.track_ids[offset:offset + limit]]
    return fake.render.page(f"albums/{album_id}/tracks", tracks, len(album.track_ids), limit, offset)


def _album(fake: FakeSpotify, query: dict[str, str], album_id: str) -> Json:
    album = _get(fake.catalog.albums, album_id)
    return fake.render.album_full(album, _album_tracks_page(fake, album_id, 50, 0))


def _album_tracks(fake: FakeSpotify, query: dict[str, str], album_id: str) -> Json:
    limit, offset = _int_param(query, "limit", 20, 50), _int_param(query, "offset", 0)
    return _album_tracks_page(fake, album_id, limit, offset)


def _artist(fake: FakeSpotify, query: dict[str, str], artist_id: str) -> Json:
    return fake.render.artist_full(_get(fake.catalog.artists, artist_id))


def _artist_albums(fake: FakeSpotify, query: dict[str, str], artist_id: str) -> Json:
    artist = _get(fake.catalog.artists, artist_id)
    groups = [g for g in (query.get("include_groups") or ",".join(FakeSpotify.INCLUDE_GROUPS)).split(",") if g]
    if any(group not in FakeSpotify.INCLUDE_GROUPS for group in groups):
        raise SpotifyApiError(400, "Invalid include_groups")
    limit, offset = _int_param(query, "limit", 20, 50), _int_param(query, "offset", 0)
    releases = [(fake.catalog.albums[a], g) for a, g in artist.releases if g in groups and a in fake.catalog.albums]
    releases.sort(key=lambda pair: pair[0].release_date, reverse=True)
    releases.sort(key=lambda pair: FakeSpotify.INCLUDE_GROUPS.index(pair[1]))
    items = [fake.render.album_simple(album, group) for album, group in releases[offset:offset + limit]]
    extra = {"include_groups": ",".join(groups)} if query.get("include_groups") else None
    return fake.render.page(f"artists/{artist_id}/albums", items, len(releases), limit, offset, extra)


def _playlist_items_page(fake: FakeSpotify, playlist_id: str, limit: int, offset: int) -> Json:
    playlist = _get(fake.catalog.playlists, playlist_id)
    entries = [fake.render.entry(entry) for entry in playlist.entries[offset:offset + limit]]
    return fake.render.page(f"playlists/{playlist_id}/items", entries, len(playlist.entries), limit, offset)


def _playlist(fake: FakeSpotify, query: dict[str, str], playlist_id: str) -> Json:
    playlist = _get(fake.catalog.playlists, playlist_id)
    body = fake.render.playlist_full(playlist, _playlist_items_page(fake, playlist_id, 100, 0))
    if query.get("fields"):
        wanted = {re.split(r"[.(]", name, maxsplit=1)[0].strip() for name in query["fields"].split(",")}
        body = {key: value for key, value in body.items() if key in wanted}
    return body


def _playlist_items(fake: FakeSpotify, query: dict[str, str], playlist_id: str) -> Json:
    limit, offset = _int_param(query, "limit", 20, 100), _int_param(query, "offset", 0)
    return _playlist_items_page(fake, playlist_id, limit, offset)


def _markets(fake: FakeSpotify, query: dict[str, str]) -> Json:
    return {"markets": list(fake.catalog.markets)}


def _search(fake: FakeSpotify, query: dict[str, str]) -> Json:
    text = (query.get("q") or "").strip()
    if not text:
        raise SpotifyApiError(400, "No search query")
    types = [t for t in (query.get("type") or "").split(",") if t]
    if not types or any(t not in FakeSpotify.SEARCH_TYPES for t in types):
        raise SpotifyApiError(400, "Missing or bad parameter type")
    limit, offset = _int_param(query, "limit", 5, 10), _int_param(query, "offset", 0, 1000)
    words = [w.split(":", 1)[-1].lower() for w in text.split()]
    return {f"{kind}s": _search_type(fake, kind, words, limit, offset, query) for kind in types}


def _search_type(fake: FakeSpotify, kind: str, words: list[str], limit: int, offset: int,
                 query: dict[str, str]) -> Json:
    render, catalog = fake.render, fake.catalog

    def artist_text(ids: list[str]) -> str:
        return " ".join(catalog.artists[i].name for i in ids if i in catalog.artists)

    sources: dict[str, list[tuple[str, Callable[[], Json]]]] = {
        "track": [(f"{t.name} {artist_text(t.artist_ids)} {catalog.albums[t.album_id].name}",
                   lambda t=t: render.track_full(t))
                  for t in catalog.tracks.values()],
        "album": [(f"{a.name} {artist_text(a.artist_ids)}", lambda a=a: render.album_simple(a))
                  for a in catalog.albums.values()],
        "artist": [(a.name, lambda a=a: render.artist_full(a)) for a in catalog.artists.values()],
        "playlist": [(p.name, lambda p=p: render.playlist_simple(p)) for p in catalog.playlists.values()],
        "show": [(s.name, lambda s=s: render.show_simple(s)) for s in catalog.shows.values()],
        "episode": [(e.name, lambda e=e: render.episode(e)) for e in catalog.episodes.values()],
        "audiobook": [],
    }
    hits = [make for haystack, make in sources[kind] if all(w in haystack.lower() for w in words)]
    extra = {"q": query["q"], "type": query["type"]}
    return render.page("search", [make() for make in hits[offset:offset + limit]], len(hits), limit, offset,
                       extra)


_ROUTES: list[tuple[str, Callable[..., Json]]] = [
    (r"/tracks", _forbidden),
    (r"/albums", _forbidden),
    (r"/artists", _forbidden),
    (r"/tracks/([^/]+)", _track),
    (r"/albums/([^/]+)", _album),
    (r"/albums/([^/]+)/tracks", _album_tracks),
    (r"/artists/([^/]+)", _artist),
    (r"/artists/([^/]+)/albums", _artist_albums),
    (r"/playlists/([^/]+)", _playlist),
    (r"/playlists/([^/]+)/items", _playlist_items),
    (r"/playlists/([^/]+)/tracks", _forbidden),
    (r"/search", _search),
    (r"/markets", _markets),
]
