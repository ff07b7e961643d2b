"""charts: titles, axis titles with units, tooltips, captions with n, and only aggregated rows embedded."""

from __future__ import annotations

import datetime as dt
import math

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
    assert sizes == [2, 3, 3, 4]  # 2 line labels, 3 metros (points and their labels), 2 iso lines × 2 ends
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


# --- layout rules: years on time axes, latest-value order, top-N labels, early ends ringed, distinct labels ---


def _trend(ends: dict[str, int]) -> pl.DataFrame:
    """Monthly index rows from Feb 2020; each series runs for the given number of months."""
    rows = []
    for name, months in ends.items():
        for i in range(months):
            rows.append({"date": dt.date(2020 + (1 + i) // 12, (1 + i) % 12 + 1, 1), "index": 100.0 - i,
                         "series": name})
    return pl.DataFrame(rows)


def _trend_chart(data: pl.DataFrame):
    return charts.index_lines(data, date="date", value="index", series="series", title="Index",
                              y_title="Index (Feb 1 2020 = 100)", caption_text=CAPTION)


def _x_axes(spec: dict) -> list[dict]:
    return [layer["encoding"]["x"].get("axis", {}) for layer in _layers(spec)
            if layer["encoding"].get("x", {}).get("type") == "temporal"]


def test_time_axes_name_the_year():
    long_span = _trend({"US": 70}).to_dict(as_series=False)
    spec = _trend_chart(pl.DataFrame(long_span)).to_dict()
    assert _x_axes(spec) and all("%Y" in axis["format"] for axis in _x_axes(spec))
    short = _trend_chart(_trend({"US": 8})).to_dict()  # months of one or two years: 'Apr 2020', never 'April'
    assert all(axis["format"] == "%b %Y" for axis in _x_axes(short))


def test_series_that_end_early_are_ringed_and_captioned():
    data = _trend({"US (country)": 60, "Software Development (sector, US)": 48, "Mathematics (sector, US)": 48})
    spec = _trend_chart(data).to_dict()
    caption_text = " ".join(spec["title"]["subtitle"])
    assert "Software Development (sector, US) ends Jan 2024" in caption_text
    assert "Mathematics (sector, US) ends Jan 2024" in caption_text
    assert "the other series run to Jan 2025" in caption_text
    rings = [layer for layer in spec["layer"] if layer["mark"].get("filled") is False]
    assert len(rings) == 1
    ringed = spec["datasets"][rings[0]["data"]["name"]]
    assert sorted(r["series"] for r in ringed) == ["Mathematics (sector, US)", "Software Development (sector, US)"]
    assert {r["date"][:10] for r in ringed} == {"2024-01-01"}  # the last point of each, not the overall end
    same_end = _trend_chart(_trend({"US": 60, "CA": 60})).to_dict()
    assert not any(layer["mark"].get("filled") is False for layer in same_end["layer"])
    assert "Ringed" not in " ".join(same_end["title"]["subtitle"])


def test_legend_labels_are_distinct_and_not_cut():
    long_a = "Software Development (sector, seasonally adjusted, United States of America)"
    long_b = "Software Development (sector, seasonally adjusted, Canada and its provinces)"
    spec = _trend_chart(_trend({long_a: 12, long_b: 12})).to_dict()
    names = {r["series"] for rows in spec["datasets"].values() for r in rows if "series" in r}
    assert len(names) == 2 and all(len(n) <= charts.layout.LEGEND_LABEL_CHARS or n in (long_a, long_b)
                                   for n in names)
    assert alt.theme.get()()["config"]["legend"]["labelLimit"] >= 300  # the theme never cuts a label short
    labels = charts.layout.distinct_labels(["Software Development (sector, CA)", "Software Development (sector, US)"],
                                           24)
    assert len(set(labels.values())) == 2
    assert all(not v.endswith(("Developm…", "Sof…")) for v in labels.values())  # cut only at word boundaries


def test_grouped_bars_are_sorted_by_the_latest_series():
    data = pl.DataFrame({
        "domain": ["llm", "recsys", "cv"] * 2,
        "count": [10, 80, 30, 190, 120, 35],  # oldest edition: recsys first; latest: llm first
        "edition": ["evidently 2024-05-17"] * 3 + ["evidently 2025-11-23"] * 3,
    })
    spec = charts.bars(data, category="domain", value="count", color="edition", title="T",
                       value_title="Case studies (count)", caption_text=CAPTION, category_title="Domain").to_dict()
    y = spec["encoding"]["y"]
    assert y["sort"] == ["llm", "recsys", "cv"]
    assert y["title"] == "Domain (sorted by evidently 2025-11-23)"
    assert spec["encoding"]["color"]["sort"] == ["evidently 2024-05-17", "evidently 2025-11-23"]
    editions = charts.layout.series_order(["eren23 2026-07-25", "evidently 2024-05-17", "evidently 2025-01-01"])
    assert editions[-1] == "eren23 2026-07-25"  # the latest by date, not by name
    families = data.with_columns(
        pl.col("edition").replace({"evidently 2024-05-17": "ml_engineer", "evidently 2025-11-23": "data_scientist"}),
        pl.Series("count", [10, 80, 30, 100, 60, 35]))  # the last group alone would put llm first
    spec = charts.bars(families, category="domain", value="count", color="edition", title="T",
                       value_title="Share (%)", caption_text=CAPTION, category_title="Domain").to_dict()
    assert spec["encoding"]["y"]["sort"] == ["recsys", "llm", "cv"]  # no latest group: by the total
    assert spec["encoding"]["y"]["title"] == "Domain"


def _scatter_data(count: int) -> pl.DataFrame:
    return pl.DataFrame({
        "metro": [f"Metro number {i}" for i in range(count)],
        "professionals": [1000.0 * (1 + i) for i in range(count)],
        "openings": [float(count - i) for i in range(count)],
    })


def _text_rows(spec: dict) -> list[dict]:
    text_layers = [layer for layer in spec["layer"] if layer["mark"]["type"] == "text"
                   and layer["encoding"]["text"]["field"] == "point_label"]
    assert len(text_layers) == 1
    return spec["datasets"][text_layers[0]["data"]["name"]]


def test_scatter_labels_only_the_top_points():
    spec = charts.loglog_scatter(_scatter_data(30), x="professionals", y="openings", label="metro", title="S",
                                 x_title="Professionals (jobs)", y_title="Openings (postings)",
                                 caption_text=CAPTION, label_top=5).to_dict()
    labelled = _text_rows(spec)
    assert 1 <= len(labelled) <= 5
    assert labelled[0]["metro"] == "Metro number 0"  # the most openings first
    openings = [r["openings"] for r in labelled]
    assert openings == sorted(openings, reverse=True)  # the largest points that have room, in order
    assert f"Labelled: {len(labelled)} of 30 points" in " ".join(spec["title"]["subtitle"])
    points = [layer for layer in spec["layer"] if layer["mark"]["type"] == "circle"][0]
    assert len(spec["datasets"][points["data"]["name"]]) == 30  # every point is drawn, with a tooltip
    assert "tooltip" in points["encoding"]


def test_labels_that_would_overlap_are_left_to_the_tooltip():
    crowded = pl.DataFrame({"metro": ["Alpha City", "Beta City", "Gamma City"], "x": [1000.0, 1010.0, 90000.0],
                            "y": [50.0, 49.0, 2.0]})
    shown = charts.layout.top_labelled(crowded, "y", "metro", 3, x="x", y="y", log=True)
    assert shown["metro"].to_list() == ["Alpha City", "Gamma City"]  # Beta's label would sit on Alpha's


def test_log_axes_tick_at_powers_of_ten():
    assert charts.layout.log_ticks(300, 120_000) == [1000.0, 10000.0, 100000.0]
    assert charts.layout.log_ticks(30, 400) == [50.0, 100.0, 200.0]  # a short span adds 2× and 5×
    spec = charts.loglog_scatter(_agg(), x="professionals", y="openings", label="metro", title="S",
                                 x_title="Professionals (jobs)", y_title="Openings (postings)",
                                 caption_text=CAPTION).to_dict()
    axis = spec["layer"][2]["encoding"]["x"]["axis"]
    assert axis["values"] == [500.0, 1000.0, 2000.0]  # 1×, 2× and 5× powers of ten: never '380400'
    assert all(round(v / 10 ** math.floor(math.log10(v))) in (1, 2, 5) for v in axis["values"])
    assert axis["format"] == ",~g"


def test_facets_wrap_into_columns_with_short_distinct_titles():
    metros = ["San Francisco-Oakland-Fremont, CA", "San Jose-Sunnyvale-Santa Clara, CA",
              "New York-Newark-Jersey City, NY-NJ", "Washington-Arlington-Alexandria, DC-VA-MD-WV"]
    data = pl.DataFrame({"metro": [m for m in metros for _ in (0, 1)], "b": ["none", "2-4"] * 4,
                         "s": [60.0, 40.0] * 4})
    spec = charts.distribution_bars(data, bucket="b", share="s", order=["none", "2-4"], group="metro",
                                    title="YOE", share_title="Share of postings (%)", caption_text=CAPTION).to_dict()
    assert spec["columns"] == 3 and "facet" in spec
    titles = {r["metro"] for rows in spec["datasets"].values() for r in rows}
    assert titles == {"San Francisco, CA", "San Jose, CA", "New York, NY", "Washington, DC"}
