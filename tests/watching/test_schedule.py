"""The scheduler: per-watch due times, at most ``max_concurrent_checks`` at once, claims with leases."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.fakes.spotify_api import IDS
from watching.models import CheckSlot, WatchTarget
from watching.services import (
    target_claim_next,
    watch_lane_run,
    watch_lanes_start,
    watch_playlist_add,
    watch_schedule_ensure,
)

pytestmark = pytest.mark.django_db

A, B = IDS.small_playlist, IDS.big_playlist


@pytest.fixture
def two_watches(spotify, alice) -> None:
    """GIVEN alice watches two playlists."""
    watch_playlist_add(user=alice, playlist_id=A)
    watch_playlist_add(user=alice, playlist_id=B)


def _due(spotify_id: str, when) -> None:
    WatchTarget.objects.filter(spotify_id=spotify_id).update(next_check_at=when)


def _checked_at(spotify_id: str):
    return WatchTarget.objects.get(spotify_id=spotify_id).last_checked_at


def test_a_new_watch_is_first_checked_one_check_interval_after_it_was_added(
    spotify, alice, watch_config
) -> None:
    watch_config(check_interval=600)
    before = timezone.now()

    watch_playlist_add(user=alice, playlist_id=A)

    next_check = WatchTarget.objects.get().next_check_at
    assert before + timedelta(seconds=600) <= next_check <= timezone.now() + timedelta(seconds=600)


def test_each_watch_is_next_checked_one_check_interval_after_its_own_last_check(
    two_watches, check, later
) -> None:
    first, second = later(minutes=5), later(minutes=17)

    check(A, at=first)
    check(B, at=second)

    assert WatchTarget.objects.get(spotify_id=A).next_check_at == first + timedelta(hours=1)
    assert WatchTarget.objects.get(spotify_id=B).next_check_at == second + timedelta(hours=1)


def test_a_tick_checks_the_watches_that_are_due_and_leaves_the_others(
    two_watches, inline_queue, later
) -> None:
    tick = later(hours=3)
    _due(A, tick - timedelta(seconds=10))
    _due(B, tick + timedelta(minutes=10))
    b_checked = _checked_at(B)

    watch_lanes_start(now=tick)

    assert (_checked_at(A), _checked_at(B)) == (tick, b_checked)


def test_a_tick_checks_a_watch_due_before_the_next_tick_so_no_gap_exceeds_the_interval(
    two_watches, inline_queue, later
) -> None:
    tick = later(hours=3)
    _due(A, tick + timedelta(seconds=30))
    _due(B, tick + timedelta(seconds=61))

    watch_lanes_start(now=tick)

    assert _checked_at(A) == tick
    assert _checked_at(B) != tick


def test_successive_ticks_check_a_watch_again_only_once_its_interval_has_passed(
    spotify, alice, inline_queue, later
) -> None:
    watch_playlist_add(user=alice, playlist_id=A)
    start = later(hours=2)
    checks = []
    for minute in range(0, 125, 5):
        watch_lanes_start(now=start + timedelta(minutes=minute))
        checks.append(_checked_at(A))

    assert sorted({(at - start) for at in checks if at >= start}) == [
        timedelta(0),
        timedelta(minutes=60),
        timedelta(minutes=120),
    ]


def test_no_more_lanes_start_than_max_concurrent_checks(
    spotify, alice, queued_only, watch_config, later
) -> None:
    from tests.watching.conftest import queued_payloads

    watch_config(max_concurrent_checks=2)
    for playlist in (A, B, spotify.catalog.add_playlist("Third", track_ids=[IDS.track])):
        watch_playlist_add(user=alice, playlist_id=playlist)
    WatchTarget.objects.update(next_check_at=later(seconds=-1))

    assert watch_lanes_start() == 2
    assert watch_lanes_start() == 0  # both slots are held by the queued lanes
    assert len(queued_payloads()) == 2


def test_a_lane_runs_due_checks_one_after_another_and_frees_its_slot(
    two_watches, watch_config, later
) -> None:
    tick = later(hours=3)
    CheckSlot.objects.update_or_create(pk=1, defaults={"holder": "lane-1-test", "lease_until": tick})

    checked = watch_lane_run(slot=1, holder="lane-1-test", horizon=tick + timedelta(minutes=1), now=tick)

    assert checked == 2
    assert CheckSlot.objects.get(pk=1).holder == ""


def test_a_check_already_running_is_not_started_twice(two_watches, later) -> None:
    tick = later(hours=3)
    first = target_claim_next(holder="lane-a", horizon=tick, now=tick)

    second = target_claim_next(holder="lane-b", horizon=tick, now=tick)
    third = target_claim_next(holder="lane-c", horizon=tick, now=tick)

    assert first is not None and second is not None and first.pk != second.pk
    assert third is None


def test_a_crashed_check_is_picked_up_again_once_its_lease_expired(spotify, alice, later) -> None:
    watch_playlist_add(user=alice, playlist_id=A)
    tick = later(hours=3)
    crashed = target_claim_next(holder="lane-crashed", horizon=tick, now=tick)

    too_soon = target_claim_next(holder="lane-new", horizon=tick, now=tick + timedelta(minutes=5))
    taken_over = target_claim_next(
        holder="lane-new", horizon=tick + timedelta(minutes=11), now=tick + timedelta(minutes=11)
    )

    assert crashed is not None and too_soon is None
    assert taken_over is not None and taken_over.lease_holder == "lane-new"


def test_no_checks_start_while_watching_is_disabled(two_watches, inline_queue, watch_config, later) -> None:
    watch_config(enabled=False)

    assert watch_lanes_start(now=later(hours=3)) == 0
    assert WatchTarget.objects.filter(check_count__gt=0).count() == 0


def test_the_schedule_is_created_once(db) -> None:
    from django_q.models import Schedule

    watch_schedule_ensure()
    watch_schedule_ensure()

    schedule = Schedule.objects.get(name="watching-checks")
    assert (schedule.func, schedule.schedule_type, schedule.minutes) == (
        "watching.tasks.watch_lanes_start_task",
        Schedule.MINUTES,
        1,
    )


def test_bootstrap_creates_the_watch_schedule(db) -> None:
    from django_q.models import Schedule

    from spotizerr import bootstrap

    list(bootstrap.run())

    assert Schedule.objects.filter(
        name="watching-checks", func="watching.tasks.watch_lanes_start_task"
    ).exists()
