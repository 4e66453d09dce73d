"""Library state in a real browser: the album page's badges for the four states, the artist page's
count per release, and "Download missing" queuing only what the library does not hold in full."""

from __future__ import annotations

import json
import subprocess
import sys
import time

import pytest
from playwright.sync_api import expect

from tests.dashboard.browser.server import ROOT, LiveApp
from tests.fakes.spotify_api import IDS

pytestmark = pytest.mark.browser

SEED = """
from pathlib import Path
from accounts.models import User
from downloads.models import LibraryFile, WantedTrack
from tests.fakes.audio import make_audio
root, tracks = Path({root!r}), {tracks!r}
alice = User.objects.get(username="alice")
for number, (track_id, extension, preview) in enumerate(((tracks[0], ".flac", False), (tracks[1], ".mp3", True))):
    relative = f"Seeded/Two Sides/{{number + 1:02d}}{{extension}}"
    make_audio(root / relative, seconds=0.5)
    LibraryFile.objects.create(library_root=str(root), relative_path=relative, spotify_id=track_id,
                               album_id={album!r}, is_preview=preview, format=extension[1:], owner=alice)
WantedTrack.objects.create(owner=alice, track_id=tracks[2], album_id={album!r}, name="Two Sides 3")
"""

JOBS = """
import json
from downloads.models import TrackJob
jobs = TrackJob.objects.filter(task__owner__username="alice", task__item_id={album!r}).order_by("position")
print(json.dumps([[job.track_id, job.status, job.reason, job.attempts] for job in jobs]))
"""


def _shell(live_app: LiveApp, code: str) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=live_app.env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""


def _jobs_once_planned(live_app: LiveApp, count: int) -> list[list]:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        jobs = json.loads(_shell(live_app, JOBS.format(album=IDS.two_disc_album)) or "[]")
        if len(jobs) == count:
            return jobs
        time.sleep(0.5)
    raise AssertionError("the task was not planned within 60 s")


def test_the_album_page_shows_the_four_states_and_downloads_only_the_missing(page, log_in, live_app) -> None:
    """GIVEN alice's library holds track 1 of "Two Sides" in full, track 2 as a preview and wants
    track 3 WHEN she opens the album THEN rows 1-3 carry "In library · FLAC", "Preview only" and
    "Wanted" and the other five no badge, the artist page counts "1 of 8"; WHEN she clicks "Download
    missing" THEN track 1 is skipped at once and only the other seven go to a worker."""
    tracks = list(live_app.spotify.catalog.albums[IDS.two_disc_album].track_ids)
    root = str(live_app.root / "library")
    _shell(live_app, SEED.format(root=root, tracks=tracks, album=IDS.two_disc_album))
    log_in("alice")

    page.goto(f"/album/{IDS.two_disc_album}/")
    rows = page.locator("table.tracks tbody tr:not(.disc-row)")
    expect(rows).to_have_count(8)
    expect(rows.nth(0).locator(".library-badge")).to_have_text("In library · FLAC")
    expect(rows.nth(1).locator(".library-badge")).to_have_text("Preview only")
    expect(rows.nth(2).locator(".library-badge")).to_have_text("Wanted")
    for number in range(3, 8):
        expect(rows.nth(number).locator(".library-badge")).to_have_count(0)

    page.goto(f"/artist/{IDS.artist}/")
    card = page.locator(".card", has=page.get_by_role("link", name="Two Sides", exact=True))
    expect(card.locator(".library-badge")).to_have_text("1 of 8")

    page.goto(f"/album/{IDS.two_disc_album}/")
    page.get_by_role("button", name="Download the missing tracks of Two Sides").click()
    expect(page.locator(".messages")).to_contain_text("Queued the missing tracks of “Two Sides”.")

    jobs = _jobs_once_planned(live_app, 8)
    assert jobs[0][1:] == ["skipped", "Already in the library.", 0]
    assert all(job[2] != "Already in the library." or job[3] > 0 for job in jobs[1:])
    assert [job[0] for job in jobs] == tracks
