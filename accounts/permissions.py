from __future__ import annotations

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
