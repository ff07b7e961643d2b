"""02-domain-demand: which ML domains are hiring, from case-study catalogues and from postings.

Case studies: counts per domain (multi-label) per catalogue edition, growth between consecutive editions,
the recommender-system ÷ CV ratio per edition, and the categories of the eren23 catalogue. Postings: the share
of postings per role family that works on each domain, with Wilson intervals.
"""

from __future__ import annotations

from dataclasses import dataclass

import altair as alt
import polars as pl

from marketlib import charts, metrics, schemas
from marketlib.analysis import common
from marketlib.analysis.selection import PostingSelection, SelectsPostings, select_postings
from marketlib.params import check_choices

DEFAULT_ROLE_FAMILIES = ["ml_engineer", "data_scientist", "research_scientist"]


@dataclass(frozen=True)
class Params(SelectsPostings):
    case_study_sources: list[str]
    selection: PostingSelection


def validate_params(case_study_sources: list[str] | None = None, **filters) -> Params:
    """`filters`: the posting filters of selection.FILTERS (None = the default)."""
    known_catalogues = sorted(common.load("case_studies")["source"].unique().to_list())
    return Params(
        case_study_sources=check_choices(
            "case_study_sources", case_study_sources or [], known_catalogues, allow_empty=True
        ),
        selection=select_postings(filters, default_role_families=DEFAULT_ROLE_FAMILIES),
    )


@dataclass
class Result:
    params: Params
    case_studies: pl.DataFrame
    postings: pl.DataFrame
    edition_counts: pl.DataFrame  # source, edition_date, domain, count, edition_rows, share
    growth: pl.DataFrame  # source, domain, from/to edition, counts, growth_pct
    recsys_cv: pl.DataFrame  # source, edition_date, recsys, cv, ratio with interval
    eren23_categories: pl.DataFrame  # category, count, share
    posting_shares: pl.DataFrame  # role_family, domain, postings, n, share with interval, is_thin


def edition_counts(cases: pl.DataFrame) -> pl.DataFrame:
    """Rows per (catalogue, edition, domain) with the edition's size and the domain's share of it."""
    sizes = cases.group_by("source", "edition_date").agg(pl.len().alias("edition_rows"))
    grid = sizes.join(pl.DataFrame({"domain": list(schemas.DOMAINS)}), how="cross")
    counts = (
        cases.select("source", "edition_date", pl.col("domains").list.unique().alias("domain"))
        .explode("domain")
        .drop_nulls("domain")
        .group_by("source", "edition_date", "domain")
        .agg(pl.len().alias("count"))
    )
    out = grid.join(counts, on=["source", "edition_date", "domain"], how="left").with_columns(
        pl.col("count").fill_null(0)
    )
    return metrics.add_share(out, "count", "edition_rows").sort("source", "edition_date", "domain")


def edition_growth(counts: pl.DataFrame) -> pl.DataFrame:
    """Change of each domain's count between consecutive editions of the same catalogue."""
    ordered = counts.sort("source", "domain", "edition_date")
    prev = [pl.col(c).shift(1).over("source", "domain") for c in ("edition_date", "count", "edition_rows")]
    return (
        ordered.with_columns(
            prev[0].alias("from_edition"), prev[1].alias("from_count"), prev[2].alias("from_rows")
        )
        .filter(pl.col("from_edition").is_not_null())
        .select(
            "source",
            "domain",
            "from_edition",
            pl.col("edition_date").alias("to_edition"),
            "from_count",
            pl.col("count").alias("to_count"),
            "from_rows",
            pl.col("edition_rows").alias("to_rows"),
            pl.when(pl.col("from_count") > 0)
            .then((pl.col("count") / pl.col("from_count") - 1.0) * 100.0)
            .otherwise(None)
            .alias("growth_pct"),
        )
        .sort("source", "to_edition", "domain")
    )


def recsys_cv_ratio(counts: pl.DataFrame) -> pl.DataFrame:
    """Recommender-system ÷ CV case studies per edition, with a log-scale interval (counts as Poisson)."""
    wide = (
        counts.filter(pl.col("domain").is_in(["recsys", "cv"]))
        .pivot(on="domain", index=["source", "edition_date", "edition_rows"], values="count")
        .sort("source", "edition_date")
    )
    if not wide.height:
        return pl.DataFrame(
            schema={
                "source": pl.String,
                "edition_date": pl.Date,
                "edition_rows": pl.UInt32,
                "recsys": pl.Int64,
                "cv": pl.Int64,
                "ratio": pl.Float64,
                "ratio_low": pl.Float64,
                "ratio_high": pl.Float64,
            }
        )
    # three scalars per edition (a handful of editions): a Python call per row is fine here
    intervals = [metrics.count_ratio_interval(r, c) for r, c in zip(wide["recsys"], wide["cv"], strict=True)]
    return wide.with_columns(
        pl.Series("ratio", [i[0] for i in intervals], dtype=pl.Float64),
        pl.Series("ratio_low", [i[1] for i in intervals], dtype=pl.Float64),
        pl.Series("ratio_high", [i[2] for i in intervals], dtype=pl.Float64),
    )


