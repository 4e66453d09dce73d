"""Subsonic API servers (Navidrome, Airsonic, Gonic...): ``startScan`` with token auth, i.e.
``t = md5(password + salt)`` and ``s = salt`` (API 1.13+)."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from spotizerr.integrations.media_servers.base import MediaServerTransport
from spotizerr.integrations.transport import TransportError

API_VERSION = "1.16.1"
_AUTH_CODES = {40, 41, 50}  # wrong credentials, token auth unsupported for LDAP users, not authorized


class SubsonicTransport(MediaServerTransport):
    name = "Subsonic server"

    def _call(self, method: str, **params: Any) -> dict[str, Any]:
        salt = secrets.token_hex(8)
        token = hashlib.md5((self.secret + salt).encode(), usedforsecurity=False).hexdigest()
        query = {"u": self.username, "t": token, "s": salt, "v": API_VERSION, "c": "spotizerr", "f": "json"}
        body = self.get_json(f"{self.url}rest/{method}.view", params={**query, **params})
        answer = (body or {}).get("subsonic-response") if isinstance(body, dict) else None
        if not isinstance(answer, dict):
            raise TransportError(
                f"{self.url} is not a Subsonic server (no subsonic-response)", permanent=True
            )
        if answer.get("status") != "ok":
            error = answer.get("error") or {}
            message = f"the Subsonic server refused: {error.get('message') or 'unknown error'}"
            raise TransportError(message, permanent=error.get("code") in _AUTH_CODES)
        return answer

    def refresh(self) -> str:
        scan = self._call("startScan").get("scanStatus") or {}
        return "scan started" if scan.get("scanning", True) else "scan requested"

    def check(self) -> str:
        answer = self._call("ping")
        return f"Subsonic API {answer.get('version', '?')} ({answer.get('type', 'server')}) answered."
