"""Search history by name, artist and album: FTS5 on SQLite, case-insensitive matching elsewhere.

Every word of the query must match (as a word prefix with FTS5, as a substring elsewhere) in one
of the three fields. Results are the most recently recorded matches: on SQLite the FTS index is
read backwards by row id and stops at ``limit``, so a common word costs no more than a rare one.
"""

from __future__ import annotations

import re
from functools import reduce
from operator import and_

from django.db import connection
from django.db.models import Q, QuerySet

from library_history.models import HistoryEntry

FTS_TABLE = "library_history_search"
_WORD = re.compile(r"\w+", re.UNICODE)
_MAX_WORDS = 8


def query_words(query: str) -> list[str]:
    """The words of ``query`` (punctuation and FTS syntax dropped), at most eight."""
    return _WORD.findall(query)[:_MAX_WORDS]


def matching_ids(*, words: list[str], owner_id: int | None, limit: int) -> list[int]:
    """Ids of the ``limit`` newest-recorded entries matching every word, optionally of one owner."""
    if not words:
        return []
    if connection.vendor == "sqlite":
        return _fts_ids(words, owner_id, limit)
    condition = reduce(
        and_, (Q(name__icontains=w) | Q(artist__icontains=w) | Q(album__icontains=w) for w in words)
    )
    entries: QuerySet[HistoryEntry] = HistoryEntry.objects.filter(condition)
    if owner_id is not None:
        entries = entries.filter(owner_id=owner_id)
    return list(entries.order_by("-id").values_list("id", flat=True)[:limit])


def _fts_ids(words: list[str], owner_id: int | None, limit: int) -> list[int]:
    match = " ".join(f'"{word}"*' for word in words)  # \w+ words hold no quotes
    owner_clause = "AND e.owner_id = %s" if owner_id is not None else ""
    params: list[str | int] = [match, *([owner_id] if owner_id is not None else []), limit]
    sql = (
        f"SELECT e.id FROM {FTS_TABLE} s JOIN {HistoryEntry._meta.db_table} e ON e.id = s.rowid "
        f"WHERE {FTS_TABLE} MATCH %s {owner_clause} ORDER BY s.rowid DESC LIMIT %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]
