"""Read-mostly admin for download tasks and the library index. Actions go through the services."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from accounts.current import request_user
from downloads import cancelling, requeue
from downloads.models import DownloadTask, LibraryFile, TaskEvent, TrackJob
from spotizerr.errors import ApiError


class TrackJobInline(admin.TabularInline):
    model = TrackJob
    fields = (
        "position",
        "name",
        "artist",
        "status",
        "reason",
        "source",
        "quality",
        "is_preview",
        "file_path",
        "attempts",
        "retries",
    )
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(DownloadTask)
class DownloadTaskAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "artist",
        "download_type",
        "status",
        "progress",
        "owner",
        "created_at",
        "finished_at",
    )
    list_filter = ("status", "download_type")
    search_fields = ("name", "artist", "item_id", "owner__username")
    readonly_fields = [field.name for field in DownloadTask._meta.fields]
    inlines = [TrackJobInline]
    actions = ["cancel_tasks", "delete_finished_tasks"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False  # deleting goes through the action, which refuses running tasks

    @admin.action(description="Cancel the selected tasks")
    def cancel_tasks(self, request: HttpRequest, queryset: QuerySet[DownloadTask]) -> None:
        done = 0
        for task in queryset:
            try:
                cancelling.task_cancel(user=request_user(request), task_id=task.pk)
                done += 1
            except ApiError as error:
                self.message_user(request, f"{task}: {error.message}", messages.WARNING)
        self.message_user(request, f"Cancelled {done} task(s).")

    @admin.action(description="Delete the selected finished tasks")
    def delete_finished_tasks(self, request: HttpRequest, queryset: QuerySet[DownloadTask]) -> None:
        done = 0
        for task in queryset:
            try:
                requeue.task_delete(user=request_user(request), task_id=task.pk)
                done += 1
            except ApiError as error:
                self.message_user(request, f"{task}: {error.message}", messages.WARNING)
        self.message_user(request, f"Deleted {done} task(s).")


@admin.register(LibraryFile)
class LibraryFileAdmin(admin.ModelAdmin):
    list_display = ("relative_path", "spotify_id", "isrc", "source", "quality", "is_preview", "created_at")
    list_filter = ("source", "is_preview")
    search_fields = ("relative_path", "spotify_id", "isrc")
    readonly_fields = [field.name for field in LibraryFile._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(TaskEvent)
class TaskEventAdmin(admin.ModelAdmin):
    list_display = ("id", "task_uuid", "kind", "status", "owner", "created_at")
    list_filter = ("kind", "status")
    readonly_fields = [field.name for field in TaskEvent._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
