"""The bench's progress-stream clients: a bare HTTP/1.0 listener that records publish-to-arrival per
event, a bare first-frame timer, and a count of the server's open connections (``sse_fanout.py``)."""

from __future__ import annotations

import asyncio
import json
import time

_TCP_OPEN_STATES = {"01", "02", "03", "04", "05", "08", "09", "0B"}  # all but TIME_WAIT, CLOSE, LISTEN


def open_server_connections(port: int) -> int:
    """Connections on the server's port that are not closed yet (from /proc/net/tcp)."""
    count = 0
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(table) as handle:
                next(handle)
                for line in handle:
                    fields = line.split()
                    if int(fields[1].rsplit(":", 1)[1], 16) == port and fields[3] in _TCP_OPEN_STATES:
                        count += 1
        except FileNotFoundError:
            continue
    return count


def parse_frames(buffer: str) -> tuple[list[dict[str, str]], str]:
    frames = []
    while "\n\n" in buffer:
        block, buffer = buffer.split("\n\n", 1)
        fields: dict[str, str] = {}
        for line in block.split("\n"):
            if line and not line.startswith(":"):
                name, _, value = line.partition(":")
                fields[name] = fields.get(name, "") + value.removeprefix(" ")
        if fields:
            frames.append(fields)
    return frames, buffer


class Listener:
    """One open stream: records publish-to-arrival per task event until told to stop. A bare HTTP/1.0
    client (no chunked encoding): 200 httpx streams in one process would cost the clients more CPU per
    event than the server spends, and the clients' delay would be measured as the service's."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.arrivals: dict[int, float] = {}  # event id -> seconds from publish to arrival
        self.first_frame = asyncio.Event()
        self.finished: set[str] = set()
        self.error: str | None = None

    async def run(self, stop: asyncio.Event) -> None:
        try:
            reader, writer = await asyncio.open_connection("127.0.0.1", self.port)
        except OSError as error:
            self.error = type(error).__name__
            self.first_frame.set()
            return
        try:
            writer.write(b"GET /api/prgs/stream HTTP/1.0\r\nAccept: text/event-stream\r\n\r\n")
            head = b""
            while b"\r\n\r\n" not in head:
                chunk = await reader.read(65536)
                if not chunk:
                    raise OSError("closed before the headers")
                head += chunk
            status, _, buffer = head.partition(b"\r\n\r\n")
            if b" 200 " not in status.split(b"\r\n", 1)[0]:
                raise OSError(status.split(b"\r\n", 1)[0].decode())
            while True:
                if b"\n\n" in buffer:  # the arrival time of these frames: when their bytes were read
                    cut = buffer.rfind(b"\n\n") + 2
                    self._frames(buffer[:cut], time.time())
                    buffer = buffer[cut:]
                if stop.is_set():
                    return
                chunk = await reader.read(262144)
                if not chunk:
                    return
                buffer += chunk
        except OSError as error:
            self.error = type(error).__name__
        finally:
            self.first_frame.set()
            writer.close()

    def _frames(self, buffer: bytes, now: float) -> None:
        frames, _ = parse_frames(buffer.decode())
        for frame in frames:
            self.first_frame.set()
            data = json.loads(frame["data"]) if "data" in frame else {}
            if data.get("event") == "task":
                published = data["last_line"].get("timestamp")
                if published:
                    self.arrivals[int(frame["id"])] = now - float(published)
                if data["tasks"][0]["status"] in ("complete", "error"):
                    self.finished.add(data["task_id"])


async def first_frame_raw(port: int) -> float:
    """Seconds from connecting to the end of the first frame, with a bare HTTP/1.1 client (httpx's
    own per-request work would be a large part of a few milliseconds)."""
    started = time.perf_counter()
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(
            f"GET /api/prgs/stream HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAccept: text/event-stream\r\n"
            "Connection: close\r\n\r\n".encode()
        )
        received = b""
        while b"\r\n\r\n" not in received or b"\n\n" not in received.split(b"\r\n\r\n", 1)[1]:
            chunk = await asyncio.wait_for(reader.read(65536), 10)
            if not chunk:
                raise OSError("the stream ended before its first frame")
            received += chunk
        return time.perf_counter() - started
    finally:
        writer.close()
