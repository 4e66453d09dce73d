"""The made-up history of ``history.py``: deterministic words and artists with a Zipf-like spread, and
the bulk load of entries and their track rows with plain SQL, the way a restore would."""

from __future__ import annotations

import random
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

STATUSES = (
    ("completed", 0.85),
    ("failed", 0.05),
    ("skipped", 0.04),
    ("in_progress", 0.01),
    ("partial", 0.05),
)
USERS = 20
CHUNK = 50_000

ENTRY_COLUMNS = (
    "task_id",
    "owner_id",
    "download_type",
    "status",
    "spotify_url",
    "name",
    "artist",
    "album",
    "service",
    "quality",
    "is_preview",
    "file_path",
    "created_at",
    "completed_at",
    "total_tracks",
    "successful_tracks",
    "skipped_tracks",
    "failed_tracks",
    "error",
    "size_bytes",
)
TRACK_COLUMNS = (
    "parent_id",
    "position",
    "track_id",
    "spotify_url",
    "name",
    "artist",
    "album",
    "status",
    "reason",
    "service",
    "quality",
    "is_preview",
    "file_path",
    "size_bytes",
    "duration_ms",
    "completed_at",
)


class Vocabulary:
    """Deterministic made-up words, names and artists with a Zipf-like spread."""

    SYLLABLES = (
        "ka",
        "lo",
        "mi",
        "ra",
        "su",
        "te",
        "vo",
        "ne",
        "da",
        "ri",
        "po",
        "sha",
        "el",
        "an",
        "or",
        "ix",
    )

    def __init__(self, rng: random.Random, words: int = 6000, artists: int = 20000) -> None:
        self.rng = rng
        self.words = sorted({self._word() for _ in range(words * 2)})[:words]
        self.artists = [
            " ".join(self._pick(self.words).title() for _ in range(rng.choice((1, 2, 2, 3))))
            for _ in range(artists)
        ]

    def _word(self) -> str:
        return "".join(self.rng.choice(self.SYLLABLES) for _ in range(self.rng.randint(2, 4)))

    def _pick(self, items: list[str], spread: float = 50.0) -> str:
        # a Pareto rank: a few items repeat often (top one ~2%), then a long tail, like real libraries
        rank = min(int((self.rng.paretovariate(1.1) - 1) * spread), len(items) - 1)
        return items[rank * 7919 % len(items)]

    def title(self) -> str:
        return " ".join(self._pick(self.words).title() for _ in range(self.rng.randint(1, 4)))

    def artist(self) -> str:
        return self._pick(self.artists, spread=100.0)


def _status(rng: random.Random, download_type: str) -> str:
    roll, edge = rng.random(), 0.0
    for status, share in STATUSES:
        edge += share
        if roll < edge:
            return "completed" if status == "partial" and download_type == "track" else status
    return "completed"


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S.%f")


def _entries(rows: int, owners: list[int], vocab: Vocabulary, rng: random.Random) -> Iterator[tuple]:
    start = datetime.now(UTC) - timedelta(days=730)
    step = timedelta(days=730) / rows
    for i in range(rows):
        roll = rng.random()
        download_type = "album" if roll < 0.08 else "playlist" if roll < 0.10 else "track"
        status = _status(rng, download_type)
        artist, name = vocab.artist(), vocab.title()
        created = start + step * i
        tracks = 10 if download_type != "track" else 0
        ok = tracks if status == "completed" else tracks - 2 if status == "partial" else 0
        yield (
            uuid.uuid4().hex,
            owners[min(int(rng.paretovariate(0.8)) - 1, len(owners) - 1)],
            download_type,
            status,
            f"https://open.spotify.com/{download_type}/{i:022d}",
            name,
            artist,
            vocab.title(),
            "deezer",
            "MP3_320",
            0,
            f"{artist}/{name}/01 - {name}.mp3" if status == "completed" else "",
            _stamp(created),
            _stamp(created + timedelta(seconds=40)) if status != "in_progress" else None,
            tracks,
            ok,
            0,
            tracks - ok if download_type != "track" else 0,
            "No source had this track." if status == "failed" else "",
            8_000_000 * max(ok, 1),
        )


def history_fill(rows: int, tracks_per_parent: int, seed: int) -> dict[str, Any]:
    """Load ``rows`` entries (and ``tracks_per_parent`` track rows per album or playlist) for ``USERS``
    users, rebuild the counters; the counts and seconds each part took."""
    from django.db import connection, transaction

    from accounts.models import User
    from library_history.counters import counters_rebuild
    from library_history.models import HistoryEntry, HistoryTrack

    rng = random.Random(seed)
    vocab = Vocabulary(rng)
    owners = [
        User.objects.create(username=f"user{n:02d}", role=User.Role.ADMIN if n == 0 else User.Role.USER).id
        for n in range(USERS)
    ]
    entry_sql = (
        f"INSERT INTO {HistoryEntry._meta.db_table} ({', '.join(ENTRY_COLUMNS)}) "
        f"VALUES ({', '.join(['%s'] * len(ENTRY_COLUMNS))})"
    )
    started = time.perf_counter()
    source = _entries(rows, owners, vocab, rng)
    while batch := [row for _, row in zip(range(CHUNK), source, strict=False)]:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(entry_sql, batch)
    entries_seconds = time.perf_counter() - started
    started = time.perf_counter()
    children = _fill_children(tracks_per_parent, vocab, rng, HistoryTrack._meta.db_table, HistoryEntry)
    children_seconds = time.perf_counter() - started
    started = time.perf_counter()
    counters_rebuild()
    return {
        "entries": rows,
        "children": children,
        "entries_s": round(entries_seconds, 1),
        "children_s": round(children_seconds, 1),
        "counters_s": round(time.perf_counter() - started, 1),
    }


def _fill_children(
    per_parent: int, vocab: Vocabulary, rng: random.Random, table: str, entry_model: Any
) -> int:
    from django.db import connection, transaction

    sql = (
        f"INSERT INTO {table} ({', '.join(TRACK_COLUMNS)}) VALUES ({', '.join(['%s'] * len(TRACK_COLUMNS))})"
    )
    parents = list(
        entry_model.objects.exclude(download_type="track")
        .order_by("id")
        .values_list("id", "artist", "album", "status")
    )
    rows: list[tuple] = []
    count = 0
    for parent_id, artist, album, status in parents:
        for position in range(1, per_parent + 1):
            failed = status == "failed" or (status == "partial" and position > per_parent - 2)
            rows.append(_child(parent_id, position, vocab.title(), artist, album, failed=failed))
        if len(rows) >= CHUNK:
            count += _insert(connection, transaction, sql, rows)
            rows = []
    return count + _insert(connection, transaction, sql, rows)


def _child(parent_id: int, position: int, name: str, artist: str, album: str, *, failed: bool) -> tuple:
    """One track row of an album or playlist entry, in ``TRACK_COLUMNS`` order."""
    return (
        parent_id,
        position,
        f"{parent_id:010d}{position:04d}",
        "",
        name,
        artist,
        album,
        "failed" if failed else "completed",
        "No source had this track." if failed else "",
        "deezer",
        "MP3_320",
        0,
        "" if failed else f"{artist}/{album}/{position:02d} - {name}.mp3",
        0 if failed else 8_000_000,
        200_000,
        None,
    )


def _insert(connection: Any, transaction: Any, sql: str, rows: list[tuple]) -> int:
    if rows:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(sql, rows)
    return len(rows)
