"""Layout rules the chart builders share, so every chart reads the same way.

Time axes name the year; log axes tick at powers of ten; bars rank by their latest series; only the top N points
of a scatter carry a text label (the rest in the tooltip and the table); a line that ends before the others is
ringed at its last point and the caption says so; legend and facet labels are short, whole words and distinct.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Sequence

import altair as alt
import polars as pl

from marketlib.chart_theme import PALETTE, THIN_COLOR

LABEL_TOP_N = 10  # scatter points labelled on the chart; the others are on hover and in the table
FACET_COLUMNS = 3
FACET_LABEL_CHARS = 22
LEGEND_LABEL_CHARS = 48
_TRAILING_DATE = re.compile(r"(\d{4}-\d{2}(?:-\d{2})?)\s*$")


def point_color(thin: str | None) -> alt.condition | alt.value:
    """Grey for thin cells (when the frame has the flag), the palette's first colour otherwise."""
    if thin:
        return alt.condition(f"datum['{thin}']", alt.value(THIN_COLOR), alt.value(PALETTE[0]))
    return alt.value(PALETTE[0])


def time_axis(dates: pl.Series) -> alt.Axis:
    """A date axis whose labels carry the year: '%Y' ticks over long spans, 'Jan 2025' over short ones."""
    values = dates.drop_nulls()
    span_days = (values.max() - values.min()).days if values.len() > 1 else 0
    if span_days > 3 * 366:
        return alt.Axis(format="%Y", tickCount={"interval": "year", "step": 1}, labelAngle=0)
    return alt.Axis(format="%b %Y", labelAngle=0, labelOverlap=True)


def log_ticks(low: float, high: float) -> list[float]:
    """Tick values for a log axis between low and high: powers of ten (with 2× and 5× when the span is short)."""
    if not (low > 0 and high > 0):
        return [1.0, 10.0]
    first, last = math.floor(math.log10(low)), math.ceil(math.log10(high))
    powers = [10.0**e for e in range(first, last + 1)]
    inside = [v for v in powers if low <= v <= high]
    if len(inside) >= 2:
        return inside
    steps = [m * p for p in powers for m in (1, 2, 5)]
    return [v for v in steps if low <= v <= high] or powers


def log_axis(low: float, high: float) -> alt.Axis:
    return alt.Axis(values=log_ticks(low, high), format=",~g", labelOverlap=True)


def is_dated(values: Sequence[str]) -> bool:
    """Whether every series name ends in a date ('evidently 2025-01-01'), so that one of them is the latest."""
    names = [v for v in values if v is not None]
    return bool(names) and all(_TRAILING_DATE.search(str(v)) for v in names)


def series_order(values: Sequence[str]) -> list[str]:
    """Series names oldest first: by a trailing date when the names end in one ('evidently 2025-01-01'), else
    as given."""
    names = list(dict.fromkeys(v for v in values if v is not None))
    if is_dated(names):
        return sorted(names, key=lambda v: (_TRAILING_DATE.search(str(v)).group(1), str(v)))
    return names


def total_order(data: pl.DataFrame, category: str, value: str) -> list[str]:
    """Categories ranked by their total over the series, largest first."""
    totals = data.group_by(category).agg(pl.col(value).sum().alias("_total"))
    return totals.sort(["_total", category], descending=[True, False])[category].to_list()


def latest_order(data: pl.DataFrame, category: str, value: str, series: str) -> tuple[list[str], str]:
    """Categories ranked by their value in the latest series (largest first; ties and absent values by the
    largest value of any series), and that series' name."""
    latest = series_order(data[series].to_list())[-1]
    ranked = (
        data.group_by(category)
        .agg(
            pl.col(value).filter(pl.col(series) == latest).max().fill_null(float("-inf")).alias("_latest"),
            pl.col(value).max().alias("_any"),
        )
        .sort(["_latest", "_any", category], descending=[True, True, False], nulls_last=True)
    )
    return ranked[category].to_list(), latest


def top_labelled(data: pl.DataFrame, by: str, label: str, n: int = LABEL_TOP_N, *, x: str | None = None,
                 y: str | None = None, log: bool = False, size: tuple[int, int] = (560, 320),
                 domain: tuple[tuple[float, float], tuple[float, float]] | None = None) -> pl.DataFrame:
    """The rows whose points get a text label: the n with the largest `by`, skipping any whose label box would
    overlap one already placed (positions estimated on a `size` plot, log axes when `log`)."""
    ranked = data.drop_nulls(by).sort([by, label], descending=[True, False])
    if x is None or y is None or not ranked.height:
        return ranked.head(n)

    def scaled(column: str, extent: int, bounds: tuple[float, float] | None) -> list[float]:
        def f(v: float) -> float:
            return math.log10(v) if log else v

        values = [f(v) for v in ranked[column].cast(pl.Float64).to_list()]
        lo, hi = (f(bounds[0]), f(bounds[1])) if bounds else (min(values), max(values))
        return [(v - lo) / ((hi - lo) or 1.0) * extent for v in values]

    xs = scaled(x, size[0], domain[0] if domain else None)
    ys = scaled(y, size[1], domain[1] if domain else None)
    placed: list[tuple[float, float, float, float]] = []
    keep = []
    for i, text in enumerate(ranked[label].cast(pl.String).to_list()):
        box = (xs[i] + 4, ys[i] - 2, xs[i] + 6 + 6.2 * len(short_label(text or "", FACET_LABEL_CHARS)), ys[i] + 14)
        if any(box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3] for b in placed):
            continue
        placed.append(box)
        keep.append(i)
        if len(keep) == n:
            break
    return ranked[keep]


