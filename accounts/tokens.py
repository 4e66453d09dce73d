"""JWT issuance and the claims that make tokens revocable.

Every token carries ``ver`` (the user's ``token_version``: bumping it kills every token issued
before) and ``sid`` (the jti of the refresh token it came from: blacklisting that refresh token,
at logout or rotation, also kills its access tokens). ``issue_token_pair`` is the only place
tokens are made.
"""

from __future__ import annotations

from django.db.models import Exists
from rest_framework_simplejwt.settings import api_settings
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken
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


def session_revoked(session_id: str) -> Exists:
    """True (as a query expression) once the refresh token with this jti was blacklisted (logout or
    rotation); annotated onto the user lookup, so a request costs one query, not two."""
    return Exists(BlacklistedToken.objects.filter(token__jti=session_id))
