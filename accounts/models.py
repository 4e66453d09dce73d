from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractUser
from django.db import models


class User(AbstractUser):
    """A person using Spotizerr. ``role`` is the only source of admin rights.

    ``token_version`` is part of every JWT; bumping it (password change, role change,
    deactivation) makes every token issued before stop working on the next request.
    """

    class Role(models.TextChoices):
        USER = "user", "User"
        ADMIN = "admin", "Admin"

    role = models.CharField(max_length=10, choices=Role.choices, default=Role.USER)
    email = models.EmailField(blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    sso_provider = models.CharField(max_length=30, blank=True, null=True, default=None)  # noqa: DJ001 - None means "no SSO", kept distinct from ""
    token_version = models.PositiveIntegerField(default=0)
    is_system = models.BooleanField(default=False, help_text="The built-in user that acts when auth is off.")

    @property
    def is_admin(self) -> bool:
        return self.role == self.Role.ADMIN

    @property
    def is_sso_user(self) -> bool:
        return bool(self.sso_provider)

    def get_session_auth_hash(self) -> str:
        """Sessions end together with tokens: the hash covers ``token_version`` as well as the password."""
        from django.utils.crypto import salted_hmac

        return salted_hmac(
            "spotizerr.accounts.session", f"{self.password}:{self.token_version}", algorithm="sha256"
        ).hexdigest()

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Django admin access follows the role; nothing else may grant it.
        self.is_staff = self.is_superuser = self.role == self.Role.ADMIN
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "role" in update_fields:
            kwargs["update_fields"] = {*update_fields, "is_staff", "is_superuser"}
        super().save(*args, **kwargs)
