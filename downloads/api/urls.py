"""Download and progress routes. Order matters: fixed words (cancel, list, updates...) before ids."""

from __future__ import annotations

from django.urls import path, re_path

from downloads.api import views, wanted_views

# One route (and schema operation) per kind, as the seed names them: /api/track/download/{track_id}...
_PER_KIND = [
    pattern
    for kind, (download, cancel) in views.download_kinds.items()
    for pattern in (
        re_path(rf"^{kind}/download/cancel/?$", cancel.as_view(), name=f"download-{kind}-cancel"),
        re_path(rf"^{kind}/download/(?P<{kind}_id>.+)$", download.as_view(), name=f"download-{kind}"),
    )
]

urlpatterns = [
    *_PER_KIND,
    *wanted_views.urlpatterns,
    path("artist/download/<path:artist_id>", views.ArtistDownloadView.as_view(), name="download-artist"),
    path("prgs/list", views.TaskListView.as_view(), name="progress-list"),
    path("prgs/updates", views.TaskUpdatesView.as_view(), name="progress-updates"),
    path("prgs/stream/ticket", views.StreamTicketView.as_view(), name="progress-stream-ticket"),
    path("prgs/cancel/all", views.TaskCancelAllView.as_view(), name="progress-cancel-all"),
    path("prgs/cancel/<str:task_id>", views.TaskCancelView.as_view(), name="progress-cancel"),
    path("prgs/delete/<str:task_id>", views.TaskDeleteView.as_view(), name="progress-delete"),
    path("prgs/clear", views.TaskClearView.as_view(), name="progress-clear"),
    # "failed" before the id: a task id is never that word, but the route would otherwise swallow it
    path("prgs/retry/failed", views.TaskRetryFailedView.as_view(), name="progress-retry-failed"),
    path("prgs/retry/<str:task_id>", views.TaskRetryView.as_view(), name="progress-retry"),
    path("prgs/<str:task_id>", views.TaskProgressView.as_view(), name="progress-get"),
]
