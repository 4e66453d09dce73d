"""A local HTTP server on 127.0.0.1 that serves fixed responses and misbehaves on request.

Each path has a queue of ``Reply`` objects: they are served in order and the last one repeats, so
"first a 429, then the file" is ``server.route("/a.mp3", Reply(429, ...), Reply(body=data))``.
Faults a reply can inject (after sending ``fault_after`` bytes of the body):

* ``stall``: hold the connection open and send nothing more;
* ``reset``: close the connection with a TCP reset;
* ``truncate``: close cleanly although Content-Length promised more;
* ``drip``: send the rest one byte every ``drip_interval`` seconds.
"""

from __future__ import annotations

import socket
import struct
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Self

FAULTS = frozenset({"stall", "reset", "truncate", "drip"})


@dataclass(frozen=True)
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = "application/octet-stream"
    fault: str | None = None
    fault_after: int = 0
    drip_interval: float = 0.5
    send_length: bool = True  # False: no Content-Length, the body ends when the connection closes

    def __post_init__(self) -> None:
        if self.fault is not None and self.fault not in FAULTS:
            raise ValueError(f"unknown fault {self.fault!r}")


def redirect(location: str, status: int = 302) -> Reply:
    return Reply(status=status, headers={"Location": location})


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        """Clients that hang up (as the code under test does on purpose) are not errors."""


class MediaServer:
    """``with MediaServer() as server: server.route("/x", Reply(body=b"..."))``; ``server.url("/x")``."""

    def __init__(self) -> None:
        self._routes: dict[str, list[Reply]] = {}
        self._lock = threading.Lock()
        self.closing = threading.Event()
        self.requests: list[str] = []  # paths in the order they were asked for
        self._httpd = _QuietServer(("127.0.0.1", 0), _handler_for(self))
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, args=(0.05,), name="media-server", daemon=True
        )

    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def url(self, path: str) -> str:
        return self.base_url + path.lstrip("/")

    def route(self, path: str, *replies: Reply) -> None:
        with self._lock:
            self._routes[path] = list(replies)

    def hits(self, path: str) -> int:
        return self.requests.count(path)

    def next_reply(self, path: str) -> Reply | None:
        with self._lock:
            self.requests.append(path)
            queue = self._routes.get(path)
            if not queue:
                return self.fallback(path)
            return queue.pop(0) if len(queue) > 1 else queue[0]

    def fallback(self, path: str) -> Reply | None:
        """The reply for a path with no route (subclasses answer dynamically); None is a 404."""
        return None

    def start(self) -> Self:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.closing.set()
        self._httpd.shutdown()
        self._httpd.server_close()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _handler_for(server: MediaServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:  # keep test output quiet
            pass

        def do_GET(self) -> None:
            path = self.path.split("?", 1)[0]
            reply = server.next_reply(path) or Reply(
                404, b'{"error": "not found"}', content_type="application/json"
            )
            self.send_response(reply.status)
            self.send_header("Content-Type", reply.content_type)
            if reply.send_length:
                self.send_header("Content-Length", str(len(reply.body)))
            else:
                self.send_header("Connection", "close")
                self.close_connection = True
            for name, value in reply.headers.items():
                self.send_header(name, value)
            self.end_headers()
            self._send_body(reply)

        def _send_body(self, reply: Reply) -> None:
            if reply.fault is None:
                self.wfile.write(reply.body)
                return
            self.wfile.write(reply.body[: reply.fault_after])
            self.wfile.flush()
            rest = reply.body[reply.fault_after :]
            if reply.fault == "stall":
                server.closing.wait(60)
            elif reply.fault == "drip":
                for index in range(len(rest)):
                    if server.closing.wait(reply.drip_interval):
                        break
                    self.wfile.write(rest[index : index + 1])
                    self.wfile.flush()
            elif reply.fault == "reset":
                # detach so that socketserver's clean shutdown (a FIN) cannot run first
                raw = socket.socket(fileno=self.connection.detach())
                raw.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                raw.close()
            self.close_connection = True  # "truncate": a clean close, short of Content-Length

    return Handler
