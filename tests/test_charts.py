"""charts: titles, axis titles with units, tooltips, captions with n, and only aggregated rows embedded."""

from __future__ import annotations

import datetime as dt

import altair as alt
import polars as pl
import pytest

from marketlib import chart_theme, charts

CAPTION = charts.caption(["simplify", "bls_oews"], "2024-10-24 – 2025-01-19", 1234)


def _agg() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "metro": ["A", "B", "C"],
            "openings": [36, 14, 3],
            "professionals": [1000, 1000, 500],
            "ratio_pct": [3.6, 1.4, 0.6],
            "low_pct": [2.6, 0.8, 0.2],
            "high_pct": [4.9, 2.3, 1.7],
            "is_thin": [False, False, True],
            "description": ["<b>raw text</b>"] * 3,  # a column no chart uses: it must not be embedded
        }
    )


def _layers(spec: dict) -> list[dict]:
    found = []

    def walk(node):
        if isinstance(node, dict):
            if "encoding" in node:
                found.append(node)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(spec)
    return found


def _axis_titles(spec: dict) -> set[str]:
    return {
        enc[ch]["title"]
        for layer in _layers(spec)
        for enc in [layer["encoding"]]
        for ch in ("x", "y")
        if ch in enc and isinstance(enc[ch], dict) and enc[ch].get("title")
    }


def _has_tooltip(spec: dict) -> bool:
    return any("tooltip" in layer["encoding"] for layer in _layers(spec))


def test_caption_names_sources_dates_and_n():
    assert CAPTION == "Sources: simplify; bls_oews. Snapshot dates: 2024-10-24 – 2025-01-19. n = 1,234."
    assert charts.caption([], "", 0).startswith("Sources: none. Snapshot dates: n/a. n = 0.")


def test_theme_enabled_once():
    assert alt.theme.active == charts.THEME
    charts.use_theme()
    assert alt.theme.active == charts.THEME


def _check_common(chart, title: str, axis_title: str, rows: int) -> dict:
    spec = chart.to_dict()
    assert spec["title"]["text"] == title
    assert "n = 1,234" in " ".join(spec["title"]["subtitle"])
    assert "Sources: simplify; bls_oews." in " ".join(spec["title"]["subtitle"])
    assert axis_title in _axis_titles(spec)
    assert _has_tooltip(spec)
    datasets = spec["datasets"]
    assert max(len(rows_) for rows_ in datasets.values()) == rows  # the aggregated rows, nothing more
    assert all("description" not in row for rows_ in datasets.values() for row in rows_)
    return spec


def test_ranked_dots():
    chart = charts.ranked_dots(
        _agg(),
        label="metro",
        value="ratio_pct",
        low="low_pct",
        high="high_pct",
        title="Odds",
        x_title="Success ratio (%)",
        caption_text=CAPTION,
        reference_value=3.6,
    )
    spec = _check_common(chart, "Odds", "Success ratio (%)", 3)
    y = next(layer["encoding"]["y"] for layer in _layers(spec) if "y" in layer["encoding"])
    assert y["sort"] == {"field": "ratio_pct", "order": "descending"}


def test_loglog_scatter_has_iso_lines():
    chart = charts.loglog_scatter(
        _agg(),
        x="professionals",
        y="openings",
        label="metro",
        title="Scatter",
        x_title="Professionals (jobs)",
        y_title="Openings (postings)",
        caption_text=CAPTION,
        iso_ratios=(0.01, 0.05),
    )
    spec = chart.to_dict()
    assert "Professionals (jobs)" in _axis_titles(spec) and "Openings (postings)" in _axis_titles(spec)
    sizes = sorted(len(v) for v in spec["datasets"].values())
    assert sizes == [2, 3, 4]  # 2 line labels, 3 metros, 2 iso lines × 2 ends
    assert all(layer["encoding"]["x"]["scale"]["type"] == "log" for layer in spec["layer"][:1])


