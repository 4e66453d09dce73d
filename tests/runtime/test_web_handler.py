"""The web handler (``spotizerr.runtime.web_handler``) runs each request, middleware and view, on a fixed pool
of threads: a slow request holds one thread, not the process. Served by daphne in a forked process."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from tests.fakes.spotify_api import IDS, FakeSpotify

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("auth_off")]

SLOW_SECONDS = 2.0


@pytest.fixture
def serve_with_threads(daphne_server) -> Callable[[int], str]:
    """``serve_with_threads(n)``: daphne in a forked process running the handler with ``n`` threads."""

    def start(threads: int) -> str:
        def application() -> Any:
            from spotizerr.runtime.web_handler import PooledASGIHandler

            return PooledASGIHandler(threads=threads)

        return daphne_server(application)

    return start


def quick_answers_while_a_catalog_page_waits(base: str, spotify: FakeSpotify) -> tuple[list[float], float]:
    """Seconds each of three status requests took while a track page waited on Spotify, and how long
    that page took."""
    httpx.get(f"{base}/api/auth/status", timeout=10)  # warm up: the first request loads the URLconf
    spotify.delay(SLOW_SECONDS)
    slow: list[float] = []

    def fetch_track() -> None:
        began = time.monotonic()
        response = httpx.get(f"{base}/api/track/info", params={"id": IDS.track}, timeout=30)
        assert response.status_code == 200, response.text
        slow.append(time.monotonic() - began)

    worker = threading.Thread(target=fetch_track)
    worker.start()
    time.sleep(0.3)  # the page is now waiting on the fake Spotify
    quick = []
    for _ in range(3):
        began = time.monotonic()
        assert httpx.get(f"{base}/api/auth/status", timeout=30).status_code == 200
        quick.append(time.monotonic() - began)
    worker.join(30)
    spotify.delay(0)
    return quick, slow[0]


def test_a_slow_catalog_page_holds_one_thread_and_other_requests_go_on(
    serve_with_threads, spotify_api
) -> None:
    quick, slow = quick_answers_while_a_catalog_page_waits(serve_with_threads(8), spotify_api)

    assert slow >= SLOW_SECONDS
    assert max(quick) < 1.0, quick


def test_with_a_single_thread_the_other_requests_wait_for_it(serve_with_threads, spotify_api) -> None:
    """The control: the same with one thread, which is what the pool prevents."""
    quick, slow = quick_answers_while_a_catalog_page_waits(serve_with_threads(1), spotify_api)

    assert slow >= SLOW_SECONDS
    assert quick[0] > 1.0, quick


def test_the_handler_keeps_headers_and_the_error_shape(serve_with_threads) -> None:
    """What the lean path (one thread hop, remembered URL resolution) must not lose: the security
    headers on every answer, the one error shape, the API's routes with and without their slash."""
    base = serve_with_threads(4)
    for _ in range(2):  # the second time from the remembered resolution
        refused = httpx.delete(f"{base}/api/auth/status", timeout=10)
        missing = httpx.get(f"{base}/api/no-such-route/", timeout=10)
        slashless = httpx.get(f"{base}/api/auth/status", timeout=10)
        status = httpx.get(f"{base}/api/auth/status/", timeout=10)

        assert refused.status_code == 405
        assert set(refused.json()) == {"error", "details", "code"}
        assert missing.status_code == 404 and missing.json()["code"] == "not_found"
        assert slashless.status_code == status.status_code == 200
        for response in (refused, missing, status):
            assert "default-src 'self'" in response.headers["Content-Security-Policy"]
            assert response.headers["X-Content-Type-Options"] == "nosniff"
            assert response.headers["X-Frame-Options"] == "DENY"
