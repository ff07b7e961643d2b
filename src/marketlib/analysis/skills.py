"""04-skills: how often postings name each skill, by role family, and skill demand against stated pay.

Pay is the midpoint of a posting's stated salary range (salary_source field or text; estimates excluded).
"""

from __future__ import annotations

from dataclasses import dataclass

import altair as alt
import polars as pl

from marketlib import charts, metrics
from marketlib.analysis import common
from marketlib.analysis.selection import PostingSelection, SelectsPostings, select_postings
from marketlib.params import check_int

STATED_PAY = ("field", "text")


@dataclass(frozen=True)
class Params(SelectsPostings):
    selection: PostingSelection
    top_n: int


def validate_params(top_n: int = 20, **filters) -> Params:
    """`filters`: the posting filters of selection.FILTERS (None = the default)."""
    return Params(
        selection=select_postings(filters, default_role_families=("ml_engineer", "data_scientist")),
        top_n=check_int("top_n", top_n, minimum=1, maximum=200),
    )


@dataclass
class Result:
    params: Params
    postings: pl.DataFrame
    shares: pl.DataFrame  # role_family, skill, postings, n, share with interval, is_thin
    demand_pay: pl.DataFrame  # skill, postings, share, with_pay, median_pay_usd, is_thin


def _exploded(postings: pl.DataFrame) -> pl.DataFrame:
    return (
        postings.select("posting_id", "role_family", pl.col("skills").list.unique().alias("skill"))
        .explode("skill")
        .drop_nulls("skill")
    )


def top_skills(postings: pl.DataFrame, top_n: int) -> list[str]:
    counts = _exploded(postings).group_by("skill").len()
    return counts.sort(["len", "skill"], descending=[True, False]).head(top_n)["skill"].to_list()


def skill_shares(postings: pl.DataFrame, skills: list[str], min_count: int) -> pl.DataFrame:
    """Share of each role family's postings naming each skill (Wilson interval), zero-filled."""
    sizes = postings.group_by("role_family").agg(pl.len().alias("n"))
    grid = sizes.join(pl.DataFrame({"skill": skills}, schema={"skill": pl.String}), how="cross")
    counts = _exploded(postings).group_by("role_family", "skill").agg(pl.len().alias("postings"))
    out = grid.join(counts, on=["role_family", "skill"], how="left").with_columns(
        pl.col("postings").fill_null(0)
    )
    out = metrics.flag_thin(metrics.add_share(out, "postings", "n"), "n", min_count)
    return out.sort(["role_family", "share_pct", "skill"], descending=[False, True, False])


def demand_vs_pay(postings: pl.DataFrame, skills: list[str], min_count: int) -> pl.DataFrame:
    """Per skill: share of all postings naming it, and the median stated pay of those that state one."""
    pay = (
        pl.when(pl.col("salary_source").is_in(STATED_PAY))
        .then(pl.mean_horizontal("salary_min_usd", "salary_max_usd"))
        .otherwise(None)
    )
    rows = postings.select("posting_id", pay.alias("pay_usd"), pl.col("skills").list.unique().alias("skill"))
    out = (
        rows.explode("skill")
        .filter(pl.col("skill").is_in(skills))
        .group_by("skill")
        .agg(
            pl.len().alias("postings"),
            pl.col("pay_usd").is_not_null().sum().alias("with_pay"),
            pl.col("pay_usd").median().alias("median_pay_usd"),
        )
        .with_columns(pl.lit(postings.height, dtype=pl.Int64).alias("n"))
    )
    out = metrics.flag_thin(metrics.add_share(out, "postings", "n"), "with_pay", min_count)
    return out.sort(["postings", "skill"], descending=[True, False])


def compute(params: Params) -> Result:
    postings = params.selection.apply(common.with_posting_text(common.load("postings")))
    skills = top_skills(postings, params.top_n)
    return Result(
        params=params,
        postings=postings,
        shares=skill_shares(postings, skills, params.min_count),
        demand_pay=demand_vs_pay(postings, skills, params.min_count),
    )


def shares_chart(result: Result) -> alt.Chart:
    return common.role_family_share_chart(
        result.shares, result.postings, item="skill", item_title="Skill",
        title="Share of postings naming each skill, by role family",
        note="Rules: 95% Wilson interval; skills by overall count.", sort=result.demand_pay["skill"].to_list())


def demand_pay_chart(result: Result) -> alt.LayerChart | None:
    data = result.demand_pay.filter(pl.col("median_pay_usd").is_not_null())
    if not data.height:
        return None
    return charts.scatter(
        data,
        x="share_pct",
        y="median_pay_usd",
        label="skill",
        title="Skill demand vs stated pay",
        x_title="Share of postings naming the skill (%)",
        y_title="Median stated pay (USD per year, range midpoint)",
        caption_text=common.chart_caption(
            [result.postings],
            int(data["with_pay"].sum()),
            "n = skill mentions in postings stating pay; grey: too few postings with pay.",
        ),
        tooltip=[
            alt.Tooltip("skill:N", title="Skill"),
            alt.Tooltip("share_pct:Q", title="Share of postings (%)", format=".1f"),
            alt.Tooltip("median_pay_usd:Q", title="Median pay (USD)", format=",.0f"),
            alt.Tooltip("with_pay:Q", title="Postings with pay", format=","),
        ],
    )


def sources_table(result: Result) -> pl.DataFrame:
    return common.sources_and_licenses({"postings": result.postings})


def findings(result: Result) -> list:
    """The share of postings naming each of the top skills, per role family."""
    from marketlib.analysis.findings import records

    rows = result.shares.with_columns((pl.col("role_family") + "/" + pl.col("skill")).alias("key"))
    return records(rows, "skill_share", "key", "share of postings naming the skill", "share_pct", "%",
                   low="share_low_pct", high="share_high_pct", n="n", sources=common.source_names(result.postings))
