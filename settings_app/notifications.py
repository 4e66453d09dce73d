"""Notification targets (Apprise URLs) and the sending of messages to them.

Messages leave in the worker (``settings_app.tasks.notification_send``), one job per target, enqueued
after the transaction that caused them commits: a slow or dead target never holds up a download.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable
from functools import partial
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from accounts.models import User
from settings_app.models import NotificationEvent, NotificationTarget
from spotizerr.errors import BadRequest, NotFound
from spotizerr.integrations.notify.transport import (
    AppriseTransport,
    url_private_host,
    url_problem,
    url_scheme,
)
from spotizerr.integrations.transport import TransportError
from spotizerr.lib import crypto

logger = logging.getLogger(__name__)
EVENTS: tuple[str, ...] = tuple(NotificationEvent.values)


def _check(name: Any, url: Any, events: Any) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not isinstance(name, str) or not name.strip() or len(name) > 100 or "\x00" in name:
        errors["name"] = ["must be a non-empty string of at most 100 characters"]
    problem = (
        url_problem(url) if isinstance(url, str) and "\x00" not in url else "must be a string without NUL"
    )
    if problem:
        errors["url"] = [problem]
    if not isinstance(events, list) or not events or not all(event in EVENTS for event in events):
        errors["events"] = [f"must be a non-empty list of: {', '.join(EVENTS)}"]
    return errors


def _private_host_problem(url: str) -> str | None:
    """Why a user may not add ``url``: it makes the server connect into the local network (SSRF)."""
    host = url_private_host(url)
    if not host:
        return None
    return (
        f"points at {host}, a local or private address; only an administrator may add such a target "
        "(as an operator-wide one), unless the operator sets SPOTIZERR_NOTIFY_ALLOW_PRIVATE"
    )


def notification_target_create(*, owner: User | None, name: Any, url: Any, events: Any) -> NotificationTarget:
    """A new target; ``owner`` None makes it operator-wide. Raises ``BadRequest`` naming bad fields."""
    errors = _check(name, url, events)
    if not errors and owner is not None and not owner.is_admin and not settings.NOTIFY_ALLOW_PRIVATE:
        problem = _private_host_problem(url)
        if problem:
            errors["url"] = [problem]
    if errors:
        raise BadRequest("Invalid notification target.", details=errors, code="invalid")
    return NotificationTarget.objects.create(
        owner=owner,
        name=name.strip(),
        url_encrypted=crypto.encrypt(url.strip()),
        scheme=url_scheme(url.strip()),
        events=list(dict.fromkeys(events)),
    )


def notification_targets_visible(*, user: User) -> QuerySet[NotificationTarget]:
    """The user's own targets, and the operator-wide ones for an admin."""
    mine = Q(owner=user)
    return NotificationTarget.objects.filter(mine | Q(owner__isnull=True) if user.is_admin else mine)


def notification_target_get(*, user: User, target_id: int) -> NotificationTarget:
    target = notification_targets_visible(user=user).filter(pk=target_id).first()
    if target is None:
        raise NotFound("No such notification target.")
    return target


def notification_target_delete(*, user: User, target_id: int) -> None:
    notification_target_get(user=user, target_id=target_id).delete()


def notification_dispatch(
    *, event: str, owner_ids: Iterable[int], title: str, body: str, kind: str = "info"
) -> int:
    """Queue ``title``/``body`` for every enabled target that wants ``event``: the operator-wide
    ones and those of the users ``owner_ids``. Returns how many were queued."""
    from django_q.tasks import async_task

    owners = Q(owner__isnull=True) | Q(owner_id__in=list(owner_ids))
    targets = [
        target.pk
        for target in NotificationTarget.objects.filter(owners, enabled=True)
        if event in (target.events or [])
    ]
    for target_id in targets:
        transaction.on_commit(
            partial(
                async_task,
                "settings_app.tasks.notification_send",
                target_id,
                title,
                body,
                kind,
                group="notifications",
            )
        )
    return len(targets)


HEALTH_REPEAT_SECONDS = 3600


def notification_health_problem(*, key: str, title: str, body: str) -> bool:
    """Tell the operator-wide targets about a Spotify or source problem, at most once an hour per
    ``key`` (a problem that persists is not repeated at every check). True when queued."""
    from django.core.cache import cache

    if not cache.add(f"notify:health:{key}", 1, timeout=HEALTH_REPEAT_SECONDS):
        return False
    event = NotificationEvent.HEALTH_PROBLEM
    return notification_dispatch(event=event, owner_ids=[], title=title, body=body, kind="failure") > 0


def notification_deliver(*, target_id: int, title: str, body: str, kind: str = "info") -> bool:
    """Send one message with a bounded retry (``NOTIFY_RETRY_DELAYS``), then record how it went. A
    target whose messages keep failing is marked (``failing``), shown, and still tried."""
    target = NotificationTarget.objects.filter(pk=target_id, enabled=True).first()
    if target is None:
        return False
    error: TransportError | None = None
    for delay in (0.0, *settings.NOTIFY_RETRY_DELAYS):
        time.sleep(delay)
        try:
            AppriseTransport(target.url, timeout=settings.INTEGRATION_TIMEOUT_SECONDS).send(
                title=title, body=body, kind=kind
            )
        except TransportError as failed:
            error = failed
            if failed.permanent:
                break
            continue
        _record(target, None)
        return True
    _record(target, error)
    return False


def notification_test(*, user: User, target_id: int) -> tuple[bool, str]:
    """Send a test message now (not through the queue) and say whether it went."""
    target = notification_target_get(user=user, target_id=target_id)
    try:
        AppriseTransport(target.url, timeout=settings.INTEGRATION_TIMEOUT_SECONDS).send(
            title="Spotizerr test", body=f"This is a test message for {target.name!r}.", kind="info"
        )
    except TransportError as error:
        _record(target, error)
        return False, error.message
    _record(target, None)
    return True, ""


def _record(target: NotificationTarget, error: TransportError | None) -> None:
    now = timezone.now()
    rows = NotificationTarget.objects.filter(pk=target.pk)
    if error is None:
        rows.update(failures=0, last_error="", last_sent_at=now)
        return
    logger.warning("Notification target %s failed: %s", target.pk, error.message)
    rows.update(failures=F("failures") + 1, last_error=error.message[:1000], last_failed_at=now)
