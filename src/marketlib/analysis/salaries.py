"""05-salaries: ai-jobs.net salary survey records for ML titles by experience level, country and year.

These are self-reported salary records (CC0), not postings: median, IQR (p25–p75), p10–p90 and n per group.
"""

from __future__ import annotations

from dataclasses import dataclass

import altair as alt
import polars as pl

from marketlib import charts, metrics
from marketlib.analysis import common
from marketlib.config import get_settings
from marketlib.errors import UserError
from marketlib.params import check_choices, check_int, check_strings

LEVELS = ("EN", "MI", "SE", "EX")
LEVEL_NAMES = {"EN": "EN entry", "MI": "MI mid", "SE": "SE senior", "EX": "EX executive"}


@dataclass(frozen=True)
class Params:
    role_families: list[str]
    countries: list[str]
    years: list[int]
    employment_types: list[str]
    top_countries: int
    min_count: int


def validate_params(
    role_families: list[str] | None = None,
    countries: list[str] | None = None,
    years: list[int] | None = None,
    employment_types: list[str] | None = None,
    top_countries: int = 10,
    min_count: int | None = None,
) -> Params:
    table = common.load("salaries")
    known_countries = sorted(table["company_location"].drop_nulls().unique().to_list())
    known_years = sorted(table["work_year"].unique().to_list())
    known_types = sorted(table["employment_type"].drop_nulls().unique().to_list())
    wanted_years = years or []
    if not isinstance(wanted_years, list) or not all(isinstance(y, int) for y in wanted_years):
        raise UserError("Parameter years must be a list of whole years, e.g. [2023, 2024].")
    unknown_years = [y for y in wanted_years if y not in known_years]
    if unknown_years:
        raise UserError(
            f"Parameter years has year(s) {unknown_years} with no salary records; "
            f"years with records: {', '.join(map(str, known_years)) or 'none'}."
        )
    return Params(
        role_families=check_choices(
            "role_families", role_families or ["ml_engineer"], common.role_family_list()
        ),
        countries=check_choices(
            "countries", check_strings("countries", countries), known_countries, allow_empty=True
        ),
        years=wanted_years,
        employment_types=check_choices(
            "employment_types", employment_types or [], known_types, allow_empty=True
        ),
        top_countries=check_int("top_countries", top_countries, minimum=1, maximum=100),
        min_count=check_int("min_count", get_settings().min_count if min_count is None else min_count),
    )


@dataclass
class Result:
    params: Params
    records: pl.DataFrame
    by_level: pl.DataFrame
    by_country: pl.DataFrame
    by_year: pl.DataFrame
    by_year_level: pl.DataFrame


def select_records(table: pl.DataFrame, params: Params) -> pl.DataFrame:
    cond = pl.col("role_family").is_in(params.role_families)
    if params.countries:
        cond &= pl.col("company_location").is_in(params.countries)
    if params.years:
        cond &= pl.col("work_year").is_in(params.years)
    if params.employment_types:
        cond &= pl.col("employment_type").is_in(params.employment_types)
    return table.filter(cond)


def _summary(records: pl.DataFrame, by: list[str], min_count: int) -> pl.DataFrame:
    return metrics.flag_thin(metrics.quantile_summary(records, "salary_usd", by), "n", min_count)


def compute(params: Params) -> Result:
    records = select_records(common.load("salaries"), params)
    level_order = pl.col("experience_level").replace_strict(
        list(LEVELS), list(range(len(LEVELS))), default=len(LEVELS)
    )
    by_level = _summary(records, ["experience_level"], params.min_count).sort(level_order)
    by_country = (
        _summary(records, ["company_location"], params.min_count)
        .sort(["n", "company_location"], descending=[True, False])
        .head(params.top_countries)
    )
    return Result(
        params=params,
        records=records,
        by_level=by_level.with_columns(pl.col("experience_level").replace(LEVEL_NAMES).alias("level")),
        by_country=by_country,
        by_year=_summary(records, ["work_year"], params.min_count),
        by_year_level=_summary(records, ["work_year", "experience_level"], params.min_count)
        .sort("work_year", level_order)
        .with_columns(pl.col("experience_level").replace(LEVEL_NAMES).alias("level")),
    )


def _tooltip(category: str, title: str) -> list[alt.Tooltip]:
    return [
        alt.Tooltip(f"{category}:N", title=title),
        alt.Tooltip("n:Q", title="Records", format=","),
        alt.Tooltip("p25:Q", title="p25 (USD)", format=",.0f"),
        alt.Tooltip("median:Q", title="Median (USD)", format=",.0f"),
        alt.Tooltip("p75:Q", title="p75 (USD)", format=",.0f"),
        alt.Tooltip("is_thin:N", title="Thin cell"),
    ]


def _caption(result: Result, n: int) -> str:
    return common.chart_caption(
        [result.records],
        n,
        "Bar: p25–p75 (IQR); tick: median; whisker: p10–p90. Survey records, not postings.",
    )


def _boxes(result: Result, data: pl.DataFrame, category: str, category_title: str, sort: list[str],
           title: str) -> alt.LayerChart:
    """p10–p90 whiskers, p25–p75 bars and median ticks per category."""
    return charts.quantile_boxes(
        data, category=category, p10="p10", p25="p25", median="median", p75="p75", p90="p90", sort=sort,
        title=title, value_title="Annual salary (USD)", category_title=category_title,
        caption_text=_caption(result, int(data["n"].sum())), tooltip=_tooltip(category, category_title),
    )


def level_chart(result: Result) -> alt.LayerChart:
    return _boxes(result, result.by_level, "level", "Experience level", [LEVEL_NAMES[k] for k in LEVELS],
                  "Salary by experience level")


def country_chart(result: Result) -> alt.LayerChart:
    data = result.by_country
    return _boxes(result, data, "company_location", "Employer country (ISO)", data["company_location"].to_list(),
                  f"Salary by employer country (top {result.params.top_countries} by records)")


def year_chart(result: Result) -> alt.LayerChart:
    data = result.by_year_level.with_columns(pl.col("work_year").cast(pl.String).alias("year"))
    return charts.quantile_boxes(
        data,
        category="level",
        color="year",
        p25="p25",
        median="median",
        p75="p75",
        sort=[LEVEL_NAMES[k] for k in LEVELS],
        title="Salary by experience level and year",
        value_title="Annual salary (USD)",
        category_title="Experience level",
        caption_text=_caption(result, int(data["n"].sum())),
        tooltip=[alt.Tooltip("year:N", title="Year"), *_tooltip("level", "Experience level")],
    )


def sources_table(result: Result) -> pl.DataFrame:
    return common.sources_and_licenses({"salaries": result.records})


def findings(result: Result) -> list:
    """Median salary per experience level (p25 and p75 as the range)."""
    from marketlib.analysis.findings import records

    return records(result.by_level, "median_salary", "level", "median salary (p25–p75 as low–high)", "median",
                   "USD", low="p25", high="p75", n="n", sources=common.source_names(result.records))
