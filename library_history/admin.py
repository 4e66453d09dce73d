"""Django admin: browse history read-only; deleting and repairs go through the services."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from library_history import services
from library_history.models import HistoryEntry, HistoryTrack


class HistoryTrackInline(admin.TabularInline):
    model = HistoryTrack
    fields = ("position", "name", "artist", "status", "reason", "file_path", "size_bytes")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request: HttpRequest, obj: HistoryEntry | None = None) -> bool:
        return False


@admin.register(HistoryEntry)
class HistoryEntryAdmin(admin.ModelAdmin):
    list_display = ["created_at", "download_type", "name", "artist", "status", "owner", "service", "quality"]
    list_filter = ["download_type", "status", "service"]
    list_select_related = ["owner"]
    search_fields = ["name", "artist", "album", "=task_id"]
    show_full_result_count = False  # no COUNT(*) over the whole history on every page
    inlines = [HistoryTrackInline]
    actions = ["delete_history", "rebuild_counters"]

    def get_readonly_fields(self, request: HttpRequest, obj: HistoryEntry | None = None) -> list[str]:
        return [field.name for field in HistoryEntry._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: HistoryEntry | None = None) -> bool:
        return False  # the built-in delete would skip the counters; use the action instead

    def get_actions(self, request: HttpRequest) -> dict:
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    @admin.action(description="Delete selected history (library files are kept)")
    def delete_history(self, request: HttpRequest, queryset: QuerySet[HistoryEntry]) -> None:
        deleted = services.history_delete(task_ids=queryset.values_list("task_id", flat=True))
        self.message_user(request, f"Deleted {deleted} history entries.", messages.SUCCESS)

    @admin.action(description="Recount totals and stats from the entries")
    def rebuild_counters(self, request: HttpRequest, queryset: QuerySet[HistoryEntry]) -> None:
        services.history_counters_rebuild()
        self.message_user(request, "History counters rebuilt.", messages.SUCCESS)
