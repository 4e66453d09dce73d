"""Browser tests: Playwright driving Debian's Chromium against the running app (see server.py).

Every test gets a fresh browser context (no shared cookies) and saves a screenshot to
tests/artifacts/ when it fails. Set SPOTIZERR_SCREENSHOTS=docs/screenshots to also write the
README's screenshots.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.dashboard.browser.server import ADMIN_PASSWORD, ROOT, USER_PASSWORD, LiveApp, live_app_start

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = ROOT / "tests" / "artifacts"
PASSWORDS = {"admin": ADMIN_PASSWORD, "alice": USER_PASSWORD}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    skip = pytest.mark.skip(
        reason="browser tests need Debian's Chromium at /usr/bin/chromium "
        "(apt-get install chromium; .ci/run installs it)"
    )
    for item in items:
        if "browser" in item.keywords and not CHROMIUM.exists():
            item.add_marker(skip)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


# Package scope: Playwright's sync API marks an event loop as running in the main thread until it
# stops, which would break asyncio.run() in every test collected after the browser tests.
@pytest.fixture(scope="package")
def live_app(tmp_path_factory) -> Iterator[LiveApp]:
    app = live_app_start(tmp_path_factory.mktemp("live-app"))
    yield app
    app.stop()


@pytest.fixture(scope="package")
def chromium_browser() -> Iterator:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(chromium_browser, live_app: LiveApp, request: pytest.FixtureRequest) -> Iterator:
    context = chromium_browser.new_context(
        base_url=live_app.base_url, viewport={"width": 1200, "height": 900}
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("dialog", lambda dialog: dialog.accept())
    yield page
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        name = re.sub(r"[^A-Za-z0-9_.-]", "_", request.node.name)
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
        (ARTIFACTS / f"{name}.console.txt").write_text("\n".join(errors))
    context.close()


@pytest.fixture
def log_in(page) -> Callable[[str], None]:
    def go(username: str) -> None:
        page.goto("/login/")
        page.get_by_label("User name").fill(username)
        page.get_by_label("Password").fill(PASSWORDS[username])
        page.get_by_role("button", name="Log in").click()
        page.wait_for_url(re.compile(r"/$"))

    return go


@pytest.fixture
def readme_shot() -> Callable[..., None]:
    """``readme_shot(page, "queue")``: save docs/screenshots/queue.png when SPOTIZERR_SCREENSHOTS is set."""
    folder = os.environ.get("SPOTIZERR_SCREENSHOTS")

    def shoot(page, name: str) -> None:
        if folder:
            target = ROOT / folder
            target.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(target / f"{name}.png"))

    return shoot
