"""The shared base of every outside service but Spotify (lyrics, genres, media servers): one
``Transport`` class per service, whose errors say whether trying again can help.

Modelled on healthchecks' ``hc/integrations``: a service package holds ``transport.py`` with a
subclass of ``Transport``; settings come in as plain values, never from an app module.
"""

from __future__ import annotations

import time
from typing import Any

import requests
from django.core.cache import cache

USER_AGENT = "Spotizerr/0.1 (+https://github.com/spotizerr)"


class TransportError(Exception):
    """A call to an outside service failed. ``permanent`` True: the same call will fail again
    (bad credentials, a malformed request); False: a later try may work (down, slow, 5xx, 429)."""

    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.permanent = permanent


class Transport:
    """HTTP with a timeout, one error type, and the status codes sorted into permanent or not."""

    name = "service"
    timeout = 10.0

    def __init__(self, *, timeout: float | None = None, session: requests.Session | None = None) -> None:
        self.timeout = timeout if timeout is not None else self.timeout
        self.session = session or requests.Session()
        self.session.headers.setdefault("User-Agent", USER_AGENT)

    def request(self, method: str, url: str, **kwargs: Any) -> requests.Response:
        """The response for any status below 400 (and 404, which callers read as "none"); raises
        ``TransportError`` otherwise."""
        try:
            response = self.session.request(method, url, timeout=self.timeout, **kwargs)
        except requests.Timeout:
            raise TransportError(f"{self.name} did not answer within {self.timeout:g} s") from None
        except requests.RequestException as error:
            raise TransportError(f"{self.name} cannot be reached: {type(error).__name__}") from None
        if response.status_code in (401, 403):
            raise TransportError(
                f"{self.name} refused the credentials (HTTP {response.status_code}); check the key or token",
                permanent=True,
            )
        if response.status_code == 429 or response.status_code >= 500:
            raise TransportError(f"{self.name} answered HTTP {response.status_code}; try again later")
        if response.status_code >= 400 and response.status_code != 404:
            raise TransportError(
                f"{self.name} rejected the request (HTTP {response.status_code})", permanent=True
            )
        return response

    def get_json(self, url: str, **kwargs: Any) -> Any:
        """Decoded JSON, or None for a 404."""
        response = self.request("GET", url, **kwargs)
        if response.status_code == 404:
            return None
        try:
            return response.json()
        except ValueError:
            raise TransportError(f"{self.name} answered something that is not JSON") from None


def rate_limit_wait(name: str, per_second: float, *, max_wait: float = 60.0) -> None:
    """Wait for a free slot of ``name``'s rate limit, shared by every process through the cache (the
    pipeline's workers and ``manage.py lyrics_backfill`` alike). At most ``per_second`` calls start
    in each 1/per_second slot across the installation."""
    if per_second <= 0:
        return
    interval = 1.0 / per_second
    deadline = time.monotonic() + max_wait
    while True:
        slot = int(time.time() / interval)
        if cache.add(f"ratelimit:{name}:{slot}", 1, timeout=max(2, int(interval * 4))):
            return
        if time.monotonic() >= deadline:
            return  # a stuck cache must not stall the pipeline: go on, the service may 429 us
        time.sleep(max(0.005, (slot + 1) * interval - time.time()))
