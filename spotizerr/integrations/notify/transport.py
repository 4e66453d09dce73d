"""Send one message to one Apprise URL. Apprise answers only "sent" or "not sent", so a refusal is
treated as worth retrying; a URL Apprise cannot parse is permanent."""

from __future__ import annotations

from typing import Any

from spotizerr.integrations.transport import TransportError

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
