"""The signed-in user of a request, typed.

``request.user`` is ``User | AnonymousUser`` to the type checker; behind a view's permission (or the
dashboard's ``member_required``) it is always our ``User``. ``request_user`` says so once, and refuses
with 403 if a view ever forgets its permission, instead of passing an anonymous user into a service.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from rest_framework.request import Request

from accounts.models import User


def request_user(request: HttpRequest | Request) -> User:
    """The request's authenticated ``User``; ``PermissionDenied`` (403) when there is none."""
    user = request.user
    if not isinstance(user, User) or not user.is_authenticated:
        raise PermissionDenied("Authentication required.")
    return user
