"""Serializers of the integrations' endpoints (notification targets, media servers, Test buttons)."""

from __future__ import annotations

from rest_framework import serializers

from settings_app.models import NotificationEvent, NotificationTarget


class NotificationTargetSerializer(serializers.ModelSerializer):
    """A target as shown: the URL itself (it holds tokens) is never returned, only its scheme."""

    scope = serializers.SerializerMethodField()
    failing = serializers.BooleanField(read_only=True)

    class Meta:
        model = NotificationTarget
        fields = [
            "id",
            "name",
            "scheme",
            "scope",
            "events",
            "enabled",
            "failing",
            "failures",
            "last_error",
            "last_sent_at",
            "last_failed_at",
        ]
        read_only_fields = fields

    def get_scope(self, target: NotificationTarget) -> str:
        return "operator" if target.owner_id is None else "user"


class NotificationTargetCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    url = serializers.CharField(help_text="An Apprise URL, e.g. ntfy://topic or json://host/path.")
    events = serializers.ListField(child=serializers.ChoiceField(choices=NotificationEvent.values))
    scope = serializers.ChoiceField(
        choices=["user", "operator"], default="user", help_text="operator: everyone's events (admins only)."
    )


class IntegrationTestResultSerializer(serializers.Serializer):
    ok = serializers.BooleanField()
    detail = serializers.CharField(help_text="What the service answered, or why it failed and what to do.")
