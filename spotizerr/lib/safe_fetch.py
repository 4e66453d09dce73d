"""Fetching from the network without becoming a proxy into the operator's home network.

Only two kinds of address are ever contacted (``is_allowed_url``):

* Spotify's and Deezer's public image and preview hosts, over HTTPS on the default port;
* the exact origins (scheme, host and port) of the configured API URLs (``SPOTIFY_API_URL``,
  ``SPOTIFY_TOKEN_URL``, ``DEEZER_API_URL``): the operator chose those, and tests point them at
  local fakes.

``spotizerr.lib.user_fetch`` uses the same transfer for URLs a *user* names (a list to import).

Every redirect is re-checked, the connection and each read are bounded in time, a transfer that
stops making progress is aborted, the size is capped, the byte count must match Content-Length,
and nothing partial is left on disk. Failures raise ``FetchError`` saying whether a retry can help.
"""

from __future__ import annotations

import email.utils
import io
import ipaddress
import logging
import socket
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, BinaryIO
from urllib.parse import urljoin, urlsplit

import requests
import urllib3
from django.conf import settings

from spotizerr.lib.cancel import NEVER_CANCELLED, Cancelled, CancelToken

logger = logging.getLogger(__name__)

PUBLIC_HOSTS = frozenset(
    {
        "i.scdn.co",
        "mosaic.scdn.co",
        "image-cdn-ak.spotifycdn.com",
        "image-cdn-fa.spotifycdn.com",
        "p.scdn.co",
        "api.deezer.com",
    }
)
PUBLIC_HOST_SUFFIXES = (".dzcdn.net",)  # Deezer's CDNs, cdns-preview-*.dzcdn.net included
MAX_REDIRECTS = 5
Opener = Callable[[str, dict[str, Any]], requests.Response]  # (url, requests.get keyword arguments)
CHUNK_BYTES = 64 * 1024
_TICK = 0.1  # how often the supervising thread looks at cancel and stall
_DEFAULT_PORTS = {"http": 80, "https": 443}
_JPEG_MAGIC = b"\xff\xd8\xff"
_PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


class FetchError(Exception):
    """A download failed. ``permanent``: retrying the same URL will not help (refused host, 404,
    too large); otherwise it may (timeouts, resets, 429, 5xx), after ``retry_after`` seconds when known."""

    def __init__(
        self, reason: str, *, permanent: bool, retry_after: float | None = None, status: int | None = None
    ) -> None:
        super().__init__(reason)
        self.reason = reason
        self.permanent = permanent
        self.retry_after = retry_after
        self.status = status


