"""Download and progress routes. Order matters: fixed words (cancel, list, updates...) before ids."""

from __future__ import annotations

from django.urls import path, re_path

from downloads.api import views

_TYPE = r"(?P<download_type>track|album|playlist)"

urlpatterns = [
    re_path(rf"^{_TYPE}/download/cancel/?$", views.DownloadCancelView.as_view(), name="download-cancel"),
    path("artist/download/<path:artist_id>", views.ArtistDownloadView.as_view(), name="download-artist"),
    re_path(
        rf"^{_TYPE}/download/(?P<item_id>.+)$", views.DownloadRequestView.as_view(), name="download-request"
    ),
    path("prgs/list", views.TaskListView.as_view(), name="progress-list"),
    path("prgs/updates", views.TaskUpdatesView.as_view(), name="progress-updates"),
    path("prgs/stream/ticket", views.StreamTicketView.as_view(), name="progress-stream-ticket"),
    path("prgs/cancel/all", views.TaskCancelAllView.as_view(), name="progress-cancel-all"),
    path("prgs/cancel/<str:task_id>", views.TaskCancelView.as_view(), name="progress-cancel"),
    path("prgs/delete/<str:task_id>", views.TaskDeleteView.as_view(), name="progress-delete"),
    path("prgs/<str:task_id>", views.TaskProgressView.as_view(), name="progress-get"),
]
