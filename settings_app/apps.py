from __future__ import annotations

from django.apps import AppConfig


class SettingsAppConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "settings_app"
    verbose_name = "Settings and credentials"

    def ready(self) -> None:
        from settings_app.selectors import active_spotify_credentials
        from spotizerr.integrations.spotify.client import set_credentials_provider

        # the Spotify client reads the credentials this app stores, without importing it
        set_credentials_provider(active_spotify_credentials)
