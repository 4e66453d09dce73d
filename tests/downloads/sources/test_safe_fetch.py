"""spotizerr.lib.safe_fetch against real local HTTP servers that misbehave on purpose."""

from __future__ import annotations

import socket
import threading
import time
from pathlib import Path

import pytest

from spotizerr.lib.cancel import Cancelled, CancelToken
from spotizerr.lib.safe_fetch import FetchError, download_to_file, fetch_image, is_allowed_url
from tests.fakes.audio import make_jpeg
from tests.fakes.media_server import MediaServer, Reply, redirect

BODY = bytes(range(256)) * 400  # 100 kB


def fetch(
    server: MediaServer,
    path: str,
    destination: Path,
    *,
    timeout: float = 5.0,
    max_bytes: int = 10_000_000,
    cancel: CancelToken | None = None,
) -> Path:
    return download_to_file(
        server.url(path), destination, max_bytes=max_bytes, timeout=timeout, cancel=cancel or CancelToken()
    )


def leftovers(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir())


# ---------------------------------------------------------------- which hosts
@pytest.mark.parametrize(
    "url",
    [
        "https://i.scdn.co/image/ab67616d0000b273",
        "https://mosaic.scdn.co/640/abc",
        "https://image-cdn-ak.spotifycdn.com/image/x",
        "https://image-cdn-fa.spotifycdn.com/image/x",
        "https://p.scdn.co/mp3-preview/abc",
        "https://cdns-preview-d.dzcdn.net/stream/c-d.mp3",
        "https://e-cdns-images.dzcdn.net/images/cover/x.jpg",
        "https://api.deezer.com/track/isrc:GBAYE0601498",
    ],
)
def test_it_allows_spotify_and_deezer_media_hosts_over_https(url: str) -> None:
    assert is_allowed_url(url)


@pytest.mark.parametrize(
    "url",
    [
        "http://i.scdn.co/image/x",  # plain http
        "https://i.scdn.co:8443/image/x",  # another port
        "https://evil.example/image.jpg",
        "https://i.scdn.co.evil.example/x",
        "https://dzcdn.net.evil.example/x",
        "https://127.0.0.1/x",
        "https://localhost/x",
        "https://10.0.0.1/x",
        "https://192.168.1.1/x",
        "https://169.254.169.254/latest/meta-data/",
        "https://[::1]/x",
        "file:///etc/passwd",
        "ftp://i.scdn.co/x",
        "https://user:pw@i.scdn.co/x",
        "not a url",
    ],
)
def test_it_refuses_other_hosts_schemes_and_ports(url: str) -> None:
    assert not is_allowed_url(url)


def test_it_allows_the_exact_origin_of_a_configured_api_url(settings) -> None:
    settings.SPOTIFY_API_URL = "http://127.0.0.1:18080/v1/"
    assert is_allowed_url("http://127.0.0.1:18080/images/cover.jpg")


def test_it_refuses_loopback_on_a_port_no_setting_names(settings) -> None:
    settings.SPOTIFY_API_URL = "http://127.0.0.1:18080/v1/"
    assert not is_allowed_url("http://127.0.0.1:18081/images/cover.jpg")


def test_it_refuses_to_download_from_a_server_on_an_unconfigured_port(
    media_server, outside_server, tmp_path
) -> None:
    outside_server.route("/x.mp3", Reply(body=BODY))
    with pytest.raises(FetchError) as caught:
        fetch(outside_server, "/x.mp3", tmp_path / "x.mp3")
    assert caught.value.permanent
    assert outside_server.requests == []
    assert leftovers(tmp_path) == []


def test_it_refuses_a_redirect_from_an_allowed_host_to_a_disallowed_one(
    media_server, outside_server, tmp_path
) -> None:
    outside_server.route("/secret", Reply(body=b"internal"))
    media_server.route("/cover.jpg", redirect(outside_server.url("/secret")))
    with pytest.raises(FetchError) as caught:
        fetch(media_server, "/cover.jpg", tmp_path / "cover.jpg")
    assert caught.value.permanent and "not an allowed host" in caught.value.reason
    assert outside_server.requests == []


def test_it_follows_a_redirect_that_stays_on_allowed_hosts(media_server, tmp_path) -> None:
    media_server.route("/old.mp3", redirect("/new.mp3", 301))
    media_server.route("/new.mp3", Reply(body=BODY))
    assert fetch(media_server, "/old.mp3", tmp_path / "x.mp3").read_bytes() == BODY


