"""01-city-odds: openings per professional by metro, with intervals, relative odds and a thin-cell flag.

Numerator: non-duplicate postings of the chosen role families and sources, counted once per metro (a
posting listing San Francisco and San Jose counts once for the SF Bay Area). Outside the US a metro is
"city, country".
Denominator: BLS OEWS employment of the chosen SOC codes in the metro (US MSAs only).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import altair as alt
import polars as pl

from marketlib import charts, metrics
from marketlib.analysis import common
from marketlib.config import get_settings
from marketlib.errors import UserError
from marketlib.params import check_choices, check_date_range, check_int, check_strings

DEFAULT_ROLE_FAMILIES = ["ml_engineer", "data_scientist", "research_scientist"]
ENTRY_SENIORITIES = ("intern", "junior")


@dataclass(frozen=True)
class Params:
    role_families: list[str]
    sources: list[str]
    date_from: dt.date | None
    date_to: dt.date | None
    metros: list[str]
    top_n: int
    soc_codes: list[str]
    reference_metro: str
    min_count: int


def validate_params(
    role_families: list[str] | None = None,
    sources: list[str] | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
    metros: list[str] | None = None,
    top_n: int = 15,
    soc_codes: list[str] | None = None,
    reference_metro: str = "SF Bay Area",
    min_count: int | None = None,
) -> Params:
    postings, professionals = common.load("postings"), common.load("professionals")
    families = check_choices(
        "role_families", role_families or DEFAULT_ROLE_FAMILIES, common.role_family_list()
    )
    chosen_sources = check_choices("sources", sources or [], common.known_sources(postings), allow_empty=True)
    start, end = check_date_range(date_from, date_to)
    socs = check_strings("soc_codes", soc_codes) or list(get_settings().soc_codes)
    bad = [s for s in socs if len(s) != 7 or s[2] != "-" or not (s[:2] + s[3:]).isdigit()]
    if bad:
        raise UserError(
            f"Parameter soc_codes has malformed code(s) {', '.join(bad)}; write SOC codes as '15-2051'."
        )
    labels, codes = _metro_catalogue(postings, professionals)
    wanted = [common.resolve_metro(m, labels, codes) for m in check_strings("metros", metros)]
    reference = common.resolve_metro(reference_metro, labels + list(common.metro_groups()), codes)
    return Params(
        role_families=families,
        sources=chosen_sources,
        date_from=start,
        date_to=end,
        metros=wanted,
        top_n=check_int("top_n", top_n, minimum=1, maximum=200),
        soc_codes=socs,
        reference_metro=reference,
        min_count=check_int("min_count", get_settings().min_count if min_count is None else min_count),
    )


def _non_us_label() -> pl.Expr:
    return pl.concat_str([pl.col("city"), pl.col("country")], separator=", ")


def _metro_catalogue(postings: pl.DataFrame, professionals: pl.DataFrame) -> tuple[list[str], dict[str, str]]:
    mapping = common.metro_labels(postings, professionals)
    non_us = (
        postings.filter((pl.col("country") != common.US) & pl.col("city").is_not_null())
        .select(_non_us_label().alias("metro"))
        .unique()
    )
    labels = sorted(
        set(mapping["metro"].to_list()) | set(non_us["metro"].to_list()) | set(common.metro_groups())
    )
    return labels, dict(zip(mapping["metro_code"].to_list(), mapping["metro"].to_list(), strict=True))


@dataclass
class Result:
    params: Params
    postings: pl.DataFrame  # the filtered numerator postings (kept for provenance, never charted)
    professionals: pl.DataFrame  # the OEWS rows of the denominator
    metros: pl.DataFrame  # one row per metro: openings, professionals, ratios, intervals, relative odds
    numerator_summary: pl.DataFrame  # postings per source with date range and entry-level share
    seekers: pl.DataFrame  # HN seekers per hiring post by month (may be empty)
    employers: pl.DataFrame = field(default_factory=pl.DataFrame)  # top employers by openings
    notes: list[str] = field(default_factory=list)


def top_employers(postings: pl.DataFrame, n: int = 15) -> pl.DataFrame:
    """Employers with the most openings in the selection: company (as posted), openings, metros, sources."""
    return (
        postings.filter(pl.col("company").str.strip_chars().fill_null("") != "")
        .group_by("company")
        .agg(
            pl.len().alias("openings"),
            pl.col("metro_codes").list.explode(keep_nulls=False, empty_as_null=False).n_unique().alias("us_metros"),
            pl.col("source").unique().sort().str.join(", ").alias("sources"),
        )
        .sort(["openings", "company"], descending=[True, False])
        .head(n)
    )


def openings_by_metro(postings: pl.DataFrame, labels: pl.DataFrame) -> pl.DataFrame:
    """Openings per metro label, each posting counted once per metro (after grouping codes)."""
    us = (
        postings.select("posting_id", pl.col("metro_codes").alias("metro_code"))
        .explode("metro_code")
        .drop_nulls("metro_code")
        .join(labels, on="metro_code", how="left")
        .with_columns(pl.coalesce("metro", "metro_code").alias("metro"))
        .select("posting_id", "metro")
    )
    non_us = postings.filter((pl.col("country") != common.US) & pl.col("city").is_not_null()).select(
        "posting_id", _non_us_label().alias("metro")
    )
    both = pl.concat([us, non_us]).unique()
    return both.group_by("metro").agg(pl.len().cast(pl.Int64).alias("openings"))


def professionals_by_metro(
    professionals: pl.DataFrame, soc_codes: list[str], labels: pl.DataFrame
) -> pl.DataFrame:
    """OEWS employment summed over the SOC codes per metro label; suppressed cells are counted and flagged."""
    rows = professionals.filter((pl.col("area_type") == "msa") & pl.col("soc_code").is_in(soc_codes))
    return (
        rows.with_columns(pl.coalesce("metro_code", pl.col("area_code").str.slice(-5)).alias("metro_code"))
        .join(labels, on="metro_code", how="left")
        .with_columns(pl.coalesce("metro", "area_name").alias("metro"))
        .group_by("metro")
        .agg(
            pl.col("employment").sum().alias("professionals"),
            pl.col("employment").is_null().sum().alias("suppressed_cells"),
            pl.col("year").max().alias("oews_year"),
        )
    )


def metro_table(
    postings: pl.DataFrame,
    all_postings: pl.DataFrame,
    all_professionals: pl.DataFrame,
    soc_codes: list[str],
    reference_metro: str,
    min_count: int,
) -> pl.DataFrame:
    """Every metro with openings: openings, professionals, success ratio, inverse, relative odds, is_thin."""
    labels = common.metro_labels(all_postings, all_professionals)
    table = openings_by_metro(postings, labels).join(
        professionals_by_metro(all_professionals, soc_codes, labels), on="metro", how="full", coalesce=True
    )
    table = table.with_columns(pl.col("openings").fill_null(0)).filter(pl.col("openings") > 0)
    table = metrics.add_success_ratio(table)
    table = metrics.add_relative_odds(table, "metro", reference_metro)
    table = metrics.flag_thin(table, "openings", min_count)
    return table.with_columns(
        pl.when(pl.col("professionals").is_null())
        .then(pl.lit("no OEWS denominator (OEWS covers US metros only)"))
        .when(pl.col("is_thin"))
        .then(pl.lit(f"fewer than {min_count} openings"))
        .otherwise(pl.lit(""))
        .alias("caveat")
    )


def compute(params: Params) -> Result:
    all_postings, all_professionals = common.load("postings"), common.load("professionals")
    postings = common.filter_postings(
        all_postings,
        role_families=params.role_families,
        sources=params.sources,
        date_from=params.date_from,
        date_to=params.date_to,
    )
    denominator = all_professionals.filter(
        (pl.col("area_type") == "msa") & pl.col("soc_code").is_in(params.soc_codes)
    )
    table = metro_table(
        postings, all_postings, all_professionals, params.soc_codes, params.reference_metro, params.min_count
    )
    if params.metros:
        keep = set(params.metros) | {params.reference_metro}
        table = table.filter(pl.col("metro").is_in(list(keep)))
    else:
        top = table.sort("openings", descending=True).head(params.top_n)["metro"].to_list()
        table = table.filter(pl.col("metro").is_in(top + [params.reference_metro]))
    table = table.sort(["success_ratio_pct", "openings"], descending=True, nulls_last=True)

    notes = []
    if (
        table.filter(pl.col("metro") == params.reference_metro).height == 0
        or table.filter(
            (pl.col("metro") == params.reference_metro) & pl.col("relative_odds").is_not_null()
        ).height
        == 0
    ):
        notes.append(
            f"The reference metro {params.reference_metro} has no openings or no professionals in the "
            f"selection, so relative odds are not defined."
        )
    return Result(
        params=params,
        postings=postings,
        professionals=denominator,
        metros=table,
        numerator_summary=numerator_summary(postings),
        employers=top_employers(postings),
        seekers=seekers_per_hiring_post(common.load("seekers"), params.min_count),
        notes=notes,
    )


def numerator_summary(postings: pl.DataFrame) -> pl.DataFrame:
    """Per source: postings, date range, and the share that is internship or entry level (with interval)."""
    entry = pl.col("seniority").is_in(ENTRY_SENIORITIES) | (pl.col("employment_type") == "internship")
    summary = postings.group_by("source").agg(
        pl.len().alias("postings"),
        entry.fill_null(False).sum().alias("entry_level"),
        pl.col("posted_date").min().alias("first_posted_date"),
        pl.col("posted_date").max().alias("last_posted_date"),
        common.snapshot_date_expr().max().alias("snapshot_date"),
    )
    return metrics.add_share(summary, "entry_level", "postings", name="entry_level_share").sort("source")


def numerator_statement(result: Result) -> str:
    """A sentence on what feeds the numerator, computed from the data."""
    s = result.numerator_summary
    if not s.height:
        return "No postings match the selection, so no openings can be counted."
    total, entry = int(s["postings"].sum()), int(s["entry_level"].sum())
    share = 100.0 * entry / total if total else 0.0
    parts = ", ".join(f"{r['source']} ({r['postings']:,})" for r in s.iter_rows(named=True))
    first, last = s["first_posted_date"].min(), s["last_posted_date"].max()
    return (
        f"Openings come from {parts}: {total:,} non-duplicate postings posted {first} to {last}; "
        f"{share:.0f}% are internships or entry-level, because the job lists behind them mostly collect "
        f"internships and new-grad roles. The ratios therefore describe entry-level openings per "
        f"professional, not the whole market."
    )


def seekers_per_hiring_post(seekers: pl.DataFrame, min_count: int) -> pl.DataFrame:
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


def _caption(result: Result, n: int, note: str = "") -> str:
    return common.chart_caption([result.postings, result.professionals], n, note)


def odds_chart(result: Result) -> alt.LayerChart:
    data = result.metros.filter(pl.col("success_ratio_pct").is_not_null())
    ref = data.filter(pl.col("metro") == result.params.reference_metro)["success_ratio_pct"]
    return charts.ranked_dots(
        data,
        label="metro",
        value="success_ratio_pct",
        low="success_ratio_low_pct",
        high="success_ratio_high_pct",
        title="Openings per 100 professionals, by metro",
        x_title="Success ratio (openings per 100 professionals, %)",
        caption_text=_caption(
            result,
            int(data["openings"].sum()),
            "Dots: ratio; rules: 95% Wilson interval; grey: thin cell. Dashed: reference metro.",
        ),
        tooltip=[
            alt.Tooltip("metro:N", title="Metro"),
            alt.Tooltip("openings:Q", title="Openings", format=","),
            alt.Tooltip("professionals:Q", title="Professionals (OEWS)", format=","),
            alt.Tooltip("success_ratio_pct:Q", title="Success ratio (%)", format=".2f"),
            alt.Tooltip("professionals_per_opening:Q", title="Professionals per opening", format=",.0f"),
            alt.Tooltip("relative_odds:Q", title="Relative odds vs reference", format=".2f"),
            alt.Tooltip("is_thin:N", title="Thin cell"),
        ],
        reference_value=ref[0] if ref.len() else None,
    )


def scatter_chart(result: Result) -> alt.LayerChart:
    data = result.metros.filter(pl.col("professionals").is_not_null())
    return charts.loglog_scatter(
        data,
        x="professionals",
        y="openings",
        label="metro",
        title="Openings vs professionals by metro (log-log)",
        x_title="Professionals (OEWS employment, jobs)",
        y_title="Openings (non-duplicate postings)",
        caption_text=_caption(result, int(data["openings"].sum()), "Dashed lines: equal success ratio."),
        iso_ratios=(0.001, 0.01, 0.05),
        iso_title="openings/professional =",
        tooltip=[
            alt.Tooltip("metro:N", title="Metro"),
            alt.Tooltip("openings:Q", title="Openings", format=","),
            alt.Tooltip("professionals:Q", title="Professionals", format=","),
            alt.Tooltip("success_ratio_pct:Q", title="Success ratio (%)", format=".2f"),
        ],
    )


def seekers_chart(result: Result) -> alt.Chart | None:
    data = result.seekers.filter(pl.col("seekers_per_hiring_post").is_not_null())
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
            [result.seekers], int(data["seekers"].sum()), "n = seeker comments; top-level comments only."
        ),
        tooltip=[
            alt.Tooltip("month:N", title="Month"),
            alt.Tooltip("seekers:Q", title="Seekers", format=","),
            alt.Tooltip("hiring_posts:Q", title="Hiring posts", format=","),
            alt.Tooltip("seekers_per_hiring_post:Q", title="Seekers per hiring post", format=".2f"),
        ],
    )


def sources_table(result: Result) -> pl.DataFrame:
    return common.sources_and_licenses(
        {"postings": result.postings, "professionals": result.professionals, "seekers": result.seekers}
    )
