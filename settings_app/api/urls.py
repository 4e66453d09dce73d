"""Routes under ``/api/``. Fixed names come before ``credentials/<service>`` so they stay reachable;
``credentials/markets`` is served by ``spotizerr.catalog`` (included earlier)."""

from __future__ import annotations

from django.urls import path

from settings_app.api import config_views, credential_views, media_server_views, notification_views

urlpatterns = [
    path("media-servers", media_server_views.MediaServerListView.as_view(), name="media-servers"),
    path(
        "media-servers/<int:server_id>",
        media_server_views.MediaServerDetailView.as_view(),
        name="media-server",
    ),
    path(
        "media-servers/<int:server_id>/test",
        media_server_views.MediaServerTestView.as_view(),
        name="media-server-test",
    ),
    path(
        "notifications/targets",
        notification_views.NotificationTargetListView.as_view(),
        name="notification-targets",
    ),
    path(
        "notifications/targets/<int:target_id>",
        notification_views.NotificationTargetDetailView.as_view(),
        name="notification-target",
    ),
    path(
        "notifications/targets/<int:target_id>/test",
        notification_views.NotificationTargetTestView.as_view(),
        name="notification-target-test",
    ),
    path("config/", config_views.ConfigView.as_view(), name="config"),
    path("config/check", config_views.ConfigCheckView.as_view(), name="config-check"),
    path("config/validate", config_views.ConfigValidateView.as_view(), name="config-validate"),
    path("config/watch", config_views.WatchConfigView.as_view(), name="config-watch"),
    path(
        "config/watch/validate", config_views.WatchConfigValidateView.as_view(), name="config-watch-validate"
    ),
    path(
        "credentials/spotify_api_config",
        credential_views.SpotifyApiConfigView.as_view(),
        name="credentials-spotify-api-config",
    ),
    path(
        "credentials/all/<str:service>", credential_views.CredentialListView.as_view(), name="credentials-all"
    ),
    path(
        "credentials/<str:service>", credential_views.CredentialNamesView.as_view(), name="credentials-names"
    ),
    path(
        "credentials/<str:service>/<str:name>",
        credential_views.CredentialDetailView.as_view(),
        name="credentials-detail",
    ),
    path(
        "credentials/<str:service>/<str:name>/test",
        credential_views.CredentialTestView.as_view(),
        name="credentials-test",
    ),
]
