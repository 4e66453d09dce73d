"""The dashboard's pages, mounted at the site root (after /api/, /admin/ and /accounts/)."""

from __future__ import annotations

from django.urls import path, re_path

from spotizerr.dashboard.static_files import static_serve
from spotizerr.dashboard.views import (
    auth,
    catalog,
    credentials,
    history,
    home,
    imports,
    integrations,
    profile,
    queue,
    settings,
    spotify_account,
    users,
    watchlist,
)

app_name = "dashboard"

urlpatterns = [
    re_path(r"^static/(?P<path>.+)$", static_serve, name="static"),
    path("", home.home_view, name="home"),
    path("login/", auth.login_view, name="login"),
    path("register/", auth.register_view, name="register"),
    path("logout/", auth.logout_view, name="logout"),
    path("search/", catalog.search_view, name="search"),
    path("track/<str:track_id>/", catalog.track_view, name="track"),
    path("album/<str:album_id>/", catalog.album_view, name="album"),
    path("playlist/<str:playlist_id>/", catalog.playlist_view, name="playlist"),
    path("artist/<str:artist_id>/", catalog.artist_view, name="artist"),
    re_path(
        r"^download/(?P<download_type>track|album|playlist|artist)/(?P<item_id>[^/]+)/$",
        queue.download_view,
        name="download",
    ),
    path("import/", imports.import_view, name="import"),
    path("import/<uuid:import_id>/", imports.import_review_view, name="import-review"),
    path("import/<uuid:import_id>/download/", imports.import_download_view, name="import-download"),
    path("import/<uuid:import_id>/entries/<int:position>/", imports.import_fix_view, name="import-fix"),
    path("queue/", queue.queue_view, name="queue"),
    path("queue/cancel-all/", queue.queue_cancel_all_view, name="queue-cancel-all"),
    path("queue/retry-failed/", queue.queue_retry_failed_view, name="queue-retry-failed"),
    path("queue/clear/", queue.queue_clear_view, name="queue-clear"),
    path("queue/<str:task_id>/cancel/", queue.task_cancel_view, name="task-cancel"),
    path("queue/<str:task_id>/delete/", queue.task_delete_view, name="task-delete"),
    path("queue/<str:task_id>/retry/", queue.task_retry_view, name="task-retry"),
    path("history/", history.history_view, name="history"),
    path("history/stats/", history.history_stats_view, name="history-stats"),
    path("history/<str:task_id>/", history.history_entry_view, name="history-entry"),
    path("watchlist/", watchlist.watchlist_view, name="watchlist"),
    re_path(
        r"^watch/(?P<kind>playlist|artist)/(?P<spotify_id>[^/]+)/$",
        watchlist.watch_toggle_view,
        name="watch-toggle",
    ),
    re_path(
        r"^watch/(?P<kind>playlist|artist)/(?P<spotify_id>[^/]+)/cover/$",
        watchlist.watch_cover_view,
        name="watch-cover",
    ),
    re_path(
        r"^watch/(?P<kind>playlist|artist)/(?P<spotify_id>[^/]+)/check/$",
        watchlist.watch_check_view,
        name="watch-check",
    ),
    path("settings/", settings.settings_section_view, name="settings"),
    path("settings/formatting/preview/", settings.formatting_preview_view, name="formatting-preview"),
    path("settings/credentials/", credentials.credentials_view, name="credentials"),
    path("settings/credentials/test/", credentials.credential_test_view, name="credential-test"),
    path(
        "settings/credentials/<str:service>/<str:name>/test/",
        credentials.credential_test_stored_view,
        name="credential-test-stored",
    ),
    path(
        "settings/credentials/<str:service>/<str:name>/update/",
        credentials.credential_update_view,
        name="credential-update",
    ),
    path(
        "settings/credentials/<str:service>/<str:name>/activate/",
        credentials.credential_activate_view,
        name="credential-activate",
    ),
    path(
        "settings/credentials/<str:service>/<str:name>/delete/",
        credentials.credential_delete_view,
        name="credential-delete",
    ),
    path("settings/media-servers/add/", integrations.media_server_add_view, name="media-server-add"),
    path(
        "settings/media-servers/<int:server_id>/test/",
        integrations.media_server_test_view,
        name="media-server-test",
    ),
    path(
        "settings/media-servers/<int:server_id>/delete/",
        integrations.media_server_delete_view,
        name="media-server-delete",
    ),
    path("notifications/add/", integrations.target_add_view, name="notification-target-add"),
    path(
        "notifications/<int:target_id>/test/", integrations.target_test_view, name="notification-target-test"
    ),
    path(
        "notifications/<int:target_id>/delete/",
        integrations.target_delete_view,
        name="notification-target-delete",
    ),
    path("settings/users/", users.users_view, name="users"),
    path("settings/users/<str:username>/role/", users.user_role_view, name="user-role"),
    path("settings/users/<str:username>/password/", users.user_password_view, name="user-password"),
    path("settings/users/<str:username>/active/", users.user_active_view, name="user-active"),
    path("settings/users/<str:username>/delete/", users.user_delete_view, name="user-delete"),
    path("settings/<str:section>/", settings.settings_section_view, name="settings-section"),
    path("profile/", profile.profile_view, name="profile"),
    path("profile/sso/<str:provider>/link/", profile.sso_link_view, name="sso-link"),
    path("profile/spotify/link/", spotify_account.spotify_link_view, name="spotify-link"),
    path("profile/spotify/paste/", spotify_account.spotify_paste_view, name="spotify-paste"),
    path("profile/spotify/unlink/", spotify_account.spotify_unlink_view, name="spotify-unlink"),
    path("profile/sso/<str:provider>/unlink/", profile.sso_unlink_view, name="sso-unlink"),
]