def test_grouped_bars_with_intervals():
    data = pl.DataFrame(
        {
            "skill": ["python", "sql"] * 2,
            "share_pct": [56.0, 26.0, 40.0, 30.0],
            "low": [50.0, 20, 35, 25],
            "high": [60.0, 30, 45, 35],
            "role_family": ["ml_engineer"] * 2 + ["data_scientist"] * 2,
        }
    )
    chart = charts.bars(
        data,
        category="skill",
        value="share_pct",
        color="role_family",
        low="low",
        high="high",
        title="Skills",
        value_title="Share of postings (%)",
        caption_text=CAPTION,
    )
    spec = _check_common(chart, "Skills", "Share of postings (%)", 4)
    assert any("yOffset" in layer["encoding"] for layer in _layers(spec))


def test_stacked_bars():
    data = pl.DataFrame({"k": ["a", "b"], "v": [1, 2], "c": ["x", "y"]})
    chart = charts.bars(
        data,
        category="k",
        value="v",
        color="c",
        stacked=True,
        title="T",
        value_title="Count (postings)",
        caption_text=CAPTION,
    )
    spec = _check_common(chart, "T", "Count (postings)", 2)
    assert spec["encoding"]["x"]["stack"] == "zero"


def test_distribution_bars_keep_bucket_order():
    data = pl.DataFrame({"b": ["2-4", "none", "0-1"], "s": [20.0, 70.0, 10.0]})
    chart = charts.distribution_bars(
        data,
        bucket="b",
        share="s",
        order=["none", "0-1", "2-4"],
        title="YOE",
        share_title="Share of postings (%)",
        caption_text=CAPTION,
    )
    spec = _check_common(chart, "YOE", "Share of postings (%)", 3)
    assert _layers(spec)[0]["encoding"]["x"]["sort"] == ["none", "0-1", "2-4"]


def test_index_lines_with_baseline_rule():
    data = pl.DataFrame(
        {"date": [dt.date(2020, 2, 1), dt.date(2020, 3, 1)], "index": [100.0, 90.0], "series": ["US"] * 2}
    )
    chart = charts.index_lines(
        data,
        date="date",
        value="index",
        series="series",
        title="Index",
        y_title="Index (Feb 1 2020 = 100)",
        caption_text=CAPTION,
    )
    spec = _check_common(chart, "Index", "Index (Feb 1 2020 = 100)", 2)
    assert any(
        rows == [{"baseline": 100.0, "baseline_label": "baseline = 100"}]
        for rows in spec["datasets"].values()
    )


def test_quantile_boxes():
    data = pl.DataFrame(
        {
            "level": ["EN", "SE"],
            "p10": [1.0, 2],
            "p25": [2.0, 3],
            "median": [3.0, 4],
            "p75": [4.0, 5],
            "p90": [5.0, 6],
            "n": [40, 50],
        }
    )
    chart = charts.quantile_boxes(
        data,
        category="level",
        p10="p10",
        p25="p25",
        median="median",
        p75="p75",
        p90="p90",
        title="Pay",
        value_title="Annual salary (USD)",
        caption_text=CAPTION,
    )
    spec = _check_common(chart, "Pay", "Annual salary (USD)", 2)
    assert [layer["mark"]["type"] for layer in spec["layer"]] == ["rule", "bar", "tick"]


def test_raw_rows_are_refused():
    big = pl.DataFrame({"k": [str(i) for i in range(charts.MAX_ROWS + 1)], "v": [1] * (charts.MAX_ROWS + 1)})
    with pytest.raises(ValueError, match="pre-aggregated"):
        charts.bars(big, category="k", value="v", title="T", value_title="V (n)", caption_text=CAPTION)


def test_offline_renderer_bundle_has_svg_and_no_cdn():
    chart = charts.bars(
        _agg(),
        category="metro",
        value="openings",
        title="T",
        value_title="Openings (n)",
        caption_text=CAPTION,
    )
    bundle = chart_theme._offline_bundle(chart.to_dict())
    assert bundle["image/svg+xml"].lstrip().startswith("<svg")
    assert not any("cdn" in str(v) for v in bundle.values())
