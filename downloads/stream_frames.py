"""The frames of the progress stream (``downloads.streaming``): their JSON bodies, the snapshot, the
frames of events (rendered once per visibility by the hub, or once by the publishing process and
pushed through the channel layer: ``pushed_frames``) and the heartbeat. Synchronous: database reads."""

from __future__ import annotations

import json
import time
from collections.abc import Hashable, Mapping
from typing import Any

from accounts.models import User
from downloads import event_order, selectors
from downloads.event_order import Position
from downloads.models import TaskEvent
from downloads.stream_hub import Frame, pushed_frame, visibility, visible_events

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


# visibility -> (the latest event position it covers, when it was rendered, the frame)
_snapshots: dict[Hashable, tuple[Position, float, bytes]] = {}


def snapshot(user: User) -> tuple[bytes, Position]:
    """The snapshot frame of ``user``'s visibility and the position it covers (its ``id:`` is that
    event's). Every change a client sees comes with an event, so a snapshot rendered at the same
    latest position is still true: it is reused for up to ``SNAPSHOT_REUSE_SECONDS`` (a reconnecting
    or newly opened stream costs one indexed read then). Events after that position are sent after
    it, even those whose change it already shows."""
    latest = event_order.latest_position()
    key, now = visibility(user), time.monotonic()
    reused = _snapshots.get(key)
    if reused is not None and reused[0] == latest and now - reused[1] < SNAPSHOT_REUSE_SECONDS:
        return reused[2], latest
    body = selectors.tasks_updates(user=user, since=None, page=1, limit=SNAPSHOT_FINISHED, active_only=False)
    data = frame_body(
        "snapshot", body["task_counts"], tasks=body["tasks"], timestamp=body["current_timestamp"]
    )
    rendered = frame(data, latest[1])
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
        frames.append((event_order.position_of(event), frame(body, event.pk)))
    return frames


def catch_up(user: User, after: Position, limit: int) -> tuple[bytes, Position, bool]:
    """Frames for the events after position ``after`` (at most ``limit``), the new last position,
    and whether more were waiting than ``limit`` (then the caller sends a snapshot instead)."""
    events = selectors.events_after(user=user, after=after, limit=limit + 1)
    if len(events) > limit:
        return b"", after, True
    if not events:
        return b"", after, False
    return b"".join(f for _, f in event_frames(user, events)), event_order.position_of(events[-1]), False


def poll(
    cursor: Position,
    batch: int,
    groups: dict[Hashable, User],
    pushed: Mapping[int, dict[str, Any]] | None = None,
) -> tuple[Position, bool, dict[Hashable, list[Frame]], bool]:
    """The hub's one read per tick: the settled events after ``cursor`` (at most ``batch``; more is
    an overflow, answered with the latest position), their frames once per visibility in ``groups``
    (the frame ``pushed`` for an event id when it carries one for that visibility, else rendered),
    and whether committed events after them wait for older transactions to end."""
    # Every user's events at once, so not ``selectors.events_after``; each group is filtered below
    # by ``visible_events``, the same rule.
    events, waiting = event_order.settled(list(event_order.after(cursor)[: batch + 1]))
    if len(events) > batch:
        return event_order.latest_position(), True, {}, False
    frames: dict[Hashable, list[Frame]] = {}
    for key, user in groups.items():
        visible = visible_events(user, events)
        frames[key] = _frames_of(key, user, visible, pushed or {}) if visible else []
    return (event_order.position_of(events[-1]) if events else cursor), False, frames, waiting


def _frames_of(
    key: Hashable, user: User, events: list[TaskEvent], pushed: Mapping[int, dict[str, Any]]
) -> list[Frame]:
    """The frames of ``events`` for visibility ``key``: pushed ones as they are, the rest rendered."""
    ready = {event.pk: pushed_frame(pushed[event.pk], key) for event in events if event.pk in pushed}
    missing = [event for event in events if not ready.get(event.pk)]
    rendered = iter(event_frames(user, missing) if missing else [])
    frames: list[Frame] = []
    for event in events:
        given = ready.get(event.pk)
        frames.append((event_order.position_of(event), given) if given else next(rendered))
    return frames


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
