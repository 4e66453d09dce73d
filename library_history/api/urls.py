"""Mounted at ``/api/history/``. Named routes come before ``<task_id>``; slashes are optional."""

from __future__ import annotations

from django.urls import path, re_path

from library_history.api import views

_UUID = r"(?P<task_id>[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12})"

urlpatterns = [
    path("", views.HistoryListView.as_view(), name="history-list"),
    re_path(r"^stats/?$", views.HistoryStatsView.as_view(), name="history-stats"),
    re_path(r"^search/?$", views.HistorySearchView.as_view(), name="history-search"),
    re_path(r"^recent/?$", views.HistoryRecentView.as_view(), name="history-recent"),
    re_path(r"^failed/?$", views.HistoryFailedView.as_view(), name="history-failed"),
    re_path(r"^cleanup/?$", views.HistoryCleanupView.as_view(), name="history-cleanup"),
    re_path(rf"^{_UUID}/?$", views.HistoryDetailView.as_view(), name="history-detail"),
    re_path(rf"^{_UUID}/children/?$", views.HistoryChildrenView.as_view(), name="history-children"),
]
