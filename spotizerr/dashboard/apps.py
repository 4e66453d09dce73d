from __future__ import annotations

from django.apps import AppConfig


class DashboardConfig(AppConfig):
    """The server-rendered dashboard (an app so its template tags load)."""

    name = "spotizerr.dashboard"
    label = "dashboard"
    verbose_name = "Dashboard"
