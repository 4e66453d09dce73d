"""bench/history.py runs end to end on a small history and ends with one JSON line.

Its exit status says whether the latency targets held; on a tiny run under test load that is noise,
so only the report is checked here."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_bench_reports_every_endpoint_as_its_last_line_of_json() -> None:
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "history.py"), "--rows", "1500", "--samples", "2"],
        capture_output=True,
        text=True,
        env=env,
        timeout=240,
        cwd=ROOT,
        check=False,
    )
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert {row["endpoint"].split(" ")[0] for row in report["results"]} == {
        "list",
        "search",
        "stats",
        "children",
        "recent",
        "record",
    }
