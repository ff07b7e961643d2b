"""Open exported HTML in headless Chromium with the network blocked (playwright-core driving Debian's chromium)."""

from __future__ import annotations

from pathlib import Path

import pytest

from marketlib.screenshots import CHROMIUM_FLAGS, block_network, chromium


def chromium_path() -> str:
    path = chromium()
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


# What a reader sees, measured in the page: the block after the title, the table cells as shown, words cut by
# CSS (a cell whose text overflows its box while hidden or ellipsized), how far the page scrolls sideways, and
# which tables scroll sideways inside their box (named by their first header).
_LAYOUT_JS = """() => {
  const doc = document.documentElement;
  const h1 = document.querySelector('h1');
  let first = h1 ? h1.nextElementSibling : null;
  while (first && ['STYLE', 'SCRIPT'].includes(first.tagName)) first = first.nextElementSibling;
  const cells = [...document.querySelectorAll('table.marketlib-table td, table.marketlib-table th')];
  const cut = cells.filter(c => {
    const s = getComputedStyle(c);
    return c.scrollWidth > c.clientWidth + 1 && (s.overflow === 'hidden' || s.textOverflow === 'ellipsis');
  }).map(c => c.innerText);
  const wide = [...document.querySelectorAll('body *')].filter(el => {
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.right > doc.clientWidth + 1 && !el.closest('.marketlib-table-wrap, details:not([open])');
  }).slice(0, 5).map(el => el.tagName + (el.className ? '.' + el.className : ''));
  const scrolling = [...document.querySelectorAll('.marketlib-table-wrap')]
    .filter(w => w.scrollWidth > w.clientWidth + 1)
    .map(w => (w.querySelector('th') || w).innerText.trim());
  const aligned = (sel, want) => cells.filter(c => c.matches(sel) && getComputedStyle(c).display === 'table-cell'
    && !getComputedStyle(c).textAlign.match(want)).map(c => c.innerText.trim());
  return {
    text: document.body.textContent,
    misaligned: aligned('td.text', /^(left|start)$/).concat(aligned('td.num', /^(right|end)$/)).slice(0, 5),
    scrolling_tables: scrolling,
    first_after_title: first ? {tag: first.tagName, id: first.id, text: first.innerText} : null,
    cells: cells.filter(c => c.tagName === 'TD').map(c => c.innerText.trim()),
    cut_cells: cut,
    scroll_width: doc.scrollWidth,
    client_width: doc.clientWidth,
    wide_elements: wide,
  };
}"""


def inspect_layout(page_paths: list[Path], widths: tuple[int, ...] = (1400, 390)) -> dict[tuple[str, int], dict]:
    """(page name, viewport width) → what _LAYOUT_JS measured, for every page at every width, offline."""
    from playwright.sync_api import sync_playwright

    out = {}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_FLAGS)
        try:
            for width in widths:
                page = browser.new_page(viewport={"width": width, "height": 900})
                page.route("**/*", block_network)
                for path in page_paths:
                    page.goto(Path(path).resolve().as_uri())
                    page.wait_for_load_state("load")
                    out[(Path(path).name, width)] = page.evaluate(_LAYOUT_JS)
                page.close()
        finally:
            browser.close()
    return out
