"""Single sign-on fixtures: a fake GitHub/Google on 127.0.0.1, settings pointing at it, and a
"browser" that walks redirects across Spotizerr (Django test client) and the fake (real HTTP)."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.http import HttpResponse
from django.test import Client

from tests.fakes.oauth_provider import FakeAccount, FakeOAuthProvider

PUBLIC_URL = "http://testserver"
_REDIRECTS = {301, 302, 303, 307, 308}


@pytest.fixture
def oauth_fake() -> Iterator[FakeOAuthProvider]:
    fake = FakeOAuthProvider().start()
    yield fake
    fake.stop()


@pytest.fixture
def sso_on(settings, oauth_fake: FakeOAuthProvider, db) -> FakeOAuthProvider:
    """Auth and SSO on, both providers configured against the fake, registration open."""
    settings.AUTH_ENABLED = True
    settings.SSO_ENABLED = True
    settings.REGISTRATION_ENABLED = True
    settings.PUBLIC_URL = PUBLIC_URL
    github, google = oauth_fake.clients["github"], oauth_fake.clients["google"]
    settings.GITHUB_CLIENT_ID, settings.GITHUB_CLIENT_SECRET = github.client_id, github.secret
    settings.GOOGLE_CLIENT_ID, settings.GOOGLE_CLIENT_SECRET = google.client_id, google.secret
    settings.SSO_PROVIDERS = ["google", "github"]
    providers = copy.deepcopy(settings.SOCIALACCOUNT_PROVIDERS)
    providers["github"]["APP"] = {"client_id": github.client_id, "secret": github.secret}
    providers["google"]["APP"] = {"client_id": google.client_id, "secret": google.secret}
    settings.SOCIALACCOUNT_PROVIDERS = providers
    for name, value in oauth_fake.settings_for().items():
        setattr(settings, name, value)
    return oauth_fake


@dataclass
class Trip:
    """Where a browser went: every URL it requested, the last Spotizerr response, and the
    URL it was finally sent to outside the API (e.g. the dashboard ``/``), if any."""

    urls: list[str] = field(default_factory=list)
    response: HttpResponse | None = None
    landed_on: str | None = None

    def json(self) -> dict:
        assert self.response is not None
        return self.response.json()


class Browser:
    def __init__(self, client: Client, fake: FakeOAuthProvider) -> None:
        self.client = client
        self.fake = fake

    def visit(self, url: str) -> Trip:
        trip = Trip()
        for _ in range(10):
            parts = urlsplit(url)
            if parts.netloc == self.fake.netloc:
                url = self._visit_provider(url, trip)
            elif parts.path.startswith("/api/") and parts.netloc in ("", "testserver"):
                url = self._visit_spotizerr(
                    f"{parts.path}?{parts.query}" if parts.query else parts.path, trip
                )
            else:
                trip.landed_on = url
                return trip
            if not url:
                return trip
        raise AssertionError(f"redirect loop: {trip.urls}")

    def _visit_provider(self, url: str, trip: Trip) -> str:
        trip.urls.append(url)
        answer = requests.get(url, allow_redirects=False, timeout=5)
        assert answer.status_code in _REDIRECTS, f"fake provider answered {answer.status_code}: {answer.text}"
        return answer.headers["Location"]

    def _visit_spotizerr(self, path: str, trip: Trip) -> str:
        trip.urls.append(path)
        trip.response = self.client.get(path)
        return trip.response["Location"] if trip.response.status_code in _REDIRECTS else ""

    def sign_in(self, provider: str) -> Trip:
        return self.visit(f"/api/auth/sso/login/{provider}")

    def callback_params(self, provider: str) -> dict[str, str]:
        """Start a sign-in and stop at the provider's answer: the query it sends us back with."""
        start = self.client.get(f"/api/auth/sso/login/{provider}")
        answer = requests.get(start["Location"], allow_redirects=False, timeout=5)
        return {
            key: values[0] for key, values in parse_qs(urlsplit(answer.headers["Location"]).query).items()
        }


@pytest.fixture
def sso_browser(sso_on: FakeOAuthProvider) -> Browser:
    return Browser(Client(enforce_csrf_checks=True), sso_on)


@pytest.fixture
def octocat() -> FakeAccount:
    return FakeAccount(uid="583231", email="octocat@example.test", login="octocat", name="Mona Octocat")


@pytest.fixture
def googler() -> FakeAccount:
    return FakeAccount(uid="108234567890123456789", email="gina@example.test", name="Gina Google")
