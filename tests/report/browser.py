"""Open exported HTML in headless Chromium with the network blocked (playwright-core driving Debian's chromium)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def chromium_path() -> str:
    path = os.environ.get("MARKETLIB_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        pytest.skip("headless Chromium is not installed; install it with `sudo apt-get install chromium` "
                    "(CI does this in .ci/run)")
    return path


def inspect_page(page_path: Path) -> dict:
    """Load a page offline; return svg count, console errors, blocked requests and whether a payload ran."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_FLAGS)
        try:
            page = browser.new_page()
            errors: list[str] = []
            blocked: list[str] = []
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: errors.append(str(e)))

            def route(r):
                if r.request.url.startswith("file://"):
                    r.continue_()
                else:
                    blocked.append(r.request.url)
                    r.abort()

            page.route("**/*", route)
            page.goto(Path(page_path).resolve().as_uri())
            page.wait_for_load_state("load")
            return {
                "svg": page.locator("svg.marketlib-chart").count(),
                "errors": errors,
                "blocked": blocked,
                "pwned": page.evaluate("() => window.__pwned === undefined ? null : window.__pwned"),
                "text": page.inner_text("body"),
            }
        finally:
            browser.close()
