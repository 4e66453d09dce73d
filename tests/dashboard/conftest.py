"""Fixtures of the dashboard tests: browser-like Django clients logged in as the shared personas."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from accounts.models import User


@pytest.fixture
def page_for(auth_on) -> Callable[[User | None], Client]:
    """``page_for(user)``: a Django test client with that user's dashboard session (None: anonymous).
    CSRF is enforced, as in a browser; use ``post`` below to send the token."""

    def make(user: User | None) -> Client:
        client = Client(enforce_csrf_checks=True)
        if user is not None:
            client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return make


def post(client: Client, url: str, data: dict | None = None, **extra: object):
    """POST like a dashboard form: fetch a CSRF cookie first, then send its token with the form."""
    for page in ("/login/", "/profile/"):  # anonymous visitors see the first, logged-in ones the second
        if "csrftoken" not in client.cookies:
            client.get(page)
    token = client.cookies["csrftoken"].value
    return client.post(url, {**(data or {}), "csrfmiddlewaretoken": token}, **extra)


@pytest.fixture
def queued_only(monkeypatch) -> None:
    """django-q2 only stores enqueued tasks; nothing runs them (the queue shows them as queued)."""
    from django_q.conf import Conf

    monkeypatch.setattr(Conf, "SYNC", False)


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]] if response.context else []
