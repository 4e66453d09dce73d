"""``request_user``: the signed-in ``User`` of a request, or 403 instead of an anonymous user."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory

from accounts.current import request_user
from accounts.models import User


def test_it_returns_the_signed_in_user(alice: User) -> None:
    request = RequestFactory().get("/")
    request.user = alice
    assert request_user(request) == alice


def test_it_refuses_an_anonymous_request_with_403() -> None:
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    with pytest.raises(PermissionDenied):
        request_user(request)
