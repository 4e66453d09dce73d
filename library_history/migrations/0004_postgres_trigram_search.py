"""Trigram indexes for history search on PostgreSQL (SQLite uses the FTS5 table of 0002).

``library_history.search`` matches words with ``icontains`` on PostgreSQL, which Django renders as
``UPPER(col::text) LIKE UPPER('%word%')``; GIN trigram indexes on exactly those expressions let
PostgreSQL answer that without reading every row. ``pg_trgm`` is a trusted extension (PostgreSQL
13+), so a database owner may create it; without it search still works, only slower.
"""

from __future__ import annotations

import logging

from django.db import DatabaseError, migrations, transaction

logger = logging.getLogger(__name__)

TABLE = "library_history_historyentry"
COLUMNS = ("name", "artist", "album")


def _create(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except DatabaseError as exc:
        logger.warning("pg_trgm unavailable (%s); history search will scan instead of using an index", exc)
        return
    for column in COLUMNS:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS hist_trgm_{column} ON {TABLE} "
            f"USING gin ((UPPER({column}::text)) gin_trgm_ops)"
        )


def _drop(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in COLUMNS:
        schema_editor.execute(f"DROP INDEX IF EXISTS hist_trgm_{column}")


class Migration(migrations.Migration):
    dependencies = [("library_history", "0003_artist_totals")]

    operations = [migrations.RunPython(_create, _drop, elidable=False)]
