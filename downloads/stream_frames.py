"""The frames of the progress stream (``downloads.streaming``): their JSON bodies, the snapshot, the
frames of events (rendered once per visibility by the hub, or once by the publishing process and
pushed through the channel layer: ``pushed_frames``) and the heartbeat. Synchronous: database reads."""

from __future__ import annotations

import json
import time
from collections.abc import Hashable
from typing import Any

from accounts.models import User
from downloads import selectors
from downloads.models import TaskEvent
from downloads.stream_hub import Frame, visibility, visible_events

SNAPSHOT_FINISHED = 20  # finished tasks included in a snapshot, newest first
SNAPSHOT_REUSE_SECONDS = 1.0  # a snapshot of an unchanged events table is reused this long
SNAPSHOTS_KEPT = 256  # visibilities whose last snapshot is kept (each admin shares one)

# kind -> (change_type, trigger_reason) of the original Spotizerr stream
_KINDS = {
    "snapshot": ("snapshot", "initial_snapshot"),
    "task": ("update", "callback_update"),
    "deleted": ("deleted", "task_deleted"),
    "heartbeat": ("heartbeat", "heartbeat"),
    "revoked": ("error", "credentials_revoked"),
}


def frame_body(kind: str, counts: dict[str, int] | None, **fields: Any) -> dict[str, Any]:
    """The JSON body of one frame: the original Spotizerr fields, then ours."""
    change_type, trigger_reason = _KINDS[kind]
    body: dict[str, Any] = {"event": kind, "change_type": change_type, "trigger_reason": trigger_reason}
    if counts is not None:
        body["task_counts"] = counts
        body["total_tasks"] = selectors.all_tasks_count(counts)
    body.setdefault("tasks", [])
    body.update(fields)
    return body


def frame(body: dict[str, Any], event_id: int | None = None) -> bytes:
    """An unnamed frame: browsers hand it to ``onmessage`` (a named ``event:`` would not be)."""
    lines = [] if event_id is None else [f"id: {event_id}"]
    lines.append("data: " + json.dumps(body, separators=(",", ":"), default=str))
    return ("\n".join(lines) + "\n\n").encode()


# visibility -> (the latest event id it covers, when it was rendered, the frame)
_snapshots: dict[Hashable, tuple[int, float, bytes]] = {}


def snapshot(user: User) -> tuple[bytes, int]:
    """The snapshot frame of ``user``'s visibility. Every change a client sees comes with an event,
    so a snapshot rendered at the same latest event id is still true: it is reused for up to
    ``SNAPSHOT_REUSE_SECONDS`` (a reconnecting or newly opened stream costs one indexed read then)."""
    latest = selectors.latest_event_id()
    key, now = visibility(user), time.monotonic()
    reused = _snapshots.get(key)
    if reused is not None and reused[0] == latest and now - reused[1] < SNAPSHOT_REUSE_SECONDS:
        return reused[2], latest
    body = selectors.tasks_updates(user=user, since=None, page=1, limit=SNAPSHOT_FINISHED, active_only=False)
    data = frame_body(
        "snapshot", body["task_counts"], tasks=body["tasks"], timestamp=body["current_timestamp"]
    )
    rendered = frame(data, latest)
    if len(_snapshots) >= SNAPSHOTS_KEPT:
        _snapshots.clear()
    _snapshots[key] = (latest, now, rendered)
    return rendered, latest


def event_frames(user: User, events: list[TaskEvent]) -> list[Frame]:
    ids = {event.task_id for event in events if event.task_id}
    annotated = selectors.tasks_annotated(selectors.tasks_visible_to(user).filter(pk__in=ids))
    documents = {doc["task_id"]: doc for doc in selectors.tasks_progress(annotated)}
    counts = selectors.task_counts(selectors.tasks_visible_to(user))
    frames = []
    for event in events:
        task_id = str(event.task_uuid)
        if event.kind == TaskEvent.Kind.DELETED or task_id not in documents:
            body = frame_body("deleted", counts, task_id=task_id, event_id=event.pk)
        else:
            last_line = selectors.last_line_of(event)
            body = frame_body(
                "task",
                counts,
                tasks=[documents[task_id]],
                task_id=task_id,
                event_id=event.pk,
                last_line=last_line,
            )
        frames.append((event.pk, frame(body, event.pk)))
    return frames


def catch_up(user: User, after: int, limit: int) -> tuple[bytes, int, bool]:
    """Frames for events after ``after`` (at most ``limit``), the new last id, and whether more
    were waiting than ``limit`` (then the caller sends a snapshot instead)."""
    events = selectors.events_after(user=user, after_id=after, limit=limit + 1)
    if len(events) > limit:
        return b"", after, True
    if not events:
        return b"", after, False
    return b"".join(frame for _, frame in event_frames(user, events)), events[-1].pk, False


def poll(
    cursor: int, batch: int, groups: dict[Hashable, User]
) -> tuple[int, bool, dict[Hashable, list[Frame]]]:
    """The hub's one read per tick: events after ``cursor`` (at most ``batch``; more is an overflow,
    answered with the latest id) and their frames rendered once per visibility in ``groups``."""
    # Every user's events at once, so not ``selectors.events_after``; each group is filtered below
    # by ``visible_events``, the same rule.
    events = list(TaskEvent.objects.filter(id__gt=cursor).order_by("id")[: batch + 1])
    if len(events) > batch:
        return selectors.latest_event_id(), True, {}
    frames: dict[Hashable, list[Frame]] = {}
    for key, user in groups.items():
        visible = visible_events(user, events)
        frames[key] = event_frames(user, visible) if visible else []
    return (events[-1].pk if events else cursor), False, frames


def pushed_frames(event: TaskEvent) -> dict[str, bytes]:
    """``event``'s frame as every admin sees it (``"all"``) and, unless an admin, as its owner does
    (``"owner"``): rendered once by the process that published it and pushed to every hub."""
    frames = {"all": event_frames(User(role=User.Role.ADMIN), [event])[0][1]}
    owner = User.objects.filter(pk=event.owner_id).first()
    if owner is not None and not owner.is_admin:
        frames["owner"] = event_frames(owner, [event])[0][1]
    return frames


def heartbeat(last_frame: bytes) -> bytes:
    """A heartbeat frame (no id) with the counts of the newest frame sent: the original web UI shows
    them, and reconnects after 60 s without a message (comment lines do not reach ``onmessage``)."""
    counts = None
    for line in reversed(last_frame.splitlines()):
        if line.startswith(b"data: "):
            counts = json.loads(line[6:]).get("task_counts")
            break
    return frame(frame_body("heartbeat", counts))
