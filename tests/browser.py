"""Headless Chromium for the tests and benchmarks: Debian's browser, no network.

Every http(s) request is aborted, so a page shows only what it carries; the
basemap's tiles are the one kind of request a geoparks page may lose.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

CHROMIUM = Path(os.environ.get("GEOPARKS_CHROMIUM", "/usr/bin/chromium"))
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
TILES = re.compile(r"^https://tile\.openstreetmap\.org/")
REMOTE = re.compile(r"^https?://")


@contextmanager
def chromium() -> Iterator[object]:
    """Yield a Playwright browser running Debian's Chromium headless."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield browser
        finally:
            browser.close()


@dataclass
class Visit:
    """A page opened with every http(s) request aborted, and what it reported."""

    page: object
    errors: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)


def open_page(browser: object, path: Path, width: int = 1280, height: int = 800) -> Visit:
    """Open a local HTML file; console errors, failed requests and dialogs are recorded.

    A tile that could not load is not counted as an error or a failed request.
    """
    page = browser.new_page(viewport={"width": width, "height": height})
    visit = Visit(page)
    page.route(REMOTE, lambda route: route.abort())

    def console(message: object) -> None:
        if message.type == "error" and not TILES.match(message.location.get("url", "")):
            visit.errors.append(message.text)

    def dialog(opened: object) -> None:
        visit.dialogs.append(opened.message)
        opened.dismiss()

    page.on("console", console)
    page.on("pageerror", lambda error: visit.errors.append(str(error)))
    page.on("dialog", dialog)
    page.on(
        "requestfailed",
        lambda request: None if TILES.match(request.url) else visit.failed.append(request.url),
    )
    page.goto(path.resolve().as_uri())
    return visit


def open_table(page: object) -> None:
    """Open the table of parks shown and wait for its rows (a details element toggles later)."""
    page.locator(".gp-table summary").click()
    page.wait_for_function("document.querySelector('.gp-table tr.gp-row')")
