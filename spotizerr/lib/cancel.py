"""Cooperative cancellation shared by the pipeline, sources and the converter."""

from __future__ import annotations

import threading


class Cancelled(Exception):
    """Raised inside work that noticed its task was cancelled."""


class CancelToken:
    """Tells long-running work that it should stop. Subclasses may look elsewhere (the database)."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    def is_cancelled(self) -> bool:
        return self._event.is_set()

    def raise_if_cancelled(self) -> None:
        if self.is_cancelled():
            raise Cancelled()

    def wait(self, seconds: float) -> bool:
        """Sleep up to ``seconds``; True when cancelled meanwhile."""
        return self._event.wait(seconds) or self.is_cancelled()


NEVER_CANCELLED = CancelToken()
