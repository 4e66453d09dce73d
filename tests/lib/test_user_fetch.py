"""spotizerr.lib.user_fetch: URLs a user names are fetched only from public addresses (unless the
operator allows private ones), through the address resolved once, with the size, redirect and time
limits of safe_fetch, against real local HTTP servers."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator

import pytest
import requests

from spotizerr.lib.safe_fetch import MAX_REDIRECTS, FetchError, FetchTooLarge
from spotizerr.lib.user_fetch import _PinnedAdapter, fetch_user_url, is_public_address, resolve_user_url
from tests.fakes.media_server import MediaServer, Reply, redirect

LIST = b"Track URI\nspotify:track:4uLU6hMCjMI75M1A2tKUQC\n"


@pytest.fixture
def server() -> Iterator[MediaServer]:
    with MediaServer() as running:
        yield running


def fetch(url: str, *, max_bytes: int = 1_000_000, timeout: float = 5.0, allow_private: bool = True) -> bytes:
    return fetch_user_url(url, max_bytes=max_bytes, timeout=timeout, allow_private=allow_private)


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.1.2.3",
        "172.16.0.1",
        "192.168.1.1",
        "169.254.169.254",
        "100.64.0.1",
        "224.0.0.1",
        "239.255.255.250",
        "240.0.0.1",
        "0.0.0.0",
        "::1",
        "fe80::1",
        "fc00::1",
        "ff02::1",
        "::",
        "::ffff:127.0.0.1",
        "::ffff:10.0.0.1",
    ],
)
def test_it_counts_loopback_private_link_local_multicast_and_reserved_addresses_as_not_public(
    address: str,
) -> None:
    assert not is_public_address(ipaddress.ip_address(address))


@pytest.mark.parametrize("address", ["8.8.8.8", "1.1.1.1", "2606:4700:4700::1111", "::ffff:8.8.8.8"])
def test_it_counts_global_unicast_addresses_as_public(address: str) -> None:
    assert is_public_address(ipaddress.ip_address(address))


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/list.csv",
        "http://localhost:8000/list.csv",
        "http://10.0.0.1/list.csv",
        "http://192.168.0.10/list.csv",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/list.csv",
        "http://0.0.0.0/list.csv",
        "http://[::ffff:127.0.0.1]/list.csv",
    ],
)
def test_by_default_it_refuses_hosts_that_resolve_to_non_public_addresses(url: str) -> None:
    with pytest.raises(FetchError) as refused:
        resolve_user_url(url, allow_private=False)

    assert refused.value.permanent and "refusing" in refused.value.reason


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "ftp://example.com/list.csv",
        "gopher://example.com/",
        "https://user:secret@example.com/list.csv",
        "https://user@example.com/list.csv",
        "not a url",
    ],
)
def test_it_refuses_other_schemes_and_credentials_in_the_url(url: str) -> None:
    with pytest.raises(FetchError) as refused:
        resolve_user_url(url, allow_private=True)

    assert refused.value.permanent and "user name or password" in refused.value.reason


def test_a_public_literal_address_resolves_to_itself() -> None:
    assert resolve_user_url("https://8.8.8.8/list.csv", allow_private=False) == "8.8.8.8"


def test_the_default_refuses_a_local_server_before_connecting(server: MediaServer) -> None:
    server.route("/list.csv", Reply(body=LIST))

    with pytest.raises(FetchError, match="refusing"):
        fetch(server.url("/list.csv"), allow_private=False)

    assert server.requests == []


def test_with_private_addresses_allowed_it_fetches_from_a_local_server(server: MediaServer) -> None:
    server.route("/list.csv", Reply(body=LIST))

    assert fetch(server.url("/list.csv")) == LIST


def test_the_connection_goes_to_the_pinned_address_whatever_the_name_resolves_to(server: MediaServer) -> None:
    """GIVEN a host name that does not resolve at all WHEN the adapter is pinned to the server's
    address THEN the request reaches the server: the name is never resolved a second time."""
    server.route("/list.csv", Reply(body=LIST))
    session = requests.Session()
    session.trust_env = False
    session.mount("http://", _PinnedAdapter("127.0.0.1"))

    response = session.get(f"http://rebound.invalid:{server.port}/list.csv", timeout=5)

    assert response.status_code == 200 and response.content == LIST


def test_the_size_cap_holds_while_streaming_without_a_content_length(server: MediaServer) -> None:
    server.route("/big.csv", Reply(body=b"x" * 300_000, send_length=False))

    with pytest.raises(FetchTooLarge):
        fetch(server.url("/big.csv"), max_bytes=100_000)


def test_a_content_length_past_the_cap_is_refused_before_reading(server: MediaServer) -> None:
    server.route("/big.csv", Reply(body=b"x" * 300_000))

    with pytest.raises(FetchTooLarge, match="300000 bytes"):
        fetch(server.url("/big.csv"), max_bytes=100_000)


def test_each_redirect_is_checked_again(server: MediaServer) -> None:
    target = server.url("/list.csv").replace("http://", "http://user:pw@")
    server.route("/moved.csv", redirect(target))
    server.route("/list.csv", Reply(body=LIST))

    with pytest.raises(FetchError, match="user name or password"):
        fetch(server.url("/moved.csv"))

    assert server.requests == ["/moved.csv"]


def test_a_redirect_to_another_scheme_is_refused(server: MediaServer) -> None:
    server.route("/moved.csv", redirect("file:///etc/passwd"))

    with pytest.raises(FetchError) as refused:
        fetch(server.url("/moved.csv"))

    assert refused.value.permanent


def test_redirects_are_followed_up_to_the_limit(server: MediaServer) -> None:
    server.route("/loop", redirect(server.url("/loop")))
    server.route("/hop", redirect(server.url("/list.csv")))
    server.route("/list.csv", Reply(body=LIST))

    assert fetch(server.url("/hop")) == LIST
    with pytest.raises(FetchError, match=f"more than {MAX_REDIRECTS} redirects"):
        fetch(server.url("/loop"))


def test_a_server_that_stops_sending_times_out(server: MediaServer) -> None:
    server.route("/slow.csv", Reply(body=LIST, fault="stall", fault_after=5))

    with pytest.raises(FetchError) as stalled:
        fetch(server.url("/slow.csv"), timeout=0.5)

    assert not stalled.value.permanent
