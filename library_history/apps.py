from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.conf import settings
from django.db.models.signals import pre_delete


class LibraryHistoryConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "library_history"
    verbose_name = "Library and history"

    def ready(self) -> None:
        # Bookkeeping, not business: like an ON DELETE trigger, it keeps the all-owner artist
        # totals exact however a user is deleted (service, admin, shell); their history cascades.
        pre_delete.connect(
            _forget_owner, sender=settings.AUTH_USER_MODEL, dispatch_uid="history_forget_owner"
        )


def _forget_owner(sender: type, instance: Any, **kwargs: Any) -> None:
    from library_history.counters import counters_forget_owner

    counters_forget_owner(owner_id=instance.pk)
