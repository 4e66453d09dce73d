"""Start-up chores run by ``manage.py bootstrap`` (and ``serve``). Each step is idempotent.

Apps register nothing here; this module calls their services, top-down.
"""

from __future__ import annotations

from collections.abc import Iterator


def run() -> Iterator[str]:
    from accounts import services as account_services

    message = account_services.ensure_initial_admin()
    if message:
        yield message
    try:
        from settings_app import services as settings_services
    except ImportError:  # pragma: no cover - settings app always present
        return
    seed = getattr(settings_services, "seed_from_environment", None)
    if seed is not None:
        yield from seed()
    from downloads.services import downloads_schedule_ensure

    downloads_schedule_ensure()  # the reaper that returns work of vanished workers to the queue
    from watching.services import watch_schedule_ensure

    watch_schedule_ensure()  # every minute: start the watch checks that are due