def test_it_gives_up_after_too_many_redirects(media_server, tmp_path) -> None:
    media_server.route("/loop", redirect("/loop"))
    with pytest.raises(FetchError, match="redirects"):
        fetch(media_server, "/loop", tmp_path / "x")


# ---------------------------------------------------------------- good and bad bodies
def test_it_downloads_a_file_completely(media_server, tmp_path) -> None:
    media_server.route("/x.mp3", Reply(body=BODY))
    result = fetch(media_server, "/x.mp3", tmp_path / "x.mp3")
    assert result == tmp_path / "x.mp3" and result.read_bytes() == BODY
    assert leftovers(tmp_path) == ["x.mp3"]


def test_it_refuses_a_file_announced_larger_than_the_cap(media_server, tmp_path) -> None:
    media_server.route("/big", Reply(body=BODY))
    with pytest.raises(FetchError) as caught:
        fetch(media_server, "/big", tmp_path / "big", max_bytes=len(BODY) - 1)
    assert caught.value.permanent
    assert leftovers(tmp_path) == []


def test_it_stops_a_body_that_grows_past_the_cap_without_a_content_length(media_server, tmp_path) -> None:
    media_server.route("/big", Reply(body=BODY, send_length=False))
    with pytest.raises(FetchError, match="limit"):
        fetch(media_server, "/big", tmp_path / "big", max_bytes=len(BODY) // 2)
    assert leftovers(tmp_path) == []


def test_a_truncated_body_is_a_transient_failure_that_leaves_nothing(media_server, tmp_path) -> None:
    media_server.route("/x.mp3", Reply(body=BODY, fault="truncate", fault_after=5000))
    with pytest.raises(FetchError) as caught:
        fetch(media_server, "/x.mp3", tmp_path / "x.mp3")
    assert not caught.value.permanent
    assert leftovers(tmp_path) == []


def test_a_connection_reset_mid_body_is_a_transient_failure_that_leaves_nothing(
    media_server, tmp_path
) -> None:
    media_server.route("/x.mp3", Reply(body=BODY, fault="reset", fault_after=5000))
    with pytest.raises(FetchError) as caught:
        fetch(media_server, "/x.mp3", tmp_path / "x.mp3")
    assert not caught.value.permanent
    assert leftovers(tmp_path) == []


def test_a_stalled_download_is_abandoned_within_its_timeout(media_server, tmp_path) -> None:
    media_server.route("/x.mp3", Reply(body=BODY, fault="stall", fault_after=5000))
    started = time.monotonic()
    with pytest.raises(FetchError, match=r"stalled|timed out") as caught:
        fetch(media_server, "/x.mp3", tmp_path / "x.mp3", timeout=0.5)
    assert time.monotonic() - started < 2.5
    assert not caught.value.permanent
    assert leftovers(tmp_path) == []


def test_a_server_dripping_bytes_slower_than_the_timeout_counts_as_stalled(media_server, tmp_path) -> None:
    media_server.route("/x.mp3", Reply(body=BODY, fault="drip", fault_after=100, drip_interval=1.0))
    started = time.monotonic()
    with pytest.raises(FetchError):
        fetch(media_server, "/x.mp3", tmp_path / "x.mp3", timeout=0.6)
    assert time.monotonic() - started < 2.5


def test_429_is_transient_and_carries_retry_after(media_server, tmp_path) -> None:
    media_server.route("/x.mp3", Reply(429, b"slow down", headers={"Retry-After": "7"}))
    with pytest.raises(FetchError) as caught:
        fetch(media_server, "/x.mp3", tmp_path / "x.mp3")
    assert (caught.value.permanent, caught.value.retry_after, caught.value.status) == (False, 7.0, 429)


@pytest.mark.parametrize("status", [500, 502, 503])
def test_server_errors_are_transient(media_server, tmp_path, status: int) -> None:
    media_server.route("/x.mp3", Reply(status, b"oops"))
    with pytest.raises(FetchError) as caught:
        fetch(media_server, "/x.mp3", tmp_path / "x.mp3")
    assert not caught.value.permanent and caught.value.status == status
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("status", [403, 404, 410])
def test_client_errors_are_permanent(media_server, tmp_path, status: int) -> None:
    media_server.route("/x.mp3", Reply(status, b"no"))
    with pytest.raises(FetchError) as caught:
        fetch(media_server, "/x.mp3", tmp_path / "x.mp3")
    assert caught.value.permanent


def test_a_refused_connection_is_transient(media_server, tmp_path) -> None:
    url = media_server.url("/x.mp3")
    media_server.stop()
    with pytest.raises(FetchError) as caught:
        download_to_file(url, tmp_path / "x.mp3", max_bytes=1000, timeout=2, cancel=CancelToken())
    assert not caught.value.permanent


# ---------------------------------------------------------------- cancel and pacing
def test_cancel_stops_a_stalled_download_within_a_second(media_server, tmp_path) -> None:
    media_server.route("/x.mp3", Reply(body=BODY, fault="stall", fault_after=5000))
    cancel = CancelToken()
    threading.Timer(0.3, cancel.cancel).start()
    started = time.monotonic()
    with pytest.raises(Cancelled):
        fetch(media_server, "/x.mp3", tmp_path / "x.mp3", timeout=30, cancel=cancel)
    assert time.monotonic() - started < 1.3
    assert leftovers(tmp_path) == []


def test_an_already_cancelled_token_fetches_nothing(media_server, tmp_path) -> None:
    media_server.route("/x.mp3", Reply(body=BODY))
    cancel = CancelToken()
    cancel.cancel()
    with pytest.raises(Cancelled):
        fetch(media_server, "/x.mp3", tmp_path / "x.mp3", cancel=cancel)
    assert media_server.requests == []


def test_pacing_holds_the_transfer_to_the_given_rate(media_server, tmp_path) -> None:
    media_server.route("/x.mp3", Reply(body=BODY))  # 102,400 bytes
    started = time.monotonic()
    download_to_file(
        media_server.url("/x.mp3"),
        tmp_path / "x.mp3",
        max_bytes=len(BODY),
        timeout=0.5,
        cancel=CancelToken(),
        pace_bytes_per_second=len(BODY) / 1.0,
    )
    elapsed = time.monotonic() - started
    assert 0.9 <= elapsed < 2.5  # paced sleeps longer than the timeout are not stalls


# ---------------------------------------------------------------- images
def test_fetch_image_returns_a_real_jpeg(media_server, tmp_path) -> None:
    jpeg = make_jpeg(tmp_path / "c.jpg").read_bytes()
    media_server.route("/c.jpg", Reply(body=jpeg, content_type="image/jpeg"))
    assert fetch_image(media_server.url("/c.jpg")) == jpeg


@pytest.mark.parametrize("magic", [b"\x89PNG\r\n\x1a\n" + b"\0" * 32, b"RIFF\x10\0\0\0WEBPVP8 " + b"\0" * 32])
def test_fetch_image_accepts_png_and_webp(media_server, magic: bytes) -> None:
    media_server.route("/c", Reply(body=magic))
    assert fetch_image(media_server.url("/c")) == magic


def test_fetch_image_refuses_html_served_as_an_image(media_server) -> None:
    media_server.route("/c.jpg", Reply(body=b"<html>login</html>", content_type="image/jpeg"))
    with pytest.raises(FetchError) as caught:
        fetch_image(media_server.url("/c.jpg"))
    assert caught.value.permanent


def test_fetch_image_refuses_an_image_over_the_size_cap(media_server, tmp_path) -> None:
    jpeg = make_jpeg(tmp_path / "c.jpg", size=256).read_bytes()
    media_server.route("/c.jpg", Reply(body=jpeg))
    with pytest.raises(FetchError):
        fetch_image(media_server.url("/c.jpg"), max_bytes=len(jpeg) - 1)


def test_a_public_media_host_resolving_to_a_private_address_is_refused(monkeypatch, tmp_path) -> None:
    """GIVEN DNS that points Spotify's image host at the LAN (rebinding, a hostile resolver)
    WHEN a cover is fetched THEN nothing is requested and the refusal is permanent."""
    connections: list[object] = []
    monkeypatch.setattr(
        socket,
        "getaddrinfo",
        lambda *args, **kwargs: [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("192.168.1.10", 443))],
    )
    monkeypatch.setattr(socket, "create_connection", lambda *args, **kwargs: connections.append(args))
    with pytest.raises(FetchError) as caught:
        download_to_file(
            "https://i.scdn.co/image/x", tmp_path / "x.jpg", max_bytes=1000, timeout=2, cancel=CancelToken()
        )
    assert caught.value.permanent and "non-public" in caught.value.reason
    assert connections == [] and leftovers(tmp_path) == []
