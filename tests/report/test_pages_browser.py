"""Every exported page as a reader sees it in headless Chromium (network blocked), at 1400 and 390 px: the findings
come first, tables show no `null`, no quoted values and no cut words, and the page never scrolls sideways.
Screenshots of each page at both widths are written by marketlib.screenshots (`make screenshots`)."""

from __future__ import annotations

import re

import pytest

from marketlib import screenshots
from marketlib.pages import QUESTIONS
from tests.report.browser import chromium_path, inspect_layout

pytestmark = pytest.mark.browser
WIDTHS = (1400, 390)
# A value shown as code: wrapped whole in quotes, or a Python/JSON list of strings ("['a', 'b']", '["a"]').
QUOTED = re.compile(r"""^\s*(["'“‘]).*\1\s*$|[\[(]\s*["']""")
MISSING_WORDS = re.compile(r"\b(null|None|NaN|nan)\b")
CODE_MISSING = re.compile(r"\bnull\b|\bNaN\b|=None\b|\bNone[,)\]]")  # 'None stated' in a licence is prose
CUT = re.compile(r"[^\W\d](…|\.\.\.)(\s|$)")  # a word ending in an ellipsis: text cut short (not a range "a…b")


@pytest.fixture(scope="module")
def layouts(report_run):
    chromium_path()
    _ok, settings, run_dir = report_run
    pages = screenshots.pages(run_dir)
    assert (settings.reports_dir / "index.html") in pages and len(pages) > 5
    return run_dir, pages, inspect_layout(pages, WIDTHS)


def _reports(pages):
    return [p.name for p in pages if p.name != "index.html"]


def test_findings_with_numbers_come_right_after_the_title(layouts):
    _run_dir, pages, seen = layouts
    for name in _reports(pages):
        first = seen[(name, 1400)]["first_after_title"]
        assert first is not None and first["tag"] == "SECTION" and first["id"] == "findings", (name, first)
        assert re.search(r"\d", first["text"].split("\n", 1)[-1]), (name, first["text"])  # numbers, not prose only


def test_the_front_page_opens_on_the_first_question_and_its_findings(layouts):
    _run_dir, _pages, seen = layouts
    first = seen[("index.html", 1400)]["first_after_title"]
    questions = {key for key, *_ in QUESTIONS} | {"other"}
    assert first is not None and first["tag"] == "SECTION" and first["id"] in questions, first
    assert re.search(r"\d", first["text"].split("\n", 1)[-1]), first["text"][:200]


def test_pages_show_no_null_or_python_none(layouts):
    """Nowhere on a page, the folded method block included: parameters and values read as text, not as code."""
    _run_dir, pages, seen = layouts
    for name in _reports(pages):
        text = seen[(name, 1400)]["text"]
        assert not CODE_MISSING.findall(text), (name, CODE_MISSING.findall(text)[:3])


def test_tables_show_no_null_no_quoted_values_and_no_cut_words(layouts):
    _run_dir, pages, seen = layouts
    for name in _reports(pages):
        for width in WIDTHS:
            cells = seen[(name, width)]["cells"]
            assert cells, name  # every report shows at least one table
            assert [c for c in cells if MISSING_WORDS.fullmatch(c) or c.lower() == "null"] == [], (name, width)
            assert [c for c in cells if QUOTED.search(c)] == [], (name, width)
            assert [c for c in cells if CUT.search(c)] == [], (name, width)
            assert seen[(name, width)]["cut_cells"] == [], (name, width)  # nothing hidden by overflow either


def test_text_reads_from_the_left_and_numbers_line_up_on_the_right(layouts):
    _run_dir, pages, seen = layouts
    for name in _reports(pages):
        assert seen[(name, 1400)]["misaligned"] == [], name


def test_no_page_scrolls_sideways_at_desktop_or_phone_width(layouts):
    _run_dir, pages, seen = layouts
    for page in pages:
        for width in WIDTHS:
            got = seen[(page.name, width)]
            assert got["scroll_width"] <= got["client_width"], (page.name, width, got["wide_elements"])


def test_report_tables_fit_a_phone_without_scrolling_inside(layouts):
    """At 390 px the one table renderer stacks the rows of wide tables into label/value lines and wraps narrow
    ones: no table scrolls sideways, and nothing else is wider than the screen."""
    _run_dir, pages, seen = layouts
    for name in _reports(pages):
        assert seen[(name, 390)]["scrolling_tables"] == [], name
        assert seen[(name, 390)]["wide_elements"] == [], name


def test_screenshots_of_every_page_at_both_widths(layouts):
    run_dir, pages, _seen = layouts
    written = screenshots.take(run_dir, WIDTHS, executable=chromium_path())
    expected = {run_dir / "screenshots" / f"{p.stem}-{w}.png" for p in pages for w in WIDTHS}
    assert set(written) == expected and len(written) == len(expected)  # no page overwrites another's file
    for path in expected:
        head = path.read_bytes()[:24]
        assert head[:8] == b"\x89PNG\r\n\x1a\n"
        width = int.from_bytes(head[16:20], "big")
        assert width == int(path.stem.rsplit("-", 1)[1]), path.name  # full page, never wider than the viewport
