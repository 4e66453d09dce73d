"""What every media-server transport offers: ``refresh`` (rescan the music) and ``check`` (the
settings page's Test button). Settings come in as values."""

from __future__ import annotations

from spotizerr.integrations.transport import Transport


class MediaServerTransport(Transport):
    def __init__(
        self, *, url: str, secret: str, username: str = "", section: str = "", timeout: float = 10.0
    ) -> None:
        super().__init__(timeout=timeout)
        self.url = url if url.endswith("/") else url + "/"
        self.secret = secret
        self.username = username
        self.section = section

    def refresh(self) -> str:
        """Ask for a rescan; returns what the server said. Raises ``TransportError``."""
        raise NotImplementedError

    def check(self) -> str:
        """Prove the address and credentials work without a rescan. Raises ``TransportError``."""
        raise NotImplementedError
