"""Reads on users. The built-in system user is never listed or addressable by name."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from importlib import import_module
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import User
from accounts.tokens import SESSION_CLAIM
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


# ---------------------------------------------------------------- open streams
@dataclass(frozen=True)
class StreamCredential:
    """What an open progress stream was authenticated with, re-checked while it stays open: the user
    as they were (role, ``token_version``) and the session it came from, if any: a bearer token's
    ``sid`` (its refresh token's jti) or the dashboard's Django session key."""

    user_id: int
    token_version: int
    role: str
    session_id: str = ""
    session_key: str = ""

    @classmethod
    def of(cls, user: User, *, session_id: str = "", session_key: str = "") -> StreamCredential:
        return cls(user.pk, user.token_version, user.role, session_id or "", session_key or "")


def stream_credential(*, user: User, token: Any, session_key: str | None) -> StreamCredential:
    """The credential of a caller ``SpotizerrAuthentication`` let in: with a bearer ``token`` its
    session is the token's ``sid``; without one (the dashboard) the Django ``session_key``; with auth
    off there is no session to follow."""
    if not settings.AUTH_ENABLED:
        return StreamCredential.of(user)
    if token is not None:
        return StreamCredential.of(user, session_id=str(token.get(SESSION_CLAIM) or ""))
    return StreamCredential.of(user, session_key=session_key or "")


def stream_credentials_valid(credentials: Collection[StreamCredential]) -> set[StreamCredential]:
    """Those of ``credentials`` still good: the user exists, is active, has the same role and
    ``token_version`` (a password change, role change or deactivation bumps it), the bearer session
    was not logged out (or rotated away) and the dashboard session still exists.

    One query for the users, plus one per kind of session present, however many credentials: the
    progress streams of a process are re-checked together every few seconds."""
    if not credentials:
        return set()
    users = {
        row["pk"]: row
        for row in User.objects.filter(pk__in={c.user_id for c in credentials}, is_active=True).values(
            "pk", "role", "token_version"
        )
    }
    revoked = _revoked_sessions({c.session_id for c in credentials if c.session_id})
    live_keys = _live_session_keys({c.session_key for c in credentials if c.session_key})
    valid = set()
    for credential in credentials:
        user = users.get(credential.user_id)
        if user is None or (user["role"], user["token_version"]) != (
            credential.role,
            credential.token_version,
        ):
            continue
        if credential.session_id in revoked:
            continue
        if credential.session_key and credential.session_key not in live_keys:
            continue
        valid.add(credential)
    return valid


def _revoked_sessions(session_ids: set[str]) -> set[str]:
    """The bearer sessions (refresh token jtis) among ``session_ids`` that were logged out or rotated."""
    if not session_ids:
        return set()
    from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken

    return set(
        BlacklistedToken.objects.filter(token__jti__in=session_ids).values_list("token__jti", flat=True)
    )


def _live_session_keys(keys: set[str]) -> set[str]:
    """The Django session keys among ``keys`` whose session still exists (not logged out, not expired)."""
    if not keys:
        return set()
    store = import_module(settings.SESSION_ENGINE).SessionStore
    if hasattr(store, "get_model_class"):  # database-backed sessions: one query
        model = store.get_model_class()
        live = model.objects.filter(session_key__in=keys, expire_date__gt=timezone.now())
        return set(live.values_list("session_key", flat=True))
    return {key for key in keys if store().exists(key)}
