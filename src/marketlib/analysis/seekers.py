"""Hacker News "Who wants to be hired?" seekers per "Who is hiring?" post, by month (the seekers table)."""

from __future__ import annotations

import altair as alt
import polars as pl

from marketlib import charts, metrics
from marketlib.analysis import common


def per_hiring_post(seekers: pl.DataFrame, min_count: int) -> pl.DataFrame:
    """HN 'Who wants to be hired?' comments per 'Who is hiring?' comment, by month."""
    out = (
        seekers.group_by("month_date")
        .agg(
            pl.col("seekers").sum(),
            pl.col("hiring_posts").sum(),
            pl.col("source").first(),
            pl.col("snapshot_id").first(),
        )
        .with_columns(
            pl.when(pl.col("hiring_posts") > 0)
            .then(pl.col("seekers") / pl.col("hiring_posts"))
            .otherwise(None)
            .alias("seekers_per_hiring_post")
        )
        .sort("month_date")
    )
    return metrics.flag_thin(out, "hiring_posts", min_count)


def seekers_chart(seekers: pl.DataFrame) -> alt.Chart | None:
    data = seekers.filter(pl.col("seekers_per_hiring_post").is_not_null())
    if not data.height:
        return None
    return charts.bars(
        data.with_columns(pl.col("month_date").cast(pl.String).alias("month")),
        category="month",
        value="seekers_per_hiring_post",
        title="Hacker News: job seekers per hiring post, by month",
        value_title="Seekers per hiring post (comments ÷ comments)",
        category_title="Month",
        sort="ascending",
        caption_text=common.chart_caption(
            [seekers], int(data["seekers"].sum()), "n = seeker comments; top-level comments only."
        ),
        tooltip=[
            alt.Tooltip("month:N", title="Month"),
            alt.Tooltip("seekers:Q", title="Seekers", format=","),
            alt.Tooltip("hiring_posts:Q", title="Hiring posts", format=","),
            alt.Tooltip("seekers_per_hiring_post:Q", title="Seekers per hiring post", format=".2f"),
        ],
    )
