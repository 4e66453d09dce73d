"""The Import page in a real browser: paste a list, review it, fix an entry, download."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.fakes.spotify_api import IDS

pytestmark = pytest.mark.browser


def test_a_user_imports_pasted_links_fixes_one_and_downloads(page: Page, log_in) -> None:
    """GIVEN a pasted list with a track and an album Spotify does not know WHEN it is imported THEN the
    review shows one match and the unknown album with its reason and a fix box; fixing it with a track
    link matches it, and Download queues the playlist."""
    log_in("alice")
    page.get_by_role("link", name="Import", exact=True).click()
    page.get_by_label("What you have").select_option("links")
    page.get_by_label("Playlist name").fill("Browser Import")
    page.get_by_label("Paste links, CSV or M3U text").fill(f"{IDS.track}\nspotify:album:{'x' * 22}\n")
    page.get_by_role("button", name="Import", exact=True).click()

    expect(page.get_by_role("heading", name="Browser Import")).to_be_visible()
    expect(page.locator("#import-progress")).to_contain_text("1 of 2 entries matched")
    expect(page.locator("#entry-1")).to_contain_text("Four Forty")
    expect(page.locator("#entry-2")).to_contain_text("album")

    page.get_by_label("Spotify track link for entry 2").fill(
        f"https://open.spotify.com/track/{IDS.track_no_preview}"
    )
    page.locator("#entry-2").get_by_role("button", name="Fix").click()
    expect(page.locator("#import-progress")).to_contain_text("2 of 2 entries matched")
    expect(page.locator("#entry-2")).to_contain_text("Eight Eighty")

    page.get_by_role("button", name="Download", exact=True).click()
    expect(page.locator(".messages")).to_contain_text(re.compile("Queued playlist “Browser Import”"))
