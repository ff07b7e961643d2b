"""03-experience: the years of experience postings ask for (DESIGN.md definition of yoe_min / yoe_bucket).

The YOE distribution over buckets, the share stating none and the most frequent bucket among postings that
state one, overall and by role family, seniority, domain or metro.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import altair as alt
import polars as pl

from marketlib import charts, metrics, schemas
from marketlib.analysis import common
from marketlib.analysis.selection import PostingSelection, SelectsPostings, select_postings
from marketlib.params import check_choice, check_int

BY_CHOICES = ("role_family", "seniority", "domain", "metro")
ALL = "all"


@dataclass(frozen=True)
class Params(SelectsPostings):
    selection: PostingSelection
    by: str
    top_n: int


def validate_params(by: str = "seniority", top_n: int = 10, **filters) -> Params:
    """`filters`: the posting filters of selection.FILTERS (None = the default)."""
    return Params(
        selection=select_postings(filters, default_role_families=["ml_engineer"]),
        by=check_choice("by", by, BY_CHOICES),
        top_n=check_int("top_n", top_n, minimum=1, maximum=100),
    )


@dataclass
class Result:
    params: Params
    postings: pl.DataFrame
    distribution: pl.DataFrame  # overall: yoe_bucket, postings, n, share with interval
    summary: pl.DataFrame  # per group: n, none share with interval, stating, mode bucket, is_thin
    group_distribution: pl.DataFrame  # per group and bucket
    crosstab: pl.DataFrame | None = None  # metro × ML domain × YOE bucket: postings, share, thin flag
    notes: list[str] = field(default_factory=list)  # caveats computed from the selection


def grouped(postings: pl.DataFrame, by: str | None, top_n: int = 10) -> pl.DataFrame:
    """posting_id, group, yoe_bucket: one row per posting and group (domain explodes; metro keeps top N)."""
    if by is None:
        return postings.select("posting_id", pl.lit(ALL).alias("group"), "yoe_bucket")
    if by == "domain":
        return (
            postings.select("posting_id", pl.col("domains").list.unique().alias("group"), "yoe_bucket")
            .explode("group")
            .drop_nulls("group")
        )
    if by == "metro":
        labels = common.metro_labels(postings, common.load("professionals"))
        frame = (
            postings.join(labels, on="metro_code", how="left")
            .select(
                "posting_id",
                pl.coalesce(
                    "metro", pl.concat_str([pl.col("city"), pl.col("country")], separator=", ")
                ).alias("group"),
                "yoe_bucket",
            )
            .drop_nulls("group")
        )
        top = frame.group_by("group").len().sort(["len", "group"], descending=[True, False]).head(top_n)
        return frame.filter(pl.col("group").is_in(top["group"].to_list()))
    return postings.select("posting_id", pl.col(by).fill_null("unknown").alias("group"), "yoe_bucket")


def distribution(rows: pl.DataFrame) -> pl.DataFrame:
    """Share of postings per YOE bucket in each group (every bucket present, zero when empty)."""
    sizes = rows.group_by("group").agg(pl.len().alias("n"))
    grid = sizes.join(pl.DataFrame({"yoe_bucket": list(schemas.YOE_BUCKETS)}), how="cross")
    counts = rows.group_by("group", "yoe_bucket").agg(pl.len().alias("postings"))
    out = grid.join(counts, on=["group", "yoe_bucket"], how="left").with_columns(
        pl.col("postings").fill_null(0)
    )
    order = pl.col("yoe_bucket").replace_strict(
        list(schemas.YOE_BUCKETS), list(range(len(schemas.YOE_BUCKETS)))
    )
    return metrics.add_share(out, "postings", "n").sort(pl.col("group"), order)


def summary(rows: pl.DataFrame, min_count: int) -> pl.DataFrame:
    """Per group: n, share stating no YOE (Wilson), postings stating one, and their most frequent bucket."""
    stating = rows.filter(pl.col("yoe_bucket") != "none")
    modes = (
        stating.group_by("group", "yoe_bucket")
        .len()
        .sort(["group", "len", "yoe_bucket"], descending=[False, True, False])
        .group_by("group", maintain_order=True)
        .first()
        .select("group", pl.col("yoe_bucket").alias("mode_bucket"), pl.col("len").alias("mode_postings"))
    )
    out = (
        rows.group_by("group")
        .agg(pl.len().alias("n"), (pl.col("yoe_bucket") == "none").sum().alias("no_yoe"))
        .with_columns((pl.col("n") - pl.col("no_yoe")).alias("stating"))
        .join(modes, on="group", how="left")
    )
    out = metrics.add_share(out, "no_yoe", "n", name="no_yoe_share")
    out = metrics.add_share(out, "mode_postings", "stating", name="mode_share")
    return metrics.flag_thin(out, "n", min_count).sort(["n", "group"], descending=[True, False])


def compute(params: Params) -> Result:
    postings = params.selection.apply(common.with_posting_text(common.load("postings")))
    overall = grouped(postings, None)
    by_group = grouped(postings, params.by, params.top_n)
    return Result(
        params=params,
        postings=postings,
        distribution=distribution(overall).drop("group"),
        summary=pl.concat([summary(overall, params.min_count), summary(by_group, params.min_count)]),
        group_distribution=distribution(by_group),
        crosstab=crosstab(postings, params.top_n, params.min_count),
        notes=caveats(postings),
    )


def caveats(postings: pl.DataFrame) -> list[str]:
    """The job-list caveat when internship and new-grad lists are a meaningful share of the selection, with
    how often their postings and the others state no YOE (the lists push the 'none' share one way or the other)."""
    none = pl.col("yoe_bucket") == "none"
    from_lists = pl.col("source").is_in(list(common.ENTRY_LEVEL_LISTS))
    n_lists, none_lists, n_other, none_other = postings.select(
        from_lists.sum().alias("a"), (none & from_lists).sum().alias("b"), (~from_lists).sum().alias("c"),
        (none & ~from_lists).sum().alias("d"),
    ).row(0)
    effect = f"; {100 * none_lists / n_lists:.0f}% of them state no YOE" if n_lists else ""
    if effect and n_other:
        effect += f", against {100 * none_other / n_other:.0f}% of the other postings"
    note = common.entry_list_caveat(postings, effect)
    return [note] if note else []


NO_DOMAIN = "(no ML domain)"


def crosstab(postings: pl.DataFrame, top_n: int, min_count: int) -> pl.DataFrame:
    """Postings with text by metro (CBSA, Canadian CMA or city; top N by postings) × ML domain × YOE bucket:
    postings, the share of the metro × domain cell's postings in each bucket (Wilson), and is_thin when the
    metro × domain cell has fewer than min_count postings."""
    from marketlib.analysis import odds

    labels = odds.catalogue(common.load("professionals"), [])
    where = odds.posting_metros(postings, [])
    where = where.join(labels.select("metro_code", "metro"), on="metro_code", how="left")
    where = where.select("posting_id", pl.coalesce("metro", "metro_label", "metro_code").alias("metro"))
    top = where.group_by("metro").len().sort(["len", "metro"], descending=[True, False]).head(top_n)["metro"]
    domains = postings.select(
        "posting_id", "yoe_bucket",
        pl.when(pl.col("domains").list.len().fill_null(0) > 0).then(pl.col("domains").list.unique())
        .otherwise(pl.lit([NO_DOMAIN])).alias("domain"),
    ).explode("domain")
    rows = where.filter(pl.col("metro").is_in(top.to_list())).join(domains, on="posting_id", how="inner")
    cells = rows.group_by("metro", "domain", "yoe_bucket").agg(pl.len().alias("postings"))
    sizes = rows.group_by("metro", "domain").agg(pl.len().alias("n"))
    grid = sizes.join(pl.DataFrame({"yoe_bucket": list(schemas.YOE_BUCKETS)}), how="cross")
    out = grid.join(cells, on=["metro", "domain", "yoe_bucket"], how="left")
    out = out.with_columns(pl.col("postings").fill_null(0))
    order = pl.col("yoe_bucket").replace_strict(list(schemas.YOE_BUCKETS), list(range(len(schemas.YOE_BUCKETS))))
    out = metrics.flag_thin(metrics.add_share(out, "postings", "n"), "n", min_count)
    return out.sort("metro", "domain", order)


_TOOLTIP = [
    alt.Tooltip("yoe_bucket:N", title="Years of experience"),
    alt.Tooltip("postings:Q", title="Postings", format=","),
    alt.Tooltip("n:Q", title="Postings in group", format=","),
    alt.Tooltip("share_pct:Q", title="Share (%)", format=".1f"),
    alt.Tooltip("share_low_pct:Q", title="95% low (%)", format=".1f"),
    alt.Tooltip("share_high_pct:Q", title="95% high (%)", format=".1f"),
]


def _yoe_bars(result: Result, data: pl.DataFrame, *, title: str, bucket_title: str, group: str | None = None,
              tooltip: list) -> alt.FacetChart | alt.LayerChart:
    return charts.distribution_bars(
        data, bucket="yoe_bucket", share="share_pct", low="share_low_pct", high="share_high_pct", group=group,
        order=schemas.YOE_BUCKETS, title=title, share_title="Share of postings (%)", bucket_title=bucket_title,
        caption_text=common.chart_caption([result.postings], result.postings.height, "Rules: 95% Wilson interval."),
        tooltip=tooltip,
    )


def distribution_chart(result: Result) -> alt.LayerChart:
    return _yoe_bars(result, result.distribution, title="Years of experience asked for (minimum), share of postings",
                     bucket_title="Required years of experience (yoe_bucket)", tooltip=_TOOLTIP)


def group_chart(result: Result) -> alt.FacetChart | alt.LayerChart:
    return _yoe_bars(result, result.group_distribution, group="group", bucket_title="Years",
                     title=f"Years of experience asked for, by {result.params.by.replace('_', ' ')}",
                     tooltip=[alt.Tooltip("group:N", title=result.params.by), *_TOOLTIP])


def sources_table(result: Result) -> pl.DataFrame:
    return common.sources_and_licenses({"postings": result.postings})


def findings(result: Result) -> list:
    """Per group: the share of postings stating no YOE, and the most frequent stated bucket's share."""
    from marketlib.analysis.findings import records

    src = common.source_names(result.postings)
    return records(result.summary, "no_yoe_share", "group", "share of postings stating no YOE", "no_yoe_share_pct",
                   "%", low="no_yoe_share_low_pct", high="no_yoe_share_high_pct", n="n", sources=src) + records(
        result.summary.filter(pl.col("mode_bucket").is_not_null()), "mode_bucket_share", "group",
        "share of the most frequent stated YOE bucket", "mode_share_pct", "%", low="mode_share_low_pct",
        high="mode_share_high_pct", n="stating", sources=src)
