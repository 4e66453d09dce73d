"""The dashboard's live queue when its session ends elsewhere (issue 18 point 1): the server ends the
stream with a ``revoked`` frame and the page hands over to the login page instead of going on."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_logging_out_in_another_tab_ends_the_live_queue(page, log_in) -> None:
    """GIVEN alice's queue page live WHEN she logs out in another tab THEN within seconds the queue
    says so and reloads to the login page."""
    log_in("alice")
    queue = page.context.new_page()
    queue.goto("/queue/")
    expect(queue.locator("#live-state")).to_have_attribute("data-state", "live")

    page.get_by_role("button", name="Log out").click()

    expect(queue.locator("#live-state")).to_contain_text("log in again", timeout=10_000)
    expect(queue).to_have_url(re.compile(r"/login/"), timeout=10_000)
