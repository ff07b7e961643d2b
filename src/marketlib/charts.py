"""Altair chart builders with one theme and a provenance caption on every chart.

Every builder takes a small, pre-aggregated polars frame (never raw rows; more than MAX_ROWS rows is refused)
and returns a chart whose title carries a subtitle caption naming sources, snapshot dates and n. Data is
inlined (Altair's default data transformer), so specs render offline with vega-embed or vl-convert.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

import altair as alt
import polars as pl

from marketlib import chart_layout as layout
from marketlib.chart_theme import (  # noqa: F401 - re-exported: the one theme and renderer
    LAB_MIMETYPE,
    PALETTE,
    RENDERER,
    THEME,
    THIN_COLOR,
    use_theme,
)

MAX_ROWS = 2000  # charts show aggregates; a frame this large is almost surely raw rows
CAPTION_WIDTH = 110


def caption(sources: Sequence[str], dates: str, n: int, note: str = "") -> str:
    """'Sources: a; b. Snapshot dates: …. n = 1,234.' plus an optional caveat."""
    names = "; ".join(dict.fromkeys(s for s in sources if s)) or "none"
    text = f"Sources: {names}. Snapshot dates: {dates or 'n/a'}. n = {n:,}."
    return f"{text} {note}".strip()


def _title(title: str, caption_text: str) -> alt.TitleParams:
    return alt.TitleParams(text=title, subtitle=textwrap.wrap(caption_text.strip(), CAPTION_WIDTH))


def _check(data: pl.DataFrame, *columns: str | None) -> pl.DataFrame:
    if data.height > MAX_ROWS:
        raise ValueError(
            f"chart data has {data.height} rows; charts take pre-aggregated frames (at most {MAX_ROWS} rows)"
        )
    missing = [c for c in columns if c and c not in data.columns]
    if missing:
        raise ValueError(f"chart data lacks column(s) {', '.join(missing)}")
    # Only the columns the chart uses are embedded: nothing else of the frame reaches the HTML.
    return data.select(list(dict.fromkeys(c for c in columns if c)))


def _tooltip(tooltip: Sequence[alt.Tooltip | str] | None, default: Sequence[str]) -> list:
    return list(tooltip) if tooltip else [alt.Tooltip(c) for c in default]


def _tooltip_fields(tooltip: Sequence[alt.Tooltip | str] | None) -> list[str]:
    out = []
    for t in tooltip or []:
        field = t if isinstance(t, str) else t.to_dict().get("field")
        if field:
            out.append(field.split(":")[0])
    return out


def ranked_dots(
    data: pl.DataFrame,
    *,
    label: str,
    value: str,
    low: str,
    high: str,
    title: str,
    x_title: str,
    caption_text: str,
    tooltip: Sequence[alt.Tooltip | str] | None = None,
    thin: str | None = "is_thin",
    reference_value: float | None = None,
    label_title: str = "",
) -> alt.LayerChart:
    """Dots ranked by value (largest on top) with interval rules; thin cells drawn grey and hollow."""
    thin = thin if thin in data.columns else None
    data = _check(data, label, value, low, high, thin, *_tooltip_fields(tooltip))
    order = alt.EncodingSortField(field=value, order="descending")
    y = alt.Y(f"{label}:N", sort=order, title=label_title or None)
    base = alt.Chart(data)
    rules = base.mark_rule(strokeWidth=2, color="#7a9cb8").encode(
        y=y, x=alt.X(f"{low}:Q", title=x_title), x2=f"{high}:Q"
    )
    color = layout.point_color(thin)
    dots = base.mark_point(size=70, filled=True).encode(
        y=y,
        x=alt.X(f"{value}:Q", title=x_title),
        color=color,
        tooltip=_tooltip(tooltip, [label, value, low, high]),
    )
    layers = [rules, dots]
    if reference_value is not None:
        layers.append(
            alt.Chart(pl.DataFrame({"reference": [reference_value]}))
            .mark_rule(strokeDash=[4, 4], color="#555")
            .encode(x="reference:Q")
        )
    return alt.layer(*layers).properties(title=_title(title, caption_text), height=alt.Step(18))


def loglog_scatter(data: pl.DataFrame, *, iso_ratios: Sequence[float] = (0.001, 0.01, 0.1), **kwargs):
    """Log-log scatter of y vs x with dashed iso-ratio lines y = r·x, labelled at their right end (see
    `scatter` for the other arguments)."""
    return scatter(data, log=True, iso_ratios=iso_ratios, **kwargs)


def bars(
    data: pl.DataFrame,
    *,
    category: str,
    value: str,
    title: str,
    value_title: str,
    caption_text: str,
    color: str | None = None,
    stacked: bool = False,
    low: str | None = None,
    high: str | None = None,
    category_title: str = "",
    color_title: str = "",
    sort: Sequence[str] | str = "-x",
    tooltip: Sequence[alt.Tooltip | str] | None = None,
) -> alt.Chart | alt.LayerChart:
    """Horizontal bars: grouped by `color` (side by side) or stacked; interval rules when grouped.

    Grouped bars whose `color` series end in a date (catalogue editions) are ranked by their value in the
    latest one, which the category axis title names, and the legend lists the series oldest first; other
    grouped bars are ranked by their total over the groups."""
    data = _check(data, category, value, color, low, high, *_tooltip_fields(tooltip))
    order: Sequence[str] | str = list(sort) if not isinstance(sort, str) else sort
    if color and sort == "-x" and data.height and layout.is_dated(data[color].to_list()):
        order, latest = layout.latest_order(data, category, value, color)
        category_title = f"{category_title or category} (sorted by {latest})"
    elif color and sort == "-x" and data.height:  # undated groups (role families): by their total
        order = layout.total_order(data, category, value)
    y = alt.Y(f"{category}:N", title=category_title or None, sort=order)
    x = alt.X(f"{value}:Q", title=value_title, stack="zero" if stacked else None)
    enc = {
        "y": y,
        "x": x,
        "tooltip": _tooltip(tooltip, [c for c in (category, color, value, low, high) if c]),
    }
    if color:
        enc["color"] = alt.Color(f"{color}:N", title=color_title or None,
                                 sort=layout.series_order(data[color].to_list()))
        if not stacked:
            enc["yOffset"] = alt.YOffset(f"{color}:N", sort=layout.series_order(data[color].to_list()))
    chart = alt.Chart(data).mark_bar().encode(**enc)
    if low and high and not stacked:
        rule_enc = {"y": y, "x": alt.X(f"{low}:Q", title=value_title), "x2": f"{high}:Q"}
        if color:
            rule_enc["yOffset"] = alt.YOffset(f"{color}:N")
        chart = alt.layer(chart, alt.Chart(data).mark_rule(color="#333").encode(**rule_enc))
    return chart.properties(title=_title(title, caption_text))


def distribution_bars(
    data: pl.DataFrame,
    *,
    bucket: str,
    share: str,
    order: Sequence[str],
    title: str,
    share_title: str,
    caption_text: str,
    low: str | None = None,
    high: str | None = None,
    group: str | None = None,
    bucket_title: str = "",
    tooltip: Sequence[alt.Tooltip | str] | None = None,
) -> alt.Chart | alt.LayerChart:
    """Vertical bars of a distribution in a fixed bucket order; `group` facets small multiples, wrapped into
    FACET_COLUMNS columns under short, distinct titles (metro names shortened to their leading city)."""
    data = _check(data, bucket, share, low, high, group, *_tooltip_fields(tooltip))
    if group:
        short = layout.distinct_labels(data[group].to_list(), layout.FACET_LABEL_CHARS)
        data = data.with_columns(pl.col(group).replace_strict(short, default=pl.col(group)))
    x = alt.X(f"{bucket}:N", sort=list(order), title=bucket_title or None)
    bars_ = (
        alt.Chart()
        .mark_bar(color=PALETTE[0])
        .encode(
            x=x,
            y=alt.Y(f"{share}:Q", title=share_title),
            tooltip=_tooltip(tooltip, [c for c in (group, bucket, share, low, high) if c]),
        )
    )
    layers = [bars_]
    if low and high:
        layers.append(alt.Chart().mark_rule(color="#333").encode(x=x, y=f"{low}:Q", y2=f"{high}:Q"))
    chart = alt.layer(*layers, data=data)
    if group:
        groups = list(dict.fromkeys(data[group].to_list()))
        chart = chart.properties(width=alt.Step(22), height=140).facet(
            facet=alt.Facet(f"{group}:N", title=None, sort=groups,
                            header=alt.Header(labelLimit=0, labelFontSize=11, labelPadding=4)),
            columns=min(layout.FACET_COLUMNS, max(1, len(groups))),
        )
    return chart.properties(title=_title(title, caption_text))


def index_lines(
    data: pl.DataFrame,
    *,
    date: str,
    value: str,
    series: str,
    title: str,
    y_title: str,
    caption_text: str,
    baseline: float = 100.0,
    baseline_label: str = "baseline = 100",
    markers: pl.DataFrame | None = None,
    tooltip: Sequence[alt.Tooltip | str] | None = None,
) -> alt.LayerChart:
    """Lines of an index over time with a dashed baseline rule; `markers` are event dots.

    The time axis names years; legend labels are short and distinct; a series that ends before the others is
    ringed at its last point and the caption says when it ends."""
    data = _check(data, date, value, series, *_tooltip_fields(tooltip))
    names = layout.distinct_labels(data[series].to_list(), layout.LEGEND_LABEL_CHARS)
    data = data.with_columns(pl.col(series).replace_strict(names, default=pl.col(series)))
    if markers is not None:
        markers = markers.with_columns(pl.col(series).replace_strict(names, default=pl.col(series)))
    ends = layout.early_ends(data, date, value, series)
    overall = data.drop_nulls(value)[date].max() if data.height else None
    caption_text = f"{caption_text} {layout.early_end_note(ends, date, series, overall)}"
    x = alt.X(f"{date}:T", title="Date", axis=layout.time_axis(data[date]))
    lines = (
        alt.Chart(data)
        .mark_line(strokeWidth=1.6)
        .encode(
            x=x,
            y=alt.Y(f"{value}:Q", title=y_title),
            color=alt.Color(f"{series}:N", title=None),
            tooltip=_tooltip(tooltip, [series, date, value]),
        )
    )
    rule_data = pl.DataFrame({"baseline": [baseline], "baseline_label": [baseline_label]})
    rule = alt.Chart(rule_data).mark_rule(strokeDash=[5, 4], color="#555").encode(y="baseline:Q")
    rule_text = (
        alt.Chart(rule_data)
        .mark_text(align="left", dy=-6, x=4, fontSize=10, color="#555")
        .encode(y="baseline:Q", text="baseline_label:N")
    )
    layers = [rule, rule_text, lines]
    if markers is not None and markers.height:
        marks = _check(markers, date, value, series, "event")
        layers.append(
            alt.Chart(marks)
            .mark_point(size=60, filled=True, shape="diamond")
            .encode(
                x=x,
                y=f"{value}:Q",
                color=alt.Color(f"{series}:N", title=None),
                tooltip=[series, "event", alt.Tooltip(f"{date}:T"), alt.Tooltip(f"{value}:Q", format=".1f")],
            )
        )
    if ends.height:
        layers.append(layout.end_rings(ends, x=x, date=date, value=value, series=series))
    return alt.layer(*layers).properties(title=_title(title, caption_text))


def quantile_boxes(
    data: pl.DataFrame,
    *,
    category: str,
    p25: str,
    median: str,
    p75: str,
    title: str,
    value_title: str,
    caption_text: str,
    p10: str | None = None,
    p90: str | None = None,
    color: str | None = None,
    category_title: str = "",
    sort: Sequence[str] | None = None,
    tooltip: Sequence[alt.Tooltip | str] | None = None,
) -> alt.LayerChart:
    """Box/IQR chart from precomputed quantiles: whisker p10–p90, box p25–p75, tick at the median."""
    data = _check(data, category, p25, median, p75, p10, p90, color, *_tooltip_fields(tooltip))
    y = alt.Y(f"{category}:N", title=category_title or None, sort=list(sort) if sort else None)
    offset = {"yOffset": alt.YOffset(f"{color}:N")} if color else {}
    colour = {"color": alt.Color(f"{color}:N", title=None)} if color else {"color": alt.value(PALETTE[0])}
    tip = _tooltip(tooltip, [c for c in (category, color, p10, p25, median, p75, p90) if c])
    layers = []
    if p10 and p90:
        layers.append(
            alt.Chart(data)
            .mark_rule(color="#666")
            .encode(y=y, x=alt.X(f"{p10}:Q", title=value_title), x2=f"{p90}:Q", **offset)
        )
    layers.append(
        alt.Chart(data)
        .mark_bar(size=12, opacity=0.8)
        .encode(y=y, x=alt.X(f"{p25}:Q", title=value_title), x2=f"{p75}:Q", tooltip=tip, **offset, **colour)
    )
    layers.append(
        alt.Chart(data)
        .mark_tick(color="black", thickness=2, size=14)
        .encode(y=y, x=alt.X(f"{median}:Q", title=value_title), tooltip=tip, **offset)
    )
    return alt.layer(*layers).properties(title=_title(title, caption_text))


def spec_rows(chart: alt.TopLevelMixin) -> dict[str, int]:
    """Rows per inline dataset of a chart spec (tests use it to check that only aggregates are embedded)."""
    spec = chart.to_dict()
    return {name: len(rows) for name, rows in spec.get("datasets", {}).items()}


def scatter(
    data: pl.DataFrame,
    *,
    x: str,
    y: str,
    label: str,
    title: str,
    x_title: str,
    y_title: str,
    caption_text: str,
    tooltip: Sequence[alt.Tooltip | str] | None = None,
    thin: str | None = "is_thin",
    label_top: int = layout.LABEL_TOP_N,
    log: bool = False,
    iso_ratios: Sequence[float] = (),
    iso_title: str = "ratio",
) -> alt.LayerChart:
    """Scatter of y vs x; thin cells drawn grey. Only the `label_top` points with the largest y whose labels
    do not collide carry a text label (every point has a tooltip). `log`: log axes ticking at powers of ten
    (points with a non-positive value are left out), with dashed iso-ratio lines y = r·x for `iso_ratios`."""
    thin = thin if thin in data.columns else None
    data = _check(data, x, y, label, thin, *_tooltip_fields(tooltip))
    layers, domain, axes = [], None, {}
    if log:
        data = data.filter((pl.col(x) > 0) & (pl.col(y) > 0))
        x_lo, x_hi = (float(data[x].min()) / 2, float(data[x].max()) * 2) if data.height else (0.5, 20.0)
        ys_ = [float(data[y].min()), float(data[y].max())] if data.height else [0.1, 10.0]
        y_lo = min([ys_[0]] + [r * x_lo for r in iso_ratios])
        y_hi = max([ys_[1]] + [r * x_hi for r in iso_ratios])
        domain = ((x_lo, x_hi), (y_lo, y_hi))
        axes = {"x": {"scale": alt.Scale(type="log"), "axis": layout.log_axis(x_lo, x_hi)},
                "y": {"scale": alt.Scale(type="log"), "axis": layout.log_axis(y_lo, y_hi)}}
        if iso_ratios:
            layers += _iso_lines(iso_ratios, iso_title, x_lo, x_hi, x_title, y_title, axes)
    linear = {"scale": alt.Scale(zero=False)}
    xs = alt.X(f"{x}:Q", title=x_title, **axes.get("x", linear))
    ys = alt.Y(f"{y}:Q", title=y_title, **axes.get("y", linear))
    points = alt.Chart(data).mark_circle(size=60).encode(
        x=xs, y=ys, color=layout.point_color(thin), tooltip=_tooltip(tooltip, [label, x, y]))
    labels = layout.top_labels(data, x=xs, y=ys, by=y, label=label, n=label_top, log=log, domain=domain)
    note = layout.unlabelled_note(data.height, len(labels.data))
    return alt.layer(*layers, points, labels).properties(title=_title(title, f"{caption_text} {note}"))


def _iso_lines(ratios: Sequence[float], name: str, x_lo: float, x_hi: float, x_title: str, y_title: str,
               axes: dict) -> list[alt.Chart]:
    """Dashed lines y = r·x across the x range, each labelled at its right end."""
    lines = pl.DataFrame({
        "ratio_label": [f"{name} {r:g}" for r in ratios for _ in (0, 1)],
        "line_x": [v for _ in ratios for v in (x_lo, x_hi)],
        "line_y": [r * v for r in ratios for v in (x_lo, x_hi)],
    })
    iso = alt.Chart(lines).mark_line(strokeDash=[4, 4], color="#b5b5b5").encode(
        x=alt.X("line_x:Q", title=x_title, **axes["x"]),
        y=alt.Y("line_y:Q", title=y_title, **axes["y"]),
        detail="ratio_label:N",
    )
    text = (
        alt.Chart(lines.filter(pl.col("line_x") == x_hi))
        .mark_text(align="left", dx=3, fontSize=10, color="#888")
        .encode(x="line_x:Q", y="line_y:Q", text="ratio_label:N")
    )
    return [iso, text]
