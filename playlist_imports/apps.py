from __future__ import annotations

from django.apps import AppConfig


class PlaylistImportsConfig(AppConfig):
    """Imported playlists: track lists brought from links, CSV, M3U and Deezer, matched to Spotify.

    Placed between ``downloads`` and ``watching``: it reads inbox files through ``downloads.tagging``,
    matches with the inbox's normalisation and queues its downloads through ``downloads.services``;
    ``watching`` re-reads its sources on the watch schedule."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "playlist_imports"
    verbose_name = "Imported playlists"
