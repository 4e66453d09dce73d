"""Password rules beyond Django's validators (``AUTH_PASSWORD_VALIDATORS``)."""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError

_NOT_ALNUM = re.compile(r"[\W_]+")


def _folded(text: str) -> str:
    return _NOT_ALNUM.sub("", text.casefold())


class ContainsUserNameValidator:
    """Refuses a password that contains the user name or the email's local part.

    Django's ``UserAttributeSimilarityValidator`` compares whole strings, so its similarity falls as
    the password grows: ``alice`` / ``alice-in-chains`` scores 0.5 and passes its 0.7 threshold.
    Names shorter than ``min_length`` are ignored (``al`` is part of too many words)."""

    def __init__(self, min_length: int = 3) -> None:
        self.min_length = min_length

    def validate(self, password: str, user: Any = None) -> None:
        if user is None:
            return
        folded = _folded(password)
        email = getattr(user, "email", "") or ""
        for label, value in (("user name", user.get_username()), ("email address", email.split("@")[0])):
            name = _folded(value or "")
            if len(name) >= self.min_length and name in folded:
                raise ValidationError(
                    f"The password contains your {label}; choose one that does not.",
                    code="password_contains_user_name",
                )

    def get_help_text(self) -> str:
        return "Your password cannot contain your user name or email address."
