"""Screenshots of every exported report page at a desktop and a phone width: `python -m marketlib.screenshots`.

Builds on the reports that exist (the newest `reports/<date>/` run); only when there is none does it run
`marketlib report` first. Each page (the run's `*.html` and the front page `reports/index.html`) is opened in
headless Chromium with every non-file request blocked and saved full-page as
`reports/<date>/screenshots/<page>-1400.png` and `-390.png` (`make screenshots`).
"""

from __future__ import annotations

import os
import re
import shutil
import sys
from pathlib import Path

WIDTHS = (1400, 390)
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]
_RUN_DIR = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def chromium() -> str | None:
    """Debian's chromium (or MARKETLIB_CHROMIUM), None when it is not installed."""
    return os.environ.get("MARKETLIB_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")


def latest_run(reports_dir: Path) -> Path | None:
    """The newest `reports/<YYYY-MM-DD>/` folder holding exported pages, or None."""
    runs = sorted(p for p in Path(reports_dir).glob("*") if p.is_dir() and _RUN_DIR.match(p.name)
                  and any(p.glob("*.html")))
    return runs[-1] if runs else None


def pages(run_dir: Path) -> list[Path]:
    """The run's exported pages, then the front page when it exists (the run's own copy of the front page,
    `<date>/index.html`, is the same page and would overwrite its screenshot)."""
    found = sorted(Path(run_dir).glob("*.html"))
    front = Path(run_dir).parent / "index.html"
    if not front.is_file():
        return found
    return [*(p for p in found if p.name != "index.html"), front]


def block_network(route) -> None:
    """Playwright route handler: local files load, everything else is refused."""
    if route.request.url.startswith(("file://", "data:")):
        route.continue_()
    else:
        route.abort()


def _capture(page, target: Path, attempts: int = 3) -> None:
    """A full-page PNG; Chromium without a GPU sometimes fails a capture on a busy machine ("Unable to capture
    screenshot"), so a failed one is retried after a reload."""
    from playwright.sync_api import Error

    for attempt in range(attempts):
        try:
            page.screenshot(path=str(target), full_page=True)
            return
        except Error:
            if attempt == attempts - 1:
                raise
            page.reload()
            page.wait_for_load_state("load")


def take(run_dir: Path, widths: tuple[int, ...] = WIDTHS, executable: str | None = None) -> list[Path]:
    """Write `<run_dir>/screenshots/<page>-<width>.png` for every page and width; return the files."""
    from playwright.sync_api import sync_playwright

    executable = executable or chromium()
    if not executable:
        raise RuntimeError("headless Chromium is not installed; install it with `apt-get install chromium`")
    out_dir = Path(run_dir) / "screenshots"
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        try:
            for width in widths:
                page = browser.new_page(viewport={"width": width, "height": 900})
                page.route("**/*", block_network)
                for path in pages(run_dir):
                    page.goto(path.resolve().as_uri())
                    page.wait_for_load_state("load")
                    target = out_dir / f"{path.stem}-{width}.png"
                    _capture(page, target)
                    written.append(target)
                page.close()
        finally:
            browser.close()
    return written


def main(argv: list[str] | None = None) -> int:
    from marketlib.config import get_settings

    settings = get_settings()
    run_dir = latest_run(settings.reports_dir)
    if run_dir is None:
        from marketlib.report import run_reports

        print("No exported reports yet: running `marketlib report` first.")
        run_reports(settings=settings)
        run_dir = latest_run(settings.reports_dir)
        if run_dir is None:
            print("`marketlib report` exported no page; nothing to screenshot.", file=sys.stderr)
            return 1
    for path in take(run_dir):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
