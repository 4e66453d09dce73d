"""On PostgreSQL, each progress event records the transaction that wrote it: events are read in
``(xid, id)`` order, settled ones only, so a reader never skips one committed late (see
``downloads.event_order``). Not a model field: only the database fills it, and SQLite, whose writers
commit one at a time, needs nothing (this migration does nothing there).

Events written before this migration keep ``xid`` 0: all committed, they come first, in id order.
The column is added with a constant default (no table rewrite), then new rows get their writer's.
"""

from __future__ import annotations

from django.db import migrations

TABLE = "downloads_taskevent"


def _add(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"ALTER TABLE {TABLE} ADD COLUMN xid bigint NOT NULL DEFAULT 0")
    schema_editor.execute(
        f"ALTER TABLE {TABLE} ALTER COLUMN xid SET DEFAULT (pg_current_xact_id()::text::bigint)"
    )
    schema_editor.execute(f"CREATE INDEX downloads_taskevent_xid_id ON {TABLE} (xid, id)")


def _drop(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"ALTER TABLE {TABLE} DROP COLUMN xid")  # its index goes with it


class Migration(migrations.Migration):
    dependencies = [("downloads", "0006_library_album_id")]

    operations = [migrations.RunPython(_add, _drop, elidable=False)]
