"""A local stand-in for the Spotify Web API and Accounts service, for tests and benchmarks.

    fake = FakeSpotify().start()          # ThreadingHTTPServer on 127.0.0.1:<ephemeral port>
    fake.api_url                           # "http://127.0.0.1:PORT/v1/"  -> settings.SPOTIFY_API_URL
    fake.token_url                         # "http://127.0.0.1:PORT/api/token" -> settings.SPOTIFY_TOKEN_URL
    fake.client_id, fake.client_secret     # the only credentials the token endpoint accepts
    fake.stop()

In tests use the ``spotify_api`` fixture (``tests.fakes.spotify_fixtures``), which does all of that.

By default the fake is a development-mode app of 2026 (``tests.fakes.spotify_rules``: limits of 10 on artist
albums and search, no album_group, no /markets, no batch look-ups, null preview_url, removed fields);
``FakeSpotify(extended_quota=True)`` serves the old behaviour (limits of 50, those fields and endpoints).

Endpoints (Spotify's JSON shapes; unknown ids -> 404 ``{"error": {"status", "message"}}``; a request without a
valid bearer -> 401; bad paging -> 400):
  POST /api/token                 client credentials (HTTP Basic), returns access_token + expires_in; the
                                  user grants (authorization_code + PKCE, refresh_token) and GET /authorize
                                  are the Accounts service of ``tests.fakes.spotify_accounts``
  GET  /v1/me, /v1/me/playlists, /v1/me/tracks, /v1/me/following   see ``tests.fakes.spotify_me``
  GET  /v1/tracks/{id}            GET /v1/albums/{id} (first 50 tracks under "tracks")
  GET  /v1/albums/{id}/tracks     limit <= 50, offset, next
  GET  /v1/artists/{id}           GET /v1/artists/{id}/albums (include_groups, limit <= 10, offset)
  GET  /v1/playlists/{id}         first 100 entries under "items" (and legacy "tracks"), snapshot_id;
                                  ``fields=a,b`` keeps only those top-level keys. For a caller who may not
                                  read the items (below) metadata only: "items" is just {href, total}
  (2026 rule) playlist items      403 for an app-only token and for a user token of someone who neither owns
                                  (``owner_id``) nor collaborates (``collaborators``); ``FakeSpotify(
                                  extended_quota=True)`` lets every token read (the pre-2026 behaviour)
  GET  /v1/playlists/{id}/items   limit <= 100, offset; entries carry "item" (and legacy "track"); local files
                                  have is_local true, unavailable entries item null, episodes type "episode"
  GET  /v1/search                 q, type (comma list), limit <= 10 (else 400; default 5), offset <= 1000
  GET  /v1/markets                404 ({"markets": [...]} with extended quota)
  GET  /v1/tracks?ids=, /v1/albums?ids=, /v1/artists?ids= -> 403 (the objects with extended quota)
  GET  /v1/playlists/{id}/tracks  -> 403 (as for new apps)
  GET  /images/{name}.jpg         a real small JPEG (images[].url point here)
  GET  /previews/{track id}.mp3   a real MP3 for tracks with a preview (catalog.set_preview)

Test controls:
  fake.catalog                    the mutable ``FakeCatalog`` (see tests.fakes.spotify_catalog); ``IDS`` its ids (spotify_records)
  fake.fail_next(status, count=1, retry_after=None, path_prefix=None)
                                  the next ``count`` matching requests answer ``status`` (429 with Retry-After
                                  when given); path_prefix None matches /v1/ only, use "/api/token",
                                  "/previews/" or e.g. "/v1/playlists/" to aim elsewhere
  fake.delay(seconds, count=None) later responses (all, or the next ``count``) wait that long first
  fake.lapse_premium(lapsed=True) every Web API call 403 "Active premium subscription required ..."
  fake.exhaust_quota(exhausted=True)  every Web API call 429 with "reason": "QUOTA_EXCEEDED"
  fake.expire_tokens()            every issued token becomes invalid (-> 401 until a new one is fetched);
                                  user access tokens expire too (their refresh tokens stay valid)
  fake.accounts                   the Accounts service's users and tokens (``tests.fakes.spotify_accounts``):
                                  add_user(id, name, liked=[...], followed=[...]), login_as(id), like(id, track)
  fake.accounts_url               -> settings.SPOTIFY_ACCOUNTS_URL
  FakeSpotify(extended_quota=True)  the pre-2026 rules (any token reads any playlist's items)
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
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from tests.fakes.spotify_accounts import FakeAccounts, TokenError, UserToken
from tests.fakes.spotify_catalog import FakeCatalog
from tests.fakes.spotify_me import ME_ROUTES
from tests.fakes.spotify_records import IDS, fake_id
from tests.fakes.spotify_render import Json, Renderer
from tests.fakes.spotify_routes import ROUTES, SpotifyApiError
from tests.fakes.spotify_rules import account_refusal, dev_mode_shape

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
    def __init__(self, catalog: FakeCatalog | None = None, *, extended_quota: bool = False) -> None:
        self.catalog = catalog or FakeCatalog.default()
        self.extended_quota = (
            extended_quota  # False: the 2026 development-mode rules (tests.fakes.spotify_rules)
        )
        self.premium_lapsed = False
        self.quota_exhausted = False
        self.accounts = FakeAccounts(self)
        self._callers = threading.local()
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
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="fake-spotify",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> FakeSpotify:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def api_url(self) -> str:
        return f"{self.base_url}/v1/"

    @property
    def token_url(self) -> str:
        return f"{self.base_url}/api/token"

    @property
    def accounts_url(self) -> str:
        """The Accounts service base (``/authorize``, ``/api/token``) -> SPOTIZERR_SPOTIFY_ACCOUNTS_URL."""
        return self.base_url

    # ------------------------------------------------------------ test controls
    def fail_next(
        self, status: int, count: int = 1, retry_after: float | None = None, path_prefix: str | None = None
    ) -> None:
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

    def lapse_premium(self, lapsed: bool = True) -> None:
        """The app owner's Premium lapses (every Web API call 403) or, with False, is renewed."""
        self.premium_lapsed = lapsed

    def exhaust_quota(self, exhausted: bool = True) -> None:
        """The daily quota is spent (every Web API call 429 QUOTA_EXCEEDED) or, with False, renewed."""
        self.quota_exhausted = exhausted

    def expire_tokens(self) -> None:
        """Every app token becomes invalid and every user token expires (refresh tokens stay valid)."""
        with self._lock:
            self._tokens.clear()
        self.accounts.expire_user_tokens()

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
            return self.accounts.token(body)
        if authorization != f"Basic {expected}":
            raise SpotifyApiError(400, "invalid_client")
        token = secrets.token_urlsafe(24)
        with self._lock:
            self._tokens[token] = time.time() + self.token_lifetime
        return {"access_token": token, "token_type": "Bearer", "expires_in": self.token_lifetime}

    def caller(self) -> UserToken | None:
        """The user whose token signs the request being handled (None: an app-only token)."""
        return getattr(self._callers, "user", None)

    def check_bearer(self, authorization: str) -> None:
        token = authorization.removeprefix("Bearer ").strip()
        self._callers.user = user = (
            self.accounts.bearer(token) if authorization.startswith("Bearer ") else None
        )
        if user is not None:
            return
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


