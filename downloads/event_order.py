"""The order progress events are read in, so that a reader following a cursor never skips one.

Streams read "the events after the last one seen": the hub of each web process, a stream catching
up, a client resuming with ``Last-Event-ID``. An id from a sequence is taken when the row is
inserted, not when it is committed: on PostgreSQL transaction A takes id 10, B takes 11 and commits
first, a reader sees 11 and moves past 10 before A commits. (SQLite lets one writer at a time hold
the database from its first write to its commit, so there ids commit in order: an event's position
is its id.)

On PostgreSQL each event also records the transaction that wrote it (column ``xid``, default
``pg_current_xact_id()``; migration 0007, PostgreSQL only), and an event's **position** is
``(xid, id)``. A read hands out, in position order, only the *settled* events: those whose ``xid`` is
below the read's **horizon**, the oldest transaction of this database still running when the read's
snapshot was taken (else the snapshot's ``xmax``; ``HORIZON``). Every transaction of this database
below the horizon has ended, so its events are all visible to the read or rolled back; every one
still running, and every later one, has an xid at or above it. So no event can ever appear behind a
position a read handed out: a cursor misses nothing and returns nothing twice. A read stops at the
first unsettled event (the rest may be preceded later) and says whether it saw one (``waiting``):
the hub then reads again shortly.

The horizon is ``pg_snapshot_xmin(pg_current_snapshot())`` without the transactions of other
databases: ``xmin`` alone is the oldest of the whole PostgreSQL cluster, so another application's
long transaction on a shared server would hold progress back. An xid that ``pg_stat_get_activity``
shows on a backend of another database (readable by any role) is left out; one it does not show
(finished meanwhile, a prepared transaction) is kept, which only delays. The reader's own
transaction counts as running: a reader inside a transaction that wrote events does not get them.

Why not simpler: keeping an id cursor and filtering by xid is not enough, since xids and ids are
taken in different orders (a transaction's xid comes with its first write, maybe long before its
event); the smallest id still in flight cannot be seen from another session (uncommitted rows are
invisible); re-reading a window below the cursor needs a window longer than any transaction, and a
resuming client (``Last-Event-ID``) carries no record of what it already got.

The id stays the event's name for clients (the SSE ``id:``, ``Last-Event-ID``): ``resume_position``
finds its position again. The cost: an event waits until every write transaction of the database
older than its own has ended (Spotizerr's last milliseconds), and a read costs a look at the
server's backends (~0.2 ms).
"""

from __future__ import annotations

from django.db import connection
from django.db.models import BigIntegerField, BooleanField, Max, QuerySet
from django.db.models.expressions import RawSQL

from downloads.models import TaskEvent

Position = tuple[int, int]  # (xid, id); xid is 0 on SQLite
START: Position = (0, 0)

_TABLE = TaskEvent._meta.db_table
_XID = f'"{_TABLE}"."xid"'
# The horizon of the statement's snapshot (see the module docstring), as a bigint like ``xid``.
HORIZON = """LEAST(
    (SELECT coalesce(min(running), pg_snapshot_xmax(pg_current_snapshot()))
       FROM pg_snapshot_xip(pg_current_snapshot()) AS running
      WHERE running::xid NOT IN (
        SELECT other.backend_xid FROM pg_stat_get_activity(NULL) AS other
         WHERE other.backend_xid IS NOT NULL
           AND other.datid <> (SELECT oid FROM pg_database WHERE datname = current_database()))),
    pg_current_xact_id_if_assigned())::text::bigint"""
_SETTLED = f"{_XID} < {HORIZON}"


def _xid() -> RawSQL:
    return RawSQL(_XID, (), output_field=BigIntegerField())


def _settled() -> RawSQL:
    return RawSQL(_SETTLED, (), output_field=BooleanField())


def ids_commit_in_order() -> bool:
    """Whether an event's id alone is its position (SQLite: one writer at a time)."""
    return connection.vendor != "postgresql"


def ordered() -> QuerySet[TaskEvent]:
    """Every event in position order, each with ``xid`` and ``settled`` (see the module docstring)."""
    if ids_commit_in_order():
        return TaskEvent.objects.order_by("id")
    return TaskEvent.objects.annotate(xid=_xid(), settled=_settled()).order_by("xid", "id")


def after(position: Position) -> QuerySet[TaskEvent]:
    """The events after ``position``, in position order; keep only their ``settled`` prefix."""
    if ids_commit_in_order():
        return ordered().filter(id__gt=position[1])
    if position == START:
        return ordered()
    row = RawSQL(f'({_XID}, "{_TABLE}"."id") > (%s, %s)', position, output_field=BooleanField())
    return ordered().filter(row)


def settled(events: list[TaskEvent]) -> tuple[list[TaskEvent], bool]:
    """The events of a read from ``after`` up to the first unsettled one, and whether there was one
    (committed events waiting for older transactions to end)."""
    for index, event in enumerate(events):
        if not getattr(event, "settled", True):
            return events[:index], True
    return events, False


def position_of(event: TaskEvent) -> Position:
    """The position of an event read through ``ordered`` or ``after``."""
    return getattr(event, "xid", 0), event.pk


def latest_position() -> Position:
    """The position of the last settled event: everything up to it can be read now, and every event
    not yet readable will come after it."""
    if ids_commit_in_order():
        return 0, TaskEvent.objects.aggregate(last=Max("id"))["last"] or 0
    events = TaskEvent.objects.annotate(xid=_xid(), settled=_settled())
    last = events.filter(settled=True).order_by("-xid", "-id").values_list("xid", "id").first()
    return last or START


def resume_position(event_id: int) -> Position | None:
    """The position of the event a client last got (``Last-Event-ID``); None when PostgreSQL no longer
    has it (deleted with its task): the client then gets a snapshot."""
    if ids_commit_in_order():
        return 0, event_id
    xid = TaskEvent.objects.annotate(xid=_xid()).filter(pk=event_id).values_list("xid", flat=True).first()
    return None if xid is None else (xid, event_id)
