"""A JSON webhook on 127.0.0.1 for Apprise's ``json://`` URLs: it records every message posted."""

from __future__ import annotations

from typing import Any

from tests.fakes.http_service import Answer, HttpService, Seen


class FakeWebhook(HttpService):
    name = "webhook"

    def answer(self, seen: Seen) -> Answer:
        return (200, {"ok": True}) if seen.method == "POST" else (405, {"error": "POST only"})

    def url(self, path: str = "hook") -> str:
        """The Apprise URL that posts here."""
        return self.base_url.replace("http://", "json://") + path

    @property
    def messages(self) -> list[dict[str, Any]]:
        return [item.json() for item in self.seen(method="POST")]
