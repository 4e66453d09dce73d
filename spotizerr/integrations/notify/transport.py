"""Send one message to one Apprise URL. Apprise answers only "sent" or "not sent", so a refusal is
treated as worth retrying; a URL Apprise cannot parse is permanent."""

from __future__ import annotations

import ipaddress
import socket
from typing import Any

from spotizerr.integrations.transport import TransportError
from spotizerr.lib.user_fetch import is_public_address

KINDS = ("info", "success", "warning", "failure")  # Apprise's notify types, by their values


def _apprise() -> Any:
    """Apprise, imported on first use: it loads its ~100 service plugins, which processes that never
    send a message need not pay for."""
    import apprise

    return apprise


def url_problem(url: str) -> str | None:
    """Why ``url`` is not a usable Apprise URL (None when it is)."""
    if not isinstance(url, str) or not url.strip():
        return "must not be empty"
    if len(url) > 2000:
        return "must be at most 2000 characters"
    if not _apprise().Apprise().add(url.strip()):
        return "is not a URL Apprise understands (see https://github.com/caronc/apprise/wiki)"
    return None


def _service_host(url: str) -> str:
    """The host an Apprise URL makes the server connect to, or "" for a service with a fixed public
    endpoint (Telegram, Discord, Pushover, ntfy.sh …), whose URL "host" is a token or an id."""
    sender = _apprise().Apprise()
    if not sender.add(url.strip()):
        return ""
    service = next(iter(sender))
    fixed_endpoint = str(getattr(type(service), "notify_url", "") or "").startswith("https://")
    if fixed_endpoint or getattr(service, "mode", None) == "cloud":
        return ""
    return str(getattr(service, "host", "") or "")


def url_private_host(url: str) -> str | None:
    """The host of ``url`` when it is, or resolves to, a loopback, private, link-local or otherwise
    non-public address (None otherwise). A name that does not resolve now is not refused: Apprise
    cannot reach it either, and a later DNS change is outside what a check at saving time can see."""
    host = _service_host(url).strip("[]")
    if not host:
        return None
    if host == "localhost" or host.endswith((".localhost", ".local", ".internal", ".lan", ".home.arpa")):
        return host
    try:
        literal = ipaddress.ip_address(host)
    except ValueError:
        literal = None
    if literal is not None:
        return None if is_public_address(literal) else host
    try:
        answers = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError):
        return None
    addresses = {ipaddress.ip_address(str(answer[4][0]).split("%", 1)[0]) for answer in answers}
    return None if all(is_public_address(address) for address in addresses) else host


def url_scheme(url: str) -> str:
    """The part of an Apprise URL safe to show: its scheme, e.g. ``ntfy``."""
    return url.split("://", 1)[0] if "://" in url else "?"


class AppriseTransport:
    name = "Apprise"

    def __init__(self, url: str, *, timeout: float = 10.0) -> None:
        self.url = url.strip()
        self.timeout = timeout

    def send(self, *, title: str, body: str, kind: str = "info") -> None:
        """Deliver one message. Raises ``TransportError``."""
        apprise = _apprise()
        sender = apprise.Apprise(asset=apprise.AppriseAsset(async_mode=False))
        if not sender.add(self.url):
            raise TransportError("the target's URL is not one Apprise understands", permanent=True)
        for service in sender:
            service.socket_connect_timeout = self.timeout
            service.socket_read_timeout = self.timeout
        notify_type = apprise.NotifyType(kind if kind in KINDS else "info")
        if not sender.notify(title=title, body=body, notify_type=notify_type):
            raise TransportError(f"the {url_scheme(self.url)} service did not accept the message")
