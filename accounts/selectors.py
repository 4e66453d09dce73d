"""Reads on users. The built-in system user is never listed or addressable by name."""

from __future__ import annotations

from django.db.models import QuerySet

from accounts.models import User
from spotizerr.errors import NotFound


def user_list() -> QuerySet[User]:
    """Every person's account, oldest first (the system user excluded)."""
    return User.objects.filter(is_system=False).order_by("created_at", "id")


def user_get(*, username: str) -> User:
    """The account named ``username``. Raises NotFound (404) if there is none."""
    user = user_list().filter(username=username).first()
    if user is None:
        raise NotFound(f"No user named {username!r}.", code="user_not_found")
    return user


def user_name_taken(*, username: str) -> bool:
    """True if the name is used by anyone, ignoring case ("Alice" blocks "alice")."""
    return User.objects.filter(username__iexact=username).exists()


def admin_count(*, exclude: User | None = None) -> int:
    """Active people with the admin role (the system user does not count)."""
    admins = user_list().filter(role=User.Role.ADMIN, is_active=True)
    if exclude is not None:
        admins = admins.exclude(pk=exclude.pk)
    return admins.count()
