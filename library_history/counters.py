"""The counter tables behind list totals and stats, kept exact by the write services.

Every entry contributes to the counters (see ``contribution``). A write takes the entry's
contribution before and after the change and applies the difference, so a status change moves
one count from the old bucket to the new one and a repeated upsert changes nothing.
``counters_rebuild`` recomputes everything from the entries with the same rules, in SQL.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db import IntegrityError, models, transaction
from django.db.models import Case, Count, F, Sum, Value, When
from django.db.models.functions import TruncDate
from django.utils import timezone

from library_history.models import (
    DownloadType,
    HistoryArtistCounter,
    HistoryArtistTotal,
    HistoryCounter,
    HistoryDailyCounter,
    HistoryEntry,
    HistoryStatus,
)

#: statuses whose artist counts toward "top artists"
ARTIST_STATUSES = (HistoryStatus.COMPLETED, HistoryStatus.PARTIAL)
#: the fields ``Snapshot.of`` reads; select only these when scanning many entries
SNAPSHOT_FIELDS = (
    "owner_id",
    "download_type",
    "status",
    "created_at",
    "artist",
    "successful_tracks",
    "size_bytes",
)


@dataclass(frozen=True)
class Snapshot:
    """The part of an entry that counters depend on."""

    owner_id: int
    download_type: str
    status: str
    created_at: datetime
    artist: str
    successful_tracks: int
    size_bytes: int

    @classmethod
    def of(cls, entry: HistoryEntry) -> Snapshot:
        return cls(**{name: getattr(entry, name) for name in SNAPSHOT_FIELDS})

    @property
    def tracks(self) -> int:
        """Tracks this entry put in the library: its successful tracks, or 1 for a completed track."""
        if self.successful_tracks:
            return self.successful_tracks
        return int(self.download_type == DownloadType.TRACK and self.status == HistoryStatus.COMPLETED)


@dataclass
class CounterDelta:
    """Changes to apply to the counter tables, accumulated from snapshots."""

    totals: dict[tuple[int, str, str], list[int]] = field(
        default_factory=lambda: defaultdict(lambda: [0, 0, 0])
    )
    daily: dict[tuple[int, date], int] = field(default_factory=lambda: defaultdict(int))
    artists: dict[tuple[int, str], int] = field(default_factory=lambda: defaultdict(int))

    def add(self, snapshot: Snapshot | None, sign: int = 1) -> CounterDelta:
        if snapshot is None:
            return self
        total = self.totals[(snapshot.owner_id, snapshot.download_type, snapshot.status)]
        total[0] += sign
        total[1] += sign * snapshot.tracks
        total[2] += sign * snapshot.size_bytes
        self.daily[(snapshot.owner_id, timezone.localdate(snapshot.created_at))] += sign
        if snapshot.status in ARTIST_STATUSES and snapshot.artist:
            self.artists[(snapshot.owner_id, snapshot.artist)] += sign
        return self

    def apply(self) -> None:
        """Write the non-zero changes; call inside the transaction that changed the entries."""
        for (owner_id, download_type, status), (entries, tracks, size) in self.totals.items():
            if entries or tracks or size:
                _bump(
                    HistoryCounter,
                    {"owner_id": owner_id, "download_type": download_type, "status": status},
                    {"entries": entries, "tracks": tracks, "size_bytes": size},
                )
        for (owner_id, day), entries in self.daily.items():
            if entries:
                _bump(HistoryDailyCounter, {"owner_id": owner_id, "day": day}, {"entries": entries})
        artist_totals: dict[str, int] = defaultdict(int)
        for (owner_id, artist), entries in self.artists.items():
            if entries:
                _bump(HistoryArtistCounter, {"owner_id": owner_id, "artist": artist}, {"entries": entries})
                artist_totals[artist] += entries
        for artist, entries in artist_totals.items():
            if entries:
                _bump(HistoryArtistTotal, {"artist": artist}, {"entries": entries})


def counters_change(*, before: Snapshot | None, after: Snapshot | None) -> None:
    """Move one entry's contribution from ``before`` to ``after`` (either may be None)."""
    if before == after:
        return
    CounterDelta().add(before, -1).add(after, +1).apply()


def counters_remove(*, snapshots: Iterable[Snapshot]) -> None:
    """Take deleted entries out of the counters."""
    delta = CounterDelta()
    for snapshot in snapshots:
        delta.add(snapshot, -1)
    delta.apply()


def _bump(model: type[models.Model], key: dict, changes: dict[str, int]) -> None:
    increments = {name: F(name) + value for name, value in changes.items()}
    manager = model._default_manager
    if manager.filter(**key).update(**increments):
        return
    try:
        with transaction.atomic():
            manager.create(**key, **changes)
    except IntegrityError:  # another writer created it first (PostgreSQL); add to theirs
        manager.filter(**key).update(**increments)


def _tracks_expression() -> Case:
    return Case(
        When(successful_tracks__gt=0, then=F("successful_tracks")),
        When(download_type=DownloadType.TRACK, status=HistoryStatus.COMPLETED, then=Value(1)),
        default=Value(0),
        output_field=models.BigIntegerField(),
    )


@transaction.atomic
def counters_rebuild() -> None:
    """Recompute every counter from the entries (after bulk loads or to repair drift)."""
    HistoryCounter.objects.all().delete()
    HistoryDailyCounter.objects.all().delete()
    HistoryArtistCounter.objects.all().delete()
    HistoryArtistTotal.objects.all().delete()
    entries = HistoryEntry.objects.order_by()
    totals = entries.values("owner_id", "download_type", "status").annotate(
        n=Count("id"), t=Sum(_tracks_expression()), b=Sum("size_bytes")
    )
    HistoryCounter.objects.bulk_create(
        [
            HistoryCounter(
                owner_id=row["owner_id"],
                download_type=row["download_type"],
                status=row["status"],
                entries=row["n"],
                tracks=row["t"] or 0,
                size_bytes=row["b"] or 0,
            )
            for row in totals
        ],
        batch_size=1000,
    )
    daily = entries.annotate(day=TruncDate("created_at")).values("owner_id", "day").annotate(n=Count("id"))
    HistoryDailyCounter.objects.bulk_create(
        [HistoryDailyCounter(owner_id=row["owner_id"], day=row["day"], entries=row["n"]) for row in daily],
        batch_size=1000,
    )
    credited = entries.filter(status__in=ARTIST_STATUSES).exclude(artist="")
    artists = credited.values("owner_id", "artist").annotate(n=Count("id"))
    HistoryArtistCounter.objects.bulk_create(
        [
            HistoryArtistCounter(owner_id=row["owner_id"], artist=row["artist"], entries=row["n"])
            for row in artists
        ],
        batch_size=1000,
    )
    per_artist = credited.values("artist").annotate(n=Count("id"))
    HistoryArtistTotal.objects.bulk_create(
        [HistoryArtistTotal(artist=row["artist"], entries=row["n"]) for row in per_artist], batch_size=1000
    )


def counters_forget_owner(*, owner_id: int) -> None:
    """Take an owner's artists out of the all-owner totals before their history is deleted.

    The per-owner counters go with the owner (``on_delete=CASCADE``); only the totals that sum
    over owners need this.
    """
    delta = CounterDelta()
    for artist, entries in HistoryArtistCounter.objects.filter(owner_id=owner_id).values_list(
        "artist", "entries"
    ):
        delta.artists[(owner_id, artist)] -= entries
    with transaction.atomic():
        delta.apply()
        HistoryArtistCounter.objects.filter(owner_id=owner_id).delete()
