"""The one table renderer: labelled headers, formatted numbers, missing cells explained, text escaped and whole."""

import datetime as dt
import re

import polars as pl

from marketlib import tables


def _cells(page: str) -> list[str]:
    return re.findall(r"<td[^>]*>(.*?)</td>", page)


def test_headers_are_labelled_with_units():
    assert tables.label("success_ratio_low_pct") == "Success ratio low (%)"
    assert tables.label("salary_min_usd") == "Salary min (USD)"
    assert tables.label("is_thin") == "Thin cell?"
    assert tables.label("has_text") == "Text?"
    assert tables.label("yoe_bucket") == "Years of experience"
    assert tables.label("llm_share") == "LLM share"


def test_numbers_missing_and_booleans():
    frame = pl.DataFrame({
        "metro": ["San Jose-Sunnyvale-Santa Clara, CA", "Toronto, CA"],
        "openings": [12345, 7],
        "success_ratio_pct": [3.14159, None],
        "relative_odds": [1.0, 0.4567],
        "is_thin": [False, True],
        "caveat": [None, "no OEWS denominator"],
    })
    page = tables.to_html(frame)
    cells = _cells(page)
    assert "12,345" in cells and "3.1" in cells and "0.46" in cells
    small = tables.to_html(pl.DataFrame({"success_ratio_pct": [0.0543, 0.0]}))
    assert _cells(small) == ["0.054", "0.0"]  # small shares keep two significant digits
    assert "yes" in cells and "no" in cells
    assert "null" not in page and '"San Jose' not in page
    assert tables.MISSING in cells
    assert "caveat column says why" in page  # the footnote names where the reason is


def test_text_is_escaped_and_never_cut():
    long = "A " + "very long explanation of the reason " * 8 + "end."
    frame = pl.DataFrame({"company": ["<script>alert(1)</script>"], "reason": [long]})
    page = tables.to_html(frame)
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert long.replace("  ", " ") in page  # whole text, wrapped by CSS, not truncated


def test_lists_dates_and_row_cap():
    frame = pl.DataFrame({
        "domains": [["cv", "nlp"], []],
        "posted_date": [dt.date(2026, 1, 5), None],
    })
    cells = _cells(tables.to_html(frame))
    assert cells[:2] == ["cv, nlp", "2026-01-05"]
    assert cells[2] == tables.MISSING
    big = pl.DataFrame({"n": list(range(100))})
    page = tables.to_html(big, max_rows=10)
    assert len(_cells(page)) == 10 and "First 10 of 100 rows." in page


def test_empty_frame_says_so():
    assert "No rows for this selection." in tables.to_html(pl.DataFrame({"metro": []}, schema={"metro": pl.String}))
