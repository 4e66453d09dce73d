from __future__ import annotations

from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

urlpatterns = [
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
    path("api/auth/", include("accounts.api.urls")),
    path("api/spotify/", include("accounts.spotify.urls")),  # account*; me/playlists is in watching
    path("api/", include("spotizerr.catalog.urls")),  # before settings_app: owns credentials/markets
    path("api/", include("settings_app.api.urls")),
    path("api/", include("playlist_imports.api.urls")),  # before downloads: owns playlist/download/import:*
    path("api/", include("downloads.api.urls")),
    path("api/", include("watching.api.urls")),
    path("api/history/", include("library_history.api.urls")),
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("", include("spotizerr.dashboard.urls")),
]

handler400 = "spotizerr.views.bad_request"
handler404 = "spotizerr.views.not_found"
handler500 = "spotizerr.views.server_error"
