"""Django admin: imported playlists, read-only (changes go through the services: the API and dashboard)."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from playlist_imports.models import PlaylistImport


@admin.register(PlaylistImport)
class PlaylistImportAdmin(admin.ModelAdmin):
    list_display = ["name", "owner", "kind", "status", "created_at"]
    list_filter = ["kind", "status"]
    search_fields = ["name", "owner__username"]
    readonly_fields = [
        "owner",
        "name",
        "kind",
        "source_ref",
        "status",
        "revision",
        "heartbeat_at",
        "requeued_at",
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: PlaylistImport | None = None) -> bool:
        return False
