from __future__ import annotations

from django.conf import settings
from rest_framework.permissions import BasePermission
from rest_framework.request import Request


class IsAuthenticatedUser(BasePermission):
    """Any logged-in user (or the system admin while auth is off)."""

    message = "Authentication required."

    def has_permission(self, request: Request, view: object) -> bool:
        return bool(request.user and request.user.is_authenticated and request.user.is_active)


class IsAdmin(BasePermission):
    """Users with the admin role only."""

    message = "Only administrators may do this."

    def has_permission(self, request: Request, view: object) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and user.is_active and getattr(user, "is_admin", False))


class BearerOnlyForGetCommands(BasePermission):
    """For the seed's GET endpoints that change state (start or cancel a download).

    A GET carries no CSRF token, so a link or an ``<img>`` on another site could fire one with the
    browser's session cookie. These endpoints therefore accept only bearer tokens while auth is on
    (the dashboard posts to its own forms instead); with auth off, where every caller is the system
    admin, they refuse requests the browser marks as started by another site (``Sec-Fetch-Site``).
    List it after ``IsAuthenticatedUser`` so anonymous callers still get 401.
    """

    message = (
        "This endpoint changes state with GET, so it accepts only a bearer token "
        "(Authorization: Bearer ...), not the dashboard's session cookie."
    )
    code = "bearer_required"
    _CROSS_SITE = frozenset({"cross-site", "same-site"})

    def has_permission(self, request: Request, view: object) -> bool:
        if request.auth is not None:  # a verified bearer token
            return True
        if settings.AUTH_ENABLED:
            return False  # authenticated some other way: the session cookie
        return request.headers.get("Sec-Fetch-Site", "").lower() not in self._CROSS_SITE
