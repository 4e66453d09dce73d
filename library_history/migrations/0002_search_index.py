"""Full-text search over name, artist and album on SQLite (FTS5), kept in sync by triggers.

Triggers rather than service code keep the index exact for every way a row changes, including
cascading deletes of a user's history. PostgreSQL needs nothing here: search falls back to
case-insensitive matching there (see ``library_history.search``).
"""

from __future__ import annotations

from django.db import migrations

TABLE = "library_history_historyentry"
FTS = "library_history_search"

_ADD = f"INSERT INTO {FTS}(rowid, name, artist, album) VALUES (new.id, new.name, new.artist, new.album);"
_REMOVE = (
    f"INSERT INTO {FTS}({FTS}, rowid, name, artist, album) "
    "VALUES ('delete', old.id, old.name, old.artist, old.album);"
)

CREATE = [
    (
        f"CREATE VIRTUAL TABLE {FTS} USING fts5(name, artist, album, content='{TABLE}', content_rowid='id', "
        "tokenize='unicode61 remove_diacritics 2')"
    ),
    f"CREATE TRIGGER {FTS}_ai AFTER INSERT ON {TABLE} BEGIN {_ADD} END",
    f"CREATE TRIGGER {FTS}_ad AFTER DELETE ON {TABLE} BEGIN {_REMOVE} END",
    f"CREATE TRIGGER {FTS}_au AFTER UPDATE OF name, artist, album ON {TABLE} BEGIN {_REMOVE} {_ADD} END",
    f"INSERT INTO {FTS}({FTS}) VALUES ('rebuild')",
]
DROP = [f"DROP TRIGGER IF EXISTS {FTS}_{suffix}" for suffix in ("ai", "ad", "au")] + [
    f"DROP TABLE IF EXISTS {FTS}"
]


def _run(statements: list[str]):
    def run(apps, schema_editor) -> None:
        if schema_editor.connection.vendor != "sqlite":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("library_history", "0001_initial")]

    operations = [migrations.RunPython(_run(CREATE), _run(DROP), elidable=False)]
