"""Django admin: watched playlists and artists with their watchers, read-only (changes go through the
services: the API, or the "check now" action here)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from watching import services
from watching.models import Watch, WatchTarget


class WatchInline(admin.TabularInline):
    model = Watch
    extra = 0
    can_delete = False
    fields = ("user", "watch_new", "download_existing", "album_types", "created_at")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: WatchTarget | None = None) -> bool:
        return False


@admin.register(WatchTarget)
class WatchTargetAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "kind",
        "spotify_id",
        "last_checked_at",
        "next_check_at",
        "last_result",
        "last_error",
    ]
    list_filter = ["kind"]
    search_fields = ["name", "spotify_id"]
    inlines = [WatchInline]
    actions = ["check_now"]
    exclude = ["cursor"]

    def get_readonly_fields(self, request: HttpRequest, obj: WatchTarget | None = None) -> list[str]:
        return [field.name for field in WatchTarget._meta.fields if field.name != "cursor"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description="Check the selected watches now")
    def check_now(self, request: HttpRequest, queryset: QuerySet[WatchTarget]) -> None:
        count = services.watch_checks_request(targets=list(queryset))
        self.message_user(request, f"{count} checks requested.", messages.SUCCESS)
