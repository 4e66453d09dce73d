"""JWT issuance and the claims that make tokens revocable.

Every token carries ``ver`` (the user's ``token_version``: bumping it kills every token issued
before) and ``sid`` (the jti of the refresh token it came from: blacklisting that refresh token,
at logout or rotation, also kills its access tokens). ``issue_token_pair`` is the only place
tokens are made.
"""

from __future__ import annotations

import functools

from django.core.exceptions import ValidationError
from django.db import connection
from rest_framework_simplejwt.settings import api_settings
from rest_framework_simplejwt.tokens import RefreshToken

from accounts.models import User

TOKEN_VERSION_CLAIM = "ver"
SESSION_CLAIM = "sid"


def issue_token_pair(user: User) -> dict[str, str]:
    """A fresh refresh/access pair for ``user``: ``{"access": ..., "refresh": ...}``."""
    refresh = RefreshToken.for_user(user)
    refresh[TOKEN_VERSION_CLAIM] = user.token_version
    refresh[SESSION_CLAIM] = refresh[api_settings.JTI_CLAIM]
    access = refresh.access_token  # copies ver and sid
    return {"access": str(access), "refresh": str(refresh)}


def user_for_token(*, user_id: object, session_id: str | None) -> User | None:
    """The user a bearer token names (None if there is none), with ``session_revoked`` true once the
    token's session (the refresh token it came from) was logged out or rotated away.

    Every authenticated API request runs this, so it is one fixed SQL statement: building the same
    lookup through the ORM (a queryset with an ``Exists`` annotation) cost more CPU than running it
    (bench/api_load.py, py-spy)."""
    try:
        key = User._meta.pk.to_python(user_id)
    except ValidationError:
        return None
    found = list(User.objects.raw(_user_for_token_sql(), [session_id or "", key]))
    return found[0] if found else None


@functools.cache
def _user_for_token_sql() -> str:
    from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken

    name = connection.ops.quote_name
    users, blacklisted, outstanding = User._meta, BlacklistedToken._meta, OutstandingToken._meta
    revoked = (
        f"SELECT 1 FROM {name(blacklisted.db_table)} b JOIN {name(outstanding.db_table)} o "
        f"ON b.{name(blacklisted.get_field('token').column)} = o.{name(outstanding.pk.column)} "
        f"WHERE o.{name(outstanding.get_field('jti').column)} = %s"
    )
    return (
        f"SELECT u.*, EXISTS ({revoked}) AS session_revoked FROM {name(users.db_table)} u "
        f"WHERE u.{name(users.pk.column)} = %s"
    )
