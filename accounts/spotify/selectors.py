"""Reads about linked Spotify accounts: the account of a user and the redirect URI to register."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings

from accounts.models import SpotifyAccount, User

CALLBACK_PATH = "/api/spotify/account/callback"


@dataclass(frozen=True)
class RedirectUri:
    """The redirect URI sent to Spotify. ``direct`` is False when ``SPOTIZERR_PUBLIC_URL`` is plain http on
    a host Spotify refuses (anything but https or a loopback IP literal): then the loopback address on our
    port is used, and a user on another machine pastes back the address their browser was sent to."""

    uri: str
    direct: bool


def _spotify_accepts(public_url: str) -> bool:
    parts = urlsplit(public_url)
    if parts.scheme == "https":
        return True
    try:
        return parts.scheme == "http" and ipaddress.ip_address(parts.hostname or "").is_loopback
    except ValueError:  # a host name: Spotify refuses http://localhost and every other name
        return False


def spotify_redirect_uri() -> RedirectUri:
    public = (settings.PUBLIC_URL or "").rstrip("/")
    if public and _spotify_accepts(public):
        return RedirectUri(f"{public}{CALLBACK_PATH}", direct=True)
    port = urlsplit(public).port or settings.PORT if public else settings.PORT
    return RedirectUri(f"http://127.0.0.1:{port}{CALLBACK_PATH}", direct=False)


def spotify_account_of(user: User) -> SpotifyAccount | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return SpotifyAccount.objects.filter(user=user).first()