class FetchTooLarge(FetchError):
    """The body is larger than ``max_bytes`` (by its Content-Length or while streaming)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason, permanent=True)


# ---------------------------------------------------------------- which URLs may be fetched
def _origin(url: str) -> tuple[str, str, int] | None:
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower().rstrip(".")
    if scheme not in _DEFAULT_PORTS or not host or parts.username or parts.password:
        return None
    return scheme, host, port or _DEFAULT_PORTS[scheme]


def _configured_origins() -> set[tuple[str, str, int]]:
    urls = (settings.SPOTIFY_API_URL, settings.SPOTIFY_TOKEN_URL, settings.DEEZER_API_URL)
    return {origin for origin in map(_origin, filter(None, urls)) if origin is not None}


def _is_public_media_host(host: str) -> bool:
    return host in PUBLIC_HOSTS or any(host.endswith(suffix) for suffix in PUBLIC_HOST_SUFFIXES)


def is_allowed_url(url: str) -> bool:
    """True when ``url`` may be fetched: HTTPS on port 443 to Spotify's or Deezer's public media
    hosts, or the exact origin of one of the configured API URLs. Everything else is refused."""
    origin = _origin(url)
    if origin is None:
        return False
    if origin in _configured_origins():
        return True
    scheme, host, port = origin
    return scheme == "https" and port == 443 and _is_public_media_host(host)


def _check_resolves_publicly(url: str) -> None:
    """A public media host must resolve to public addresses only (no DNS tricks into the LAN).
    The configured API origins are exempt: the operator chose them."""
    origin = _origin(url)
    if origin is None or origin in _configured_origins():
        return
    try:
        infos = socket.getaddrinfo(origin[1], origin[2], type=socket.SOCK_STREAM)
    except OSError as exc:
        raise FetchError(f"cannot resolve {origin[1]}: {exc}", permanent=False) from None
    for info in infos:
        address = ipaddress.ip_address(str(info[4][0]).split("%")[0])
        if not address.is_global:
            raise FetchError(f"{origin[1]} resolves to a non-public address", permanent=True)


def _refuse_unless_allowed(url: str) -> None:
    if not is_allowed_url(url):
        raise FetchError(f"refusing to fetch from {_describe(url)}: not an allowed host", permanent=True)
    _check_resolves_publicly(url)


def _describe(url: str) -> str:
    """Scheme, host and port only: query strings may carry tokens."""
    origin = _origin(url)
    return f"{origin[0]}://{origin[1]}:{origin[2]}" if origin else "an invalid URL"


# ---------------------------------------------------------------- status handling
def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def _raise_for_status(response: requests.Response, url: str) -> None:
    status = response.status_code
    where = _describe(url)
    if status == 429:
        wait = _retry_after(response.headers.get("Retry-After"))
        raise FetchError(f"{where} is rate limiting (429)", permanent=False, retry_after=wait, status=status)
    if status >= 500 or status == 408:
        raise FetchError(f"{where} answered {status}", permanent=False, status=status)
    if status >= 400:
        raise FetchError(f"{where} answered {status}", permanent=True, status=status)
    if status != 200:
        raise FetchError(f"{where} answered unexpected status {status}", permanent=True, status=status)


def _expected_length(response: requests.Response, max_bytes: int) -> int | None:
    encoding = response.headers.get("Content-Encoding", "identity").strip().lower()
    if encoding not in ("", "identity"):
        raise FetchError(f"unexpected Content-Encoding {encoding!r}", permanent=True)
    raw = response.headers.get("Content-Length")
    if raw is None:
        return None
    if not raw.strip().isdigit():
        raise FetchError("invalid Content-Length", permanent=False)
    length = int(raw)
    if length > max_bytes:
        raise FetchTooLarge(f"file of {length} bytes exceeds the {max_bytes}-byte limit")
    return length


# ---------------------------------------------------------------- the transfer
class _Transfer:
    """One download, run in a worker thread so that the calling thread (which may own a database
    connection that a cancel token reads) can notice cancellation and stalls within ``_TICK``."""

    def __init__(
        self,
        url: str,
        sink: BinaryIO,
        *,
        max_bytes: int,
        timeout: float,
        pace: float | None,
        opener: Opener | None = None,
    ) -> None:
        self.url = url
        self.opener = opener  # None: requests.get after the allow-list check (the opener checks itself)
        self.sink = sink
        self.max_bytes = max_bytes
        self.timeout = timeout
        self.pace = pace if pace and pace > 0 else None
        self.received = 0
        self.progress_at = time.monotonic()
        self.error: BaseException | None = None
        self.done = threading.Event()
        self.abort = threading.Event()
        self._lock = threading.Lock()
        self._response: requests.Response | None = None

    def run(self) -> None:
        try:
            response = self._open()
            with response:
                expected = _expected_length(response, self.max_bytes)
                self._copy(response)
            if expected is not None and self.received != expected:
                raise FetchError(f"truncated body: {self.received} of {expected} bytes", permanent=False)
        except FetchError as exc:
            self.error = exc
        except requests.Timeout:
            self.error = FetchError(f"{_describe(self.url)} timed out", permanent=False)
        except requests.ConnectionError as exc:
            self.error = FetchError(
                f"connection to {_describe(self.url)} failed: {type(exc).__name__}", permanent=False
            )
        except urllib3.exceptions.ReadTimeoutError:
            self.error = _stalled(self.url, self.timeout)
        except urllib3.exceptions.HTTPError as exc:  # raw reads: reset or truncated mid-body
            self.error = FetchError(
                f"download from {_describe(self.url)} broke off: {type(exc).__name__}", permanent=False
            )
        except BaseException as exc:
            self.error = exc
        finally:
            self.done.set()

    def stop(self) -> None:
        """Abort from another thread: a blocked read returns at once when its socket is shut down."""
        with self._lock:
            self.abort.set()
            response = self._response
        if response is not None:
            try:
                response.raw.shutdown()
            except (ValueError, RuntimeError, OSError, AttributeError):
                response.close()

    def _open(self) -> requests.Response:
        url = self.url
        for _ in range(MAX_REDIRECTS + 1):
            response = self._get(url)
            if response.is_redirect:
                response.close()
                url = urljoin(url, response.headers["Location"])
                continue
            with self._lock:
                self._response = response
            if self.abort.is_set():
                response.close()
                raise FetchError("aborted", permanent=False)
            try:
                _raise_for_status(response, url)
            except FetchError:
                response.close()
                raise
            self.url = url
            return response
        raise FetchError(f"more than {MAX_REDIRECTS} redirects", permanent=True)

    def _get(self, url: str) -> requests.Response:
        options: dict[str, Any] = {
            "stream": True,
            "allow_redirects": False,
            "timeout": (min(self.timeout, 10.0), self.timeout + 1),
            "headers": {"Accept-Encoding": "identity", "User-Agent": "Spotizerr"},
        }
        if self.opener is not None:
            return self.opener(url, options)
        _refuse_unless_allowed(url)
        return requests.get(url, **options)

    def _copy(self, response: requests.Response) -> None:
        started = time.monotonic()
        while True:
            chunk = response.raw.read1(CHUNK_BYTES, decode_content=False)
            if not chunk:
                return
            if self.abort.is_set():
                raise FetchError("aborted", permanent=False)
            self.received += len(chunk)
            if self.received > self.max_bytes:
                raise FetchTooLarge(f"more than the {self.max_bytes}-byte limit")
            self.sink.write(chunk)
            self.progress_at = time.monotonic()
            if self.pace:
                ahead = self.received / self.pace - (self.progress_at - started)
                if ahead > 0:
                    self.progress_at += ahead  # a pause we chose is not a stall
                    self.abort.wait(ahead)


def _stalled(url: str, timeout: float) -> FetchError:
    return FetchError(f"{_describe(url)} stalled: no data for {timeout:g} s", permanent=False)


def _run_transfer(transfer: _Transfer, *, cancel: CancelToken) -> None:
    """Run ``transfer`` in a worker thread; raise Cancelled or FetchError, or return when complete."""
    cancel.raise_if_cancelled()
    worker = threading.Thread(target=transfer.run, name="safe-fetch", daemon=True)
    worker.start()
    while not transfer.done.wait(_TICK):
        stalled = time.monotonic() - transfer.progress_at > transfer.timeout
        if cancel.is_cancelled() or stalled:
            transfer.stop()
            transfer.done.wait(2.0)  # let it stop writing before the caller removes the file
            if not stalled:
                raise Cancelled()
            raise _stalled(transfer.url, transfer.timeout)
    if transfer.error is not None:
        raise transfer.error


def download_to_file(
    url: str,
    destination: Path,
    *,
    max_bytes: int,
    timeout: float,
    cancel: CancelToken,
    pace_bytes_per_second: float | None = None,
) -> Path:
    """Stream ``url`` into ``destination`` and return it.

    ``timeout`` bounds connecting and any wait for data (a stall); ``pace_bytes_per_second`` slows the
    transfer to that rate (None or 0: as fast as possible). The body goes to ``<destination>.part``
    first and is renamed only when complete, so a failure leaves nothing behind.

    Raises FetchError (see ``permanent`` and ``retry_after``) or Cancelled.
    """
    destination = Path(destination)
    partial = destination.with_name(destination.name + ".part")
    try:
        with partial.open("wb") as sink:
            transfer = _Transfer(url, sink, max_bytes=max_bytes, timeout=timeout, pace=pace_bytes_per_second)
            _run_transfer(transfer, cancel=cancel)
        partial.replace(destination)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return destination


def fetch_bytes(
    url: str, *, max_bytes: int, timeout: float = 15.0, cancel: CancelToken = NEVER_CANCELLED
) -> bytes:
    """The body of ``url`` in memory, under the same rules as ``download_to_file``."""
    sink = io.BytesIO()
    _run_transfer(_Transfer(url, sink, max_bytes=max_bytes, timeout=timeout, pace=None), cancel=cancel)
    return sink.getvalue()


def is_image(data: bytes) -> bool:
    """True for JPEG, PNG and WebP data, judged by magic bytes (never by Content-Type)."""
    webp = data.startswith(b"RIFF") and data[8:12] == b"WEBP"
    return webp or data.startswith((_JPEG_MAGIC, _PNG_MAGIC))


def fetch_image(url: str, *, max_bytes: int = 5 * 1024 * 1024, timeout: float = 15.0) -> bytes:
    """A cover image from an allowed host. Raises FetchError when the fetch fails, the image is larger
    than ``max_bytes`` or the bytes are not a real JPEG, PNG or WebP image (permanent)."""
    data = fetch_bytes(url, max_bytes=max_bytes, timeout=timeout)
    if not is_image(data):
        raise FetchError(f"{_describe(url)} did not return a JPEG, PNG or WebP image", permanent=True)
    return data
