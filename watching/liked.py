"""Liked Songs as a watched playlist: the API id ``liked`` is one user's list, so its ``WatchTarget`` is that
user's own (``liked:<user pk>``) and is always read with that user's linked Spotify account."""

from __future__ import annotations

from accounts.models import User
from spotizerr.integrations.spotify import LIKED_ID

LIKED_PREFIX = "liked:"


def target_spotify_id(*, user: User, playlist_id: str) -> str:
    """The ``WatchTarget.spotify_id`` of an API playlist id for ``user``."""
    return f"{LIKED_PREFIX}{user.pk}" if playlist_id == LIKED_ID else playlist_id


def client_playlist_id(spotify_id: str) -> str:
    """The id to ask the Spotify client for (``liked`` for any user's Liked Songs target)."""
    return LIKED_ID if spotify_id.startswith(LIKED_PREFIX) else spotify_id


def liked_owner_pk(spotify_id: str) -> int | None:
    """The user whose Liked Songs a target is, or None for an ordinary playlist."""
    return int(spotify_id[len(LIKED_PREFIX) :]) if spotify_id.startswith(LIKED_PREFIX) else None


def liked_owner(spotify_id: str) -> User | None:
    """The user whose Liked Songs a target is (None for an ordinary playlist, or a user since deleted)."""
    owner_pk = liked_owner_pk(spotify_id)
    return None if owner_pk is None else User.objects.filter(pk=owner_pk).first()