def eren23_categories(cases: pl.DataFrame) -> pl.DataFrame:
    """Counts of the eren23 catalogue's own primary category in its newest edition.

    The eren23 source stores it as a `category:<name>` tag; without such a tag the first tag is used.
    """
    eren = cases.filter(pl.col("source").str.contains("eren23"))
    if not eren.height:
        return pl.DataFrame(schema={"category": pl.String, "count": pl.UInt32, "rows": pl.Int64})
    newest = eren.filter(pl.col("edition_date") == pl.col("edition_date").max())
    out = (
        newest.select(
            pl.coalesce(
                pl.col("tags")
                .list.eval(pl.element().filter(pl.element().str.starts_with("category:")))
                .list.first()
                .str.strip_prefix("category:"),
                pl.col("tags").list.first(),
            ).alias("category")
        )
        .drop_nulls()
        .group_by("category")
        .agg(pl.len().alias("count"))
        .with_columns(pl.lit(newest.height, dtype=pl.Int64).alias("rows"))
    )
    return metrics.add_share(out, "count", "rows").sort(["count", "category"], descending=[True, False])


def posting_domain_shares(postings: pl.DataFrame, min_count: int) -> pl.DataFrame:
    """Share of postings per role family that works on each domain (multi-label), with Wilson intervals."""
    sizes = postings.group_by("role_family").agg(pl.len().alias("n"))
    grid = sizes.join(pl.DataFrame({"domain": list(schemas.DOMAINS)}), how="cross")
    counts = (
        postings.select("role_family", pl.col("domains").list.unique().alias("domain"))
        .explode("domain")
        .drop_nulls("domain")
        .group_by("role_family", "domain")
        .agg(pl.len().alias("postings"))
    )
    out = grid.join(counts, on=["role_family", "domain"], how="left").with_columns(
        pl.col("postings").fill_null(0)
    )
    out = metrics.flag_thin(metrics.add_share(out, "postings", "n"), "n", min_count)
    return out.sort("role_family", "domain")


def compute(params: Params) -> Result:
    cases = common.load("case_studies")
    if params.case_study_sources:
        cases = cases.filter(pl.col("source").is_in(params.case_study_sources))
    postings = params.selection.apply(common.with_posting_text(common.load("postings")))
    counts = edition_counts(cases)
    return Result(
        params=params,
        case_studies=cases,
        postings=postings,
        edition_counts=counts,
        growth=edition_growth(counts),
        recsys_cv=recsys_cv_ratio(counts),
        eren23_categories=eren23_categories(cases),
        posting_shares=posting_domain_shares(postings, params.min_count),
    )


def edition_chart(result: Result) -> alt.Chart:
    data = result.edition_counts.with_columns(
        pl.concat_str([pl.col("source"), pl.col("edition_date").cast(pl.String)], separator=" ").alias(
            "edition"
        )
    )
    return charts.bars(
        data,
        category="domain",
        value="count",
        color="edition",
        title="Case studies per ML domain, by catalogue edition",
        value_title="Case studies (rows tagged with the domain)",
        category_title="Domain",
        color_title="Edition",
        caption_text=common.chart_caption(
            [result.case_studies],
            result.case_studies.height,
            "Multi-label: a case study can count in several.",
        ),
        tooltip=[
            alt.Tooltip("edition:N", title="Edition"),
            alt.Tooltip("domain:N", title="Domain"),
            alt.Tooltip("count:Q", title="Case studies", format=","),
            alt.Tooltip("edition_rows:Q", title="Rows in edition", format=","),
            alt.Tooltip("share_pct:Q", title="Share of edition (%)", format=".1f"),
        ],
    )


def eren23_chart(result: Result) -> alt.Chart | None:
    data = result.eren23_categories
    if not data.height:
        return None
    eren = result.case_studies.filter(pl.col("source").str.contains("eren23"))
    return charts.bars(
        data,
        category="category",
        value="count",
        title="eren23 catalogue: case studies per primary category",
        value_title="Case studies (count)",
        category_title="Category",
        caption_text=common.chart_caption([eren], int(data["rows"][0])),
        tooltip=[
            alt.Tooltip("category:N", title="Category"),
            alt.Tooltip("count:Q", title="Case studies", format=","),
            alt.Tooltip("share_pct:Q", title="Share (%)", format=".1f"),
        ],
    )


def posting_shares_chart(result: Result) -> alt.Chart:
    return common.role_family_share_chart(
        result.posting_shares, result.postings, item="domain", item_title="Domain",
        title="Share of postings working on each ML domain, by role family", note="Rules: 95% Wilson interval.")


def sources_table(result: Result) -> pl.DataFrame:
    return common.sources_and_licenses({"case_studies": result.case_studies, "postings": result.postings})


def findings(result: Result) -> list:
    """Recommender-system ÷ CV case studies per catalogue edition."""
    from marketlib.analysis.findings import records

    rows = result.recsys_cv.with_columns(
        (pl.col("source") + " " + pl.col("edition_date").cast(pl.String)).alias("edition")
    )
    return records(rows, "recsys_vs_cv", "edition", "recommender-system case studies per CV case study", "ratio",
                   "ratio", low="ratio_low", high="ratio_high", n="edition_rows",
                   sources=common.source_names(result.case_studies))