def short_label(text: str, limit: int) -> str:
    """A label of at most `limit` characters, cut at a word boundary with '…' (never inside a word); a metro
    name 'San Francisco-Oakland-Fremont, CA' first shortens to its leading city 'San Francisco, CA'."""
    text = str(text)
    if len(text) <= limit:
        return text
    head, comma, state = text.partition(", ")
    if comma and "-" in head:
        text = f"{head.split('-')[0]}, {state.split('-')[0]}"
        if len(text) <= limit:
            return text
    words, out = text.split(), ""
    for word in words:
        candidate = f"{out} {word}".strip()
        if len(candidate) + 1 > limit:
            break
        out = candidate
    return f"{out or words[0]}…"


def distinct_labels(values: Sequence[str], limit: int) -> dict[str, str]:
    """Full name → short label for each value, every label distinct (a value whose short label would collide
    keeps more words, and at worst its full name)."""
    names = list(dict.fromkeys(str(v) for v in values if v is not None))
    out = {v: short_label(v, limit) for v in names}
    for _ in range(4):
        seen: dict[str, list[str]] = {}
        for v, s in out.items():
            seen.setdefault(s, []).append(v)
        clashes = [v for group in seen.values() if len(group) > 1 for v in group]
        if not clashes:
            return out
        limit *= 2
        for v in clashes:
            out[v] = short_label(v, limit)
    return {v: (out[v] if list(out.values()).count(out[v]) == 1 else v) for v in names}


def early_ends(data: pl.DataFrame, date: str, value: str, series: str) -> pl.DataFrame:
    """Each series whose last point comes before the latest date of any series: its last row (series, date,
    value), sorted by date. Monthly points count as ending early when a month or more short."""
    last = data.drop_nulls(value).sort(date).group_by(series, maintain_order=True).last()
    if not last.height:
        return last.select(series, date, value)
    overall = last[date].max()
    gap = pl.col(date) < pl.lit(overall) - pl.duration(days=27)
    return last.filter(gap).select(series, date, value).sort(date, series)


def early_end_note(ends: pl.DataFrame, date: str, series: str, overall: dt.date | None) -> str:
    """'Ringed: Software Development ends Dec 2024; the other series run to Mar 2026.'"""
    if not ends.height or overall is None:
        return ""
    parts = [f"{name} ends {day:%b %Y}" for name, day in ends.select(series, date).iter_rows()]
    return f"Ringed: series that end early ({'; '.join(parts)}); the other series run to {overall:%b %Y}."


def top_labels(data: pl.DataFrame, *, x: alt.X, y: alt.Y, by: str, label: str, n: int = LABEL_TOP_N,
               log: bool = False, domain=None) -> alt.Chart:
    """Short text labels for the largest points whose labels do not collide; the rest are on hover and in the
    table (the full name is in the tooltip)."""
    shown = top_labelled(data, by, label, n, x=x.shorthand.split(":")[0], y=y.shorthand.split(":")[0], log=log,
                         domain=domain)
    shown = shown.with_columns(
        pl.col(label).map_elements(lambda v: short_label(v, FACET_LABEL_CHARS), return_dtype=pl.String)
        .alias("point_label"))
    return alt.Chart(shown).mark_text(align="left", dx=5, dy=-5, fontSize=10).encode(
        x=x, y=y, text="point_label:N")


def unlabelled_note(points: int, labelled: int) -> str:
    return f"Labelled: {labelled} of {points:,} points, largest first; hover for the others (all are in the " \
        "table)." if points > labelled else ""


def end_rings(ends: pl.DataFrame, *, x: alt.X, date: str, value: str, series: str) -> alt.Chart:
    """Hollow rings on the last point of each series that ends early (see early_ends)."""
    return (
        alt.Chart(ends)
        .mark_point(shape="circle", filled=False, size=220, strokeWidth=2.2)
        .encode(
            x=x,
            y=f"{value}:Q",
            color=alt.Color(f"{series}:N", title=None),
            tooltip=[alt.Tooltip(f"{series}:N", title="Series ends early"),
                     alt.Tooltip(f"{date}:T", title="Last point", format="%b %Y")],
        )
    )
