"""A small Server-Sent Events client for the fault tests and benchmarks: reads ``/api/prgs/stream``
in a thread and keeps every frame (event, id, data)."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx


@dataclass
class Frame:
    event: str
    id: int | None
    data: Any
    received_at: float = field(default_factory=time.monotonic)


class SseClient(threading.Thread):
    """``SseClient(url, last_event_id=None, stop_when=None).start()``; frames land in ``frames``.
    Reading ends when the server closes, the connection breaks, ``stop_when(frames)`` is true or
    ``stop()`` was called (checked after each line: heartbeats arrive every 15 s at the latest)."""

    def __init__(
        self,
        url: str,
        *,
        last_event_id: int | None = None,
        stop_when: Callable[[list[Frame]], bool] | None = None,
        headers: dict[str, str] | None = None,
        read_timeout: float = 30.0,
    ) -> None:
        super().__init__(daemon=True, name="sse-client")
        self.url, self.last_event_id, self.stop_when = url, last_event_id, stop_when
        self.headers = {"Accept": "text/event-stream", **(headers or {})}
        self.read_timeout = read_timeout
        self.frames: list[Frame] = []
        self.status: int | None = None
        self.error: BaseException | None = None
        self.connected = threading.Event()
        self._halt = threading.Event()

    def stop(self) -> None:
        self._halt.set()

    def ids(self) -> list[int]:
        return [frame.id for frame in self.frames if frame.id is not None]

    def run(self) -> None:
        headers = dict(self.headers)
        if self.last_event_id is not None:
            headers["Last-Event-ID"] = str(self.last_event_id)
        timeout = httpx.Timeout(10.0, read=self.read_timeout)
        try:
            with httpx.stream("GET", self.url, headers=headers, timeout=timeout) as response:
                self.status = response.status_code
                self.connected.set()
                self._read(response)
        except (httpx.HTTPError, OSError) as error:
            self.error = error
        finally:
            self.connected.set()

    def _read(self, response: httpx.Response) -> None:
        fields: dict[str, str] = {}
        for line in response.iter_lines():
            if self._halt.is_set():
                return
            if line:
                if not line.startswith(":"):
                    name, _, value = line.partition(":")
                    fields[name] = fields.get(name, "") + value.removeprefix(" ")
                continue
            if fields:
                raw_id = fields.get("id", "")
                self.frames.append(
                    Frame(
                        _kind(fields),
                        int(raw_id) if raw_id.isdigit() else None,
                        json.loads(fields["data"]) if "data" in fields else None,
                    )
                )
                fields = {}
                if self.stop_when is not None and self.stop_when(self.frames):
                    return


def _kind(fields: dict[str, str]) -> str:
    """The frame's kind: frames are unnamed ``message`` events that say their kind in ``event``."""
    if "event" in fields:
        return fields["event"]
    data = json.loads(fields["data"]) if "data" in fields else None
    return data.get("event", "message") if isinstance(data, dict) else "message"
