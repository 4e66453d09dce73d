"""When checks run: per-target due times, lanes limited to ``max_concurrent_checks``, claims with leases.

A django-q2 schedule calls ``watch_lanes_start`` every minute (``SCHEDULE_TICK``). It claims a free
``CheckSlot`` for each lane it may start and enqueues ``watch_lane_run``, which claims due targets one
after another (a conditional update on the target's lease, so a check is never started twice; an
expired lease is taken over, so a crashed check is picked up again) until nothing is due before the
tick's horizon. The horizon looks one tick ahead, so a target is checked at most ``check_interval``
after its previous check rather than up to a tick later.
"""

from __future__ import annotations

import logging
import time
import uuid
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from settings_app.selectors import get_watch_config
from spotizerr.integrations.spotify import blocked_for
from watching import selectors
from watching.models import CheckSlot, WatchTarget
from watching.services.checks import target_check
from watching.services.common import CHECK_LEASE

logger = logging.getLogger(__name__)

SCHEDULE_NAME = "watching-checks"
SCHEDULE_TICK = timedelta(minutes=1)
SLOT_LEASE = timedelta(minutes=10)  # renewed before every check a lane starts
LANE_BUDGET_SECONDS = 240.0  # a lane hands its worker back after this; the next tick starts another
LANE_TASK = "watching.tasks.watch_lane_task"
MAX_SLOTS = 16  # the largest max_concurrent_checks the watch configuration allows
CLAIM_CANDIDATES = 10


def watch_schedule_ensure() -> None:
    """Create (once) the django-q2 schedule that starts due checks every minute."""
    from django_q.models import Schedule

    Schedule.objects.update_or_create(
        name=SCHEDULE_NAME,
        defaults={
            "func": "watching.tasks.watch_lanes_start_task",
            "schedule_type": Schedule.MINUTES,
            "minutes": 1,
            "repeats": -1,
        },
    )


def _slot_claim(slot: int, now: datetime) -> str | None:
    holder = f"lane-{slot}-{uuid.uuid4().hex[:12]}"
    try:
        CheckSlot.objects.get_or_create(pk=slot)
    except IntegrityError:  # created meanwhile by another starter
        pass
    free = Q(holder="") | Q(lease_until__isnull=True) | Q(lease_until__lt=now)
    claimed = CheckSlot.objects.filter(free, pk=slot).update(holder=holder, lease_until=now + SLOT_LEASE)
    return holder if claimed else None


def _slot_renew(slot: int, holder: str, now: datetime) -> bool:
    return bool(CheckSlot.objects.filter(pk=slot, holder=holder).update(lease_until=now + SLOT_LEASE))


def _slot_release(slot: int, holder: str) -> None:
    CheckSlot.objects.filter(pk=slot, holder=holder).update(holder="", lease_until=None)


def _paused(config: dict, slot: int | None = None) -> bool:
    """Watching is off, Spotify asked everyone to back off, or this lane's slot is above the limit."""
    return (
        not config["enabled"]
        or blocked_for() > 0
        or (slot is not None and slot > config["max_concurrent_checks"])
    )


def watch_lanes_start(*, now: datetime | None = None) -> int:
    """Start up to ``max_concurrent_checks`` lanes (fewer when fewer targets are due or slots are busy)
    and return how many started. Nothing starts while watching is off or Spotify's back-off lasts."""
    config = get_watch_config()
    if _paused(config):
        return 0
    at = now or timezone.now()
    horizon = at + SCHEDULE_TICK
    due = selectors.targets_due(horizon=horizon, now=at)[:MAX_SLOTS].count()
    started = 0
    for slot in range(1, config["max_concurrent_checks"] + 1):
        if started >= due or blocked_for() > 0:  # a lane run inline (sync mode) may have hit a 429
            break
        holder = _slot_claim(slot, at)
        if holder is None:
            continue
        _lane_enqueue(slot=slot, holder=holder, horizon=horizon, now=now)
        started += 1
    return started


def _lane_enqueue(*, slot: int, holder: str, horizon: datetime, now: datetime | None) -> None:
    from django_q.tasks import async_task

    async_task(
        LANE_TASK, slot, holder, horizon.isoformat(), now.isoformat() if now else None, group="watching"
    )


def target_claim_next(*, holder: str, horizon: datetime, now: datetime) -> WatchTarget | None:
    """Claim the most overdue free target for ``holder``; None when nothing is due before ``horizon``."""
    free = Q(lease_until__isnull=True) | Q(lease_until__lt=now)
    for pk in selectors.targets_due(horizon=horizon, now=now).values_list("pk", flat=True)[:CLAIM_CANDIDATES]:
        claimed = WatchTarget.objects.filter(free, pk=pk, next_check_at__lt=horizon).update(
            lease_holder=holder, lease_until=now + CHECK_LEASE
        )
        if claimed:
            return WatchTarget.objects.get(pk=pk)
    return None


def _check_safely(target: WatchTarget, holder: str, now: datetime | None) -> None:
    """One check; an unexpected failure is logged once and recorded, and the lane goes on."""
    try:
        target_check(target=target, holder=holder, now=now)
    except Exception as error:  # the lane is a runner: one broken check must not stop the others
        logger.exception("Check of %s failed", target)
        WatchTarget.objects.filter(pk=target.pk, lease_holder=holder).update(
            lease_holder="",
            lease_until=None,
            last_error=f"Internal error: {type(error).__name__}",
            next_check_at=(now or timezone.now()) + timedelta(seconds=get_watch_config()["check_interval"]),
        )


def watch_lane_run(*, slot: int, holder: str, horizon: datetime, now: datetime | None = None) -> int:
    """Run due checks one after another while ``holder`` keeps ``slot``; return how many ran.

    Stops when nothing is due before ``horizon``, watching is switched off, Spotify's back-off starts,
    the slot is above a lowered limit or the lane's time budget is spent; then frees the slot.
    """
    started = time.monotonic()
    checked = 0
    try:
        while time.monotonic() - started < LANE_BUDGET_SECONDS:
            at = now or timezone.now()
            if _paused(get_watch_config(), slot) or not _slot_renew(slot, holder, at):
                break
            target = target_claim_next(holder=holder, horizon=horizon, now=at)
            if target is None:
                break
            _check_safely(target, holder, now)
            checked += 1
    finally:
        _slot_release(slot, holder)
    return checked


def watch_checks_request(*, targets: list[WatchTarget], now: datetime | None = None) -> int:
    """Make ``targets`` due now and start lanes once the caller's transaction commits; returns how many."""
    at = now or timezone.now()
    count = WatchTarget.objects.filter(pk__in=[target.pk for target in targets]).update(next_check_at=at)
    transaction.on_commit(lambda: watch_lanes_start(now=now))
    return count
