"""Fetching a URL that a *user* gave (a CSV or M3U list to import) without becoming a proxy into the
operator's network (server-side request forgery).

Unlike ``safe_fetch``'s allow-list, any host may be named, so the address is what is checked: only
http and https, no user name or password in the URL, and each hop's host name is resolved once and
refused when any of its addresses is loopback, private, link-local, multicast, reserved or unspecified
(unless the operator allows private addresses: ``SPOTIZERR_IMPORT_URL_ALLOW_PRIVATE``). The connection
then goes to that resolved address (TLS still checks the certificate against the host name), so a
second DNS answer cannot switch it (DNS rebinding). Redirects (at most ``safe_fetch.MAX_REDIRECTS``),
the size cap while streaming, the timeout and stall detection are ``safe_fetch``'s.
"""

from __future__ import annotations

import io
import ipaddress
import socket
from functools import partial
from typing import Any
from urllib.parse import urlsplit

import requests
from requests.adapters import HTTPAdapter

from spotizerr.lib.cancel import NEVER_CANCELLED
from spotizerr.lib.safe_fetch import FetchError, _origin, _run_transfer, _Transfer

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


def is_public_address(address: IPAddress) -> bool:
    """True for a globally routable unicast address (an IPv4-mapped IPv6 address judged as IPv4)."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    special = (
        address.is_loopback
        or address.is_private
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
    )
    return address.is_global and not special


def resolve_user_url(url: str, *, allow_private: bool) -> str:
    """The one address ``url`` is fetched from. Raises FetchError: permanent for another scheme,
    credentials in the URL or a non-public address (unless ``allow_private``); transient when the
    name does not resolve."""
    origin = _origin(url)
    if origin is None:
        raise FetchError(
            "only http and https URLs without a user name or password can be fetched", permanent=True
        )
    _, host, port = origin
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as exc:
        raise FetchError(f"cannot resolve {host}: {exc}", permanent=False) from None
    addresses = [ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in infos]
    if not addresses:
        raise FetchError(f"cannot resolve {host}", permanent=False)
    if not allow_private and not all(is_public_address(a) for a in addresses):
        raise FetchError(
            f"refusing to fetch from {host}: it resolves to a loopback, private, link-local, "
            "multicast or reserved address",
            permanent=True,
        )
    return str(addresses[0])


class _PinnedAdapter(HTTPAdapter):
    """Connects to ``address`` whatever the URL's host resolves to by now."""

    def __init__(self, address: str) -> None:
        self._address = address
        super().__init__(max_retries=0)

    def build_connection_pool_key_attributes(
        self, request: requests.PreparedRequest, verify: bool | str, cert: Any = None
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        host_params, pool_kwargs = super().build_connection_pool_key_attributes(request, verify, cert)
        hostname = host_params["host"]
        host_params["host"] = self._address
        if host_params["scheme"] == "https":
            pool_kwargs["server_hostname"] = hostname
            pool_kwargs["assert_hostname"] = hostname
        return host_params, pool_kwargs


def _pinned_get(url: str, options: dict[str, Any], *, allow_private: bool) -> requests.Response:
    address = resolve_user_url(url, allow_private=allow_private)
    session = requests.Session()
    session.trust_env = False  # a proxy from the environment would resolve the name again
    session.mount("http://", _PinnedAdapter(address))
    session.mount("https://", _PinnedAdapter(address))
    headers = {**options.get("headers", {}), "Host": urlsplit(url).netloc}
    return session.get(url, **{**options, "headers": headers})


def fetch_user_url(url: str, *, max_bytes: int, timeout: float, allow_private: bool = False) -> bytes:
    """The body of ``url``, under the rules above; ``timeout`` bounds connecting and each wait for
    data. Raises FetchError (FetchTooLarge past ``max_bytes``, checked while streaming)."""
    sink = io.BytesIO()
    opener = partial(_pinned_get, allow_private=allow_private)
    transfer = _Transfer(url, sink, max_bytes=max_bytes, timeout=timeout, pace=None, opener=opener)
    _run_transfer(transfer, cancel=NEVER_CANCELLED)
    return sink.getvalue()
