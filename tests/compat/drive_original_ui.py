"""Drive the original Spotizerr web UI in headless Chromium against this API (a manual check, not CI).

Needs a build of the UI (spotizerr-dev/spotizerr at 8b90c7b, folder spotizerr-ui; ``npm install &&
npx vite build``), never committed here. Starts the browser tests' live app (daphne, a django-q2
worker, the fake Spotify, an inbox holding the album "Sine Waves") with auth off, serves the build
with ``vite preview`` proxying ``/api`` to it, then: saves the Downloads and Watch settings tabs,
downloads the album from its page and follows the queue, opens the history list, an entry's details
and its tracks. Prints what it saw as JSON (page errors and non-2xx API answers included)::

    SPOTIZERR_UI_DIR=/path/to/spotizerr-ui .venv/bin/python tests/compat/drive_original_ui.py
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
COMPLETE = "→ complete"


def _get(base: str, path: str) -> Any:
    with urllib.request.urlopen(base + path, timeout=10) as response:
        return json.loads(response.read())


def _preview(ui_dir: Path, api: str, port: int, work: Path) -> subprocess.Popen:
    config = work / "preview.config.mjs"
    config.write_text(
        f"export default {{ root: {json.dumps(str(ui_dir))}, preview: {{ host: '127.0.0.1', port: {port},"
        f" strictPort: true, proxy: {{ '/api': {{ target: '{api}', changeOrigin: true }} }} }} }};\n"
    )
    log = (work / "preview.log").open("w")
    process = subprocess.Popen(  # its own process group: npx starts vite as a child
        ["npx", "vite", "preview", "--config", str(config)], cwd=ui_dir, stdout=log, start_new_session=True
    )
    for _ in range(150):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}", timeout=1).close()
            return process
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("vite preview did not start")


def _settings(page: Any, api: str, report: dict[str, Any]) -> None:
    page.goto("/config?tab=downloads")
    page.locator("#maxConcurrentDownloads:visible").fill("5")
    page.locator("#realTimeToggle:visible").check()  # the UI's own rule while watching is enabled
    page.locator("#recursiveQualityToggle:visible").check()
    page.locator("#retryDelaySeconds:visible").fill("5")  # the live app stores 0; the UI wants >= 1
    page.locator("#retryDelayIncrease:visible").fill("5")
    page.locator("button:visible", has_text="Save Download Settings").click()
    page.get_by_text("Download settings saved successfully!").wait_for()
    config = _get(api, "/api/config")
    report["downloads_tab_saved"] = [
        config[k] for k in ("maxConcurrentDownloads", "realTime", "recursiveQuality")
    ]
    page.goto("/config?tab=watch")
    page.locator("#watchPollIntervalSeconds:visible").fill("7200")
    page.locator("#maxItemsPerRun:visible").fill("20")
    page.locator("button:visible", has_text="Save Watch Settings").click()
    page.get_by_text("Watch settings saved successfully!").wait_for()
    watch = _get(api, "/api/config/watch")
    report["watch_tab_saved"] = [watch["check_interval"], watch["maxItemsPerRun"]]


def _queue(page: Any, album_id: str, console: list[str], report: dict[str, Any]) -> None:
    page.goto(f"/album/{album_id}")
    page.locator("button:visible", has_text="Download Album").first.click()
    page.locator("img[alt=Queue]:visible").first.click()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not any(COMPLETE in line for line in console):
        page.wait_for_timeout(200)
    report["queue_status_changes"] = [line.split(": ", 2)[-1] for line in console if "Status change" in line]


def _history(page: Any, api: str, report: dict[str, Any]) -> None:
    page.goto("/history")
    title = _get(api, "/api/history/?limit=1")["downloads"][0]["title"]
    page.get_by_text(title).first.wait_for()
    report["history_row"] = page.locator("tbody tr:visible").first.inner_text().replace("\n", " | ")
    page.locator("button:visible", has_text="Details").first.click()
    report["details_artists"] = page.get_by_text("Artists:").first.locator("xpath=..").inner_text()
    page.goto("/history")
    page.locator("button:visible", has_text="View Tracks").first.click()
    page.get_by_text("└─").first.wait_for()
    report["track_rows"] = page.locator("tbody tr:visible").count()


def drive(ui_dir: Path, work: Path) -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    from tests.dashboard.browser import server
    from tests.fakes.spotify_api import IDS

    environment = server._environment
    server._environment = lambda root, spotify: {  # the original UI's default: auth off
        **environment(root, spotify),
        "SPOTIZERR_AUTH_ENABLED": "false",
    }
    app = server.live_app_start(work / "app")
    port = server.free_port()
    preview = _preview(ui_dir, app.base_url, port, work)
    report: dict[str, Any] = {}
    console: list[str] = []
    errors: list[str] = []
    answers: list[str] = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
            context = browser.new_context(
                base_url=f"http://127.0.0.1:{port}",
                service_workers="block",
                viewport={"width": 1400, "height": 900},
            )
            context.set_default_timeout(20_000)
            page = context.new_page()
            page.on("pageerror", lambda error: errors.append(str(error)))
            page.on("console", lambda message: console.append(f"{message.type}: {message.text}"))
            page.on("response", lambda r: answers.append(f"{r.request.method} {r.url} {r.status}"))
            _settings(page, app.base_url, report)
            _queue(page, IDS.small_album, console, report)
            _history(page, app.base_url, report)
            browser.close()
    finally:
        os.killpg(preview.pid, signal.SIGTERM)
        app.stop()
    report["page_errors"] = errors
    report["console_errors"] = [line for line in console if line.startswith("error")]
    report["api_answers_not_2xx"] = [
        a for a in answers if "/api/" in a and not a.endswith(("200", "201", "202", "204"))
    ]
    return report


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    os.chdir(ROOT)
    work = Path(tempfile.mkdtemp(prefix="original-ui-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "spotizerr.settings")
    os.environ["SPOTIZERR_DATA_DIR"] = str(work / "driver-data")
    (work / "driver-data").mkdir()
    import django

    django.setup()
    print(json.dumps(drive(Path(os.environ["SPOTIZERR_UI_DIR"]), work), indent=1, ensure_ascii=False))
