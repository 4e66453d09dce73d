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


class SpotifyAccount(models.Model):
    """A user's linked Spotify account (Authorization Code with PKCE). Both tokens are Fernet ciphertext
    (``spotizerr.lib.crypto``), never returned by any endpoint; the row is deleted on unlink."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="spotify_account")
    spotify_user_id = models.CharField(max_length=255)
    display_name = models.CharField(max_length=255, blank=True, default="")
    scopes = models.JSONField(default=list, blank=True)
    access_token_encrypted = models.TextField(help_text="Fernet ciphertext; never the token itself.")
    refresh_token_encrypted = models.TextField(help_text="Fernet ciphertext; never the token itself.")
    expires_at = models.DateTimeField(help_text="When the access token expires.")
    linked_at = models.DateTimeField(auto_now_add=True)
    refreshed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.user} as Spotify user {self.spotify_user_id}"


class SpotifyLinkState(models.Model):
    """One started link: the OAuth ``state`` (stored as its SHA-256) bound to the user who started it, with
    the PKCE verifier (encrypted). Single use; older than ``LIFETIME`` it is refused and purged."""

    LIFETIME_SECONDS = 600

    state_hash = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="spotify_link_states")
    verifier_encrypted = models.TextField()
    redirect_uri = models.CharField(max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Spotify link of {self.user} started {self.created_at:%Y-%m-%d %H:%M}"
