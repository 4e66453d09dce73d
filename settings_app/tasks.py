"""django-q2 entry points of settings_app (thin: they call services)."""

from __future__ import annotations

from settings_app.notifications import notification_deliver


def notification_send(target_id: int, title: str, body: str, kind: str = "info") -> bool:
    """Deliver one message to one target; safe to run twice (a duplicate message at worst)."""
    return notification_deliver(target_id=target_id, title=title, body=body, kind=kind)
