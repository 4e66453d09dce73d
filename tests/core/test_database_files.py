"""The SQLite database and its WAL/SHM files are readable by the service's user only (0600), like
the key files: they hold password hashes, token blacklists and encrypted secrets."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings as django_settings

_WRITE_AND_REPORT = """
import json, os
from django.db import connection
with connection.cursor() as cursor:
    cursor.execute("CREATE TABLE IF NOT EXISTS probe (x INTEGER)")
    cursor.execute("INSERT INTO probe VALUES (1)")
data = os.environ["SPOTIZERR_DATA_DIR"]
print(json.dumps({n: oct(os.stat(os.path.join(data, n)).st_mode & 0o777)
                  for n in sorted(os.listdir(data)) if n.startswith("spotizerr.sqlite3")}))
"""


def _modes_after_a_write(data_dir: Path) -> dict[str, str]:
    """Start the settings in a fresh process, write while the connection is open, report the modes."""
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("SPOTIZERR_", "DATABASE_URL", "REDIS_URL"))
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", _WRITE_AND_REPORT],
        cwd=django_settings.BASE_DIR,
        env={**env, "SPOTIZERR_DATA_DIR": str(data_dir)},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_a_new_database_and_its_wal_and_shm_files_are_0600(tmp_path: Path) -> None:
    modes = _modes_after_a_write(tmp_path)
    assert modes == {
        "spotizerr.sqlite3": "0o600",
        "spotizerr.sqlite3-shm": "0o600",
        "spotizerr.sqlite3-wal": "0o600",
    }


def test_a_database_an_older_version_left_readable_is_made_0600(tmp_path: Path) -> None:
    database = tmp_path / "spotizerr.sqlite3"
    database.touch(mode=0o644)
    database.chmod(0o644)
    assert _modes_after_a_write(tmp_path)["spotizerr.sqlite3"] == "0o600"
