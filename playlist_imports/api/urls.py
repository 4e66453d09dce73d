"""Import routes under ``/api/`` (included before downloads so ``playlist/download/import:...`` lands here)."""

from __future__ import annotations

from django.urls import path, re_path

from playlist_imports.api import views

urlpatterns = [
    path("playlist/import", views.ImportCreateView.as_view(), name="playlist-import"),
    path(
        "playlist/import/<str:playlist_id>", views.ImportDetailView.as_view(), name="playlist-import-detail"
    ),
    path(
        "playlist/import/<str:playlist_id>/entries/<int:position>",
        views.ImportEntryFixView.as_view(),
        name="playlist-import-entry",
    ),
    re_path(
        r"^playlist/download/(?P<item_id>import:[0-9a-fA-F-]{32,36})$",
        views.ImportDownloadView.as_view(),
        name="playlist-import-download",
    ),
]
