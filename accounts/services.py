"""Writes on users. Views, admin actions and commands call these; nothing else changes users."""

from __future__ import annotations

from django.conf import settings

from accounts.models import User


def ensure_initial_admin() -> str | None:
    """Create the admin named in the environment when auth is on and nobody exists yet."""
    if not settings.AUTH_ENABLED or not settings.ADMIN_USERNAME or not settings.ADMIN_PASSWORD:
        return None
    if User.objects.filter(is_system=False).exists():
        return None
    user = User(username=settings.ADMIN_USERNAME, role=User.Role.ADMIN)
    user.set_password(settings.ADMIN_PASSWORD)
    user.save()
    return f"Created admin user {user.username!r}."
