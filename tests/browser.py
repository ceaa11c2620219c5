"""Real headless Chromium for the web tests: Debian's /usr/bin/chromium driven by Playwright.

`scripts/test` installs Chromium (apt) when it is missing; if it still is, these tests skip
with a message saying so. Screenshots go to test-output/screenshots/.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from smsbot.web.background import BackgroundServer

ROOT = Path(__file__).resolve().parent.parent
SCREENSHOTS = ROOT / "test-output" / "screenshots"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--disable-dev-shm-usage"]


def chromium_path() -> str | None:
    return os.environ.get("SMSBOT_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="session")
def browser():
    path = chromium_path()
    if not path:
        pytest.skip("Chromium not installed (scripts/test installs Debian's chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 390, "height": 844})  # a small phone
    tab = context.new_page()
    yield tab
    context.close()


def screenshot(tab, name: str) -> Path:
    """Save a full-page screenshot as test-output/screenshots/<name>.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    tab.screenshot(path=str(path), full_page=True)
    return path


class LiveServer(BackgroundServer):
    """The ASGI app on a free localhost port, served by the demo's own background server;
    `url` has no trailing slash (tests append paths)."""

    def __init__(self, app):
        super().__init__(app, port=0)
        self.url = self.url.rstrip("/")


@pytest.fixture
def live_server(web_app):
    with LiveServer(web_app) as server:
        yield server
