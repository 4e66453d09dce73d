"""A small local HTTP service on 127.0.0.1 for the integration fakes (LRCLIB, MusicBrainz, media
servers, a JSON webhook). A subclass answers in ``answer``; every request is recorded; ``fault``
makes the whole service misbehave: ``"slow"`` (waits ``delay`` seconds first), ``"401"`` or ``"500"``.
A service that is down is one that was never started or was stopped: ``down_url()`` gives such an
address."""

from __future__ import annotations

import json
import socket
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self
from urllib.parse import parse_qs, urlsplit


@dataclass
class Seen:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes = b""
    at: float = field(default_factory=time.monotonic)

    def json(self) -> Any:
        return json.loads(self.body or b"null")


Answer = tuple[int, Any]  # (status, body): a dict/list is sent as JSON, bytes/str as they are


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        """Clients that give up on a slow answer are not errors."""


class HttpService:
    name = "service"

    def __init__(self) -> None:
        self.requests: list[Seen] = []
        self.fault: str | None = None
        self.delay = 3.0
        self._lock = threading.Lock()
        self._httpd = _Server(("127.0.0.1", 0), _handler_for(self))
        self._thread = threading.Thread(target=self._httpd.serve_forever, args=(0.05,), daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._httpd.server_address[1]}/"

    def answer(self, seen: Seen) -> Answer:
        return 404, {"error": "not found"}

    def seen(self, path: str | None = None, method: str | None = None) -> list[Seen]:
        with self._lock:
            return [
                item
                for item in self.requests
                if (path is None or item.path == path) and (method is None or item.method == method)
            ]

    def _respond(self, seen: Seen) -> Answer:
        with self._lock:
            self.requests.append(seen)
        if self.fault == "slow":
            time.sleep(self.delay)
        if self.fault in ("401", "500"):
            return int(self.fault), {"error": "fault injected"}
        return self.answer(seen)

    def start(self) -> Self:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def down_url() -> str:
    """The address of a port nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/"


def _handler_for(service: HttpService) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:
            pass

        def _serve(self) -> None:
            parts = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            seen = Seen(
                method=self.command,
                path=parts.path,
                query={key: values[-1] for key, values in parse_qs(parts.query).items()},
                headers={key.lower(): value for key, value in self.headers.items()},
                body=self.rfile.read(length) if length else b"",
            )
            status, body = service._respond(seen)
            if isinstance(body, (dict, list)):
                data, kind = json.dumps(body).encode(), "application/json"
            else:
                data = body.encode() if isinstance(body, str) else bytes(body or b"")
                kind = "text/xml" if data.startswith(b"<") else "text/plain"
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = do_PUT = do_DELETE = _serve

    return Handler
