"""JWT issuance: every token carries the user's ``token_version`` so it can be revoked."""

from __future__ import annotations

from rest_framework_simplejwt.tokens import RefreshToken

from accounts.authentication import TOKEN_VERSION_CLAIM
from accounts.models import User


def issue_token_pair(user: User) -> dict[str, str]:
    """A fresh refresh/access pair for ``user``."""
    refresh = RefreshToken.for_user(user)
    refresh[TOKEN_VERSION_CLAIM] = user.token_version
    access = refresh.access_token
    access[TOKEN_VERSION_CLAIM] = user.token_version
    return {"access": str(access), "refresh": str(refresh)}