class _Handler(BaseHTTPRequestHandler):
    fake: FakeSpotify
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # small answers would otherwise wait ~40 ms for delayed ACKs

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
            self._send_json(
                fault.status, {"error": {"status": fault.status, "message": "Injected fault"}}, headers
            )
            return
        try:
            status, body, content_type = self._route(method, split.path, query)
        except SpotifyApiError as error:
            status, content_type = error.status, "application/json"
            body = {"error": {"status": error.status, "message": error.message}}
            if split.path == "/api/token":
                body = {"error": error.message, "error_description": "Invalid client"}
        except TokenError as error:
            status, content_type = 400, "application/json"
            body = {"error": error.error, "error_description": error.description}
        record.status = status
        if status == 302:
            self._send(302, b"", "text/plain", {"Location": body})
            return
        if content_type == "application/json":
            self._send_json(status, body)
        else:
            self._send(status, body, content_type)

    def _send_json(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
        self._send(status, json.dumps(body).encode(), "application/json; charset=utf-8", headers)

    def _send(
        self, status: int, payload: bytes, content_type: str, headers: dict[str, str] | None = None
    ) -> None:
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
        if method == "GET" and path == "/authorize":
            return 302, self.fake.accounts.authorize(query), "text/plain"
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
        if refusal := account_refusal(self.fake):
            return refusal[0], refusal[1], "application/json"
        for pattern, view in (*ROUTES, *ME_ROUTES):
            if match := re.fullmatch(pattern, path[len("/v1") :]):
                with self.fake.catalog.lock:
                    body = view(self.fake, query, *match.groups())
                return 200, body if self.fake.extended_quota else dev_mode_shape(body), "application/json"
        raise SpotifyApiError(404, "Service not found")
