"""The success-ratio table: openings in a window ÷ professionals, per metro (README "Metros", "Odds").

A metro is a CBSA (code and OEWS title) by default; a named group of CBSAs (data/metros.csv, column
metro_group) replaces its members only when asked for (a parameter or the reference metro); a Canadian metro
is a CMA (data/canada_cmas.csv maps its cities) whose professionals are an estimate (sources/statcan.py).
Other places outside the US are "city, country" and have no denominator.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from importlib import resources

import polars as pl

from marketlib import metrics
from marketlib.analysis import common
from marketlib.config import get_settings

CANADA = "CA"
GROUP_CODE_SEPARATOR = "+"


@lru_cache(maxsize=1)
def canada_cmas() -> pl.DataFrame:
    """cma_code, cma_name, province, city: the cities marketlib maps to each Canadian metro (CMA)."""
    text = resources.files("marketlib.data").joinpath("canada_cmas.csv").read_text(encoding="utf-8")
    return pl.read_csv(text.encode(), schema_overrides={"cma_code": pl.String})


def soc_set(role_families: Sequence[str], *, alternative: bool = False) -> list[str]:
    """The SOC codes behind the chosen role families (union, in marketlib.toml order)."""
    settings = get_settings()
    sets = settings.soc_sets_alternative if alternative else settings.soc_sets
    codes = [c for family in role_families for c in sets.get(family, ())]
    return list(dict.fromkeys(codes or settings.soc_codes))


def group_codes(groups: Sequence[str]) -> dict[str, str]:
    """CBSA code -> the metro code of its named group ('41860+41940'), for the chosen groups only."""
    members = common.metro_groups()
    return {
        code: GROUP_CODE_SEPARATOR.join(sorted(members[g])) for g in groups if g in members for code in members[g]
    }


def catalogue(professionals: pl.DataFrame, groups: Sequence[str]) -> pl.DataFrame:
    """metro_code -> metro label and kind (cbsa, group, cma)."""
    cbsa = (
        professionals.filter(pl.col("area_type") == "msa")
        .select(pl.coalesce("metro_code", pl.col("area_code").str.slice(-5)).alias("metro_code"),
                pl.col("area_name").alias("metro"))
        .unique("metro_code", keep="first")
        .with_columns(pl.lit("cbsa").alias("kind"))
    )
    chosen = common.metro_groups()
    named = pl.DataFrame(
        {"metro_code": [GROUP_CODE_SEPARATOR.join(sorted(chosen[g])) for g in groups if g in chosen],
         "metro": [g for g in groups if g in chosen]},
        schema={"metro_code": pl.String, "metro": pl.String},
    ).with_columns(pl.lit("group").alias("kind"))
    cmas = (
        canada_cmas()
        .select("cma_code", (pl.col("cma_name") + ", " + pl.col("province")).alias("metro"))
        .unique("cma_code", keep="first")
        .rename({"cma_code": "metro_code"})
        .with_columns(pl.lit("cma").alias("kind"))
    )
    return pl.concat([cbsa, named, cmas])


def posting_metros(postings: pl.DataFrame, groups: Sequence[str]) -> pl.DataFrame:
    """posting_id, metro_code, metro_label: each posting once per metro (a posting in San Francisco and San
    Jose counts once for the SF Bay Area when that group is chosen). Places outside the US and Canada's
    listed metros get metro_code null and a 'city, country' label."""
    to_group = group_codes(groups)
    mapping = pl.DataFrame(
        {"code": list(to_group), "group_code": list(to_group.values())},
        schema={"code": pl.String, "group_code": pl.String},
    )
    us = (
        postings.select("posting_id", pl.col("metro_codes").alias("code"))
        .explode("code")
        .drop_nulls("code")
        .join(mapping, on="code", how="left")
        .select("posting_id", pl.coalesce("group_code", "code").alias("metro_code"),
                pl.lit(None, pl.String).alias("metro_label"))
    )
    abroad = postings.filter((pl.col("country") != common.US) & pl.col("city").is_not_null())
    cities = canada_cmas().select(pl.col("city").str.to_lowercase().alias("_city"), "cma_code", "province")
    located = abroad.with_columns(pl.col("city").str.to_lowercase().alias("_city")).join(
        cities, on="_city", how="left"
    )
    # a Canadian city maps to a CMA when the province agrees (or is not given)
    in_cma = (pl.col("country") == CANADA) & pl.col("cma_code").is_not_null() & (
        pl.col("region").is_null() | (pl.col("region") == pl.col("province"))
    )
    other = located.select(
        "posting_id",
        pl.when(in_cma).then(pl.col("cma_code")).alias("metro_code"),
        pl.when(~in_cma.fill_null(False))
        .then(pl.concat_str([pl.col("city"), pl.col("country")], separator=", "))
        .alias("metro_label"),
    )
    return pl.concat([us, other]).unique(["posting_id", "metro_code", "metro_label"])


def openings(weighted: pl.DataFrame, where: pl.DataFrame) -> pl.DataFrame:
    """Per metro: openings = Σ w, openings_var = Σ w² (count variance), postings = n behind them."""
    return (
        weighted.select("posting_id", "w")
        .join(where, on="posting_id", how="inner")
        .group_by("metro_code", "metro_label")
        .agg(
            pl.col("w").sum().alias("openings"),
            (pl.col("w") ** 2).sum().alias("openings_var"),
            pl.len().cast(pl.Int64).alias("postings"),
        )
    )


def professionals_by_metro(professionals: pl.DataFrame, soc_codes: Sequence[str], groups: Sequence[str]):
    """Per metro: professionals (Σ employment over the SOC codes), their combined RSE, is_estimate, year and
    how many cells the publisher suppressed."""
    to_group = group_codes(groups)
    rows = professionals.filter(pl.col("area_type").is_in(["msa", "cma"]) & pl.col("soc_code").is_in(soc_codes))
    code = pl.coalesce("metro_code", pl.when(pl.col("area_type") == "msa").then(pl.col("area_code").str.slice(-5))
                       .otherwise(pl.col("area_code")))
    return (
        rows.with_columns(code.replace(to_group).alias("metro_code"))
        .group_by("metro_code")
        .agg(
            pl.col("employment").sum().alias("professionals"),
            metrics.professionals_rse(pl.col("employment"), pl.col("employment_rse_pct")).alias(
                "professionals_rse_pct"
            ),
            pl.col("is_estimate").fill_null(False).any().alias("is_estimate"),
            pl.col("employment").is_null().sum().cast(pl.Int64).alias("suppressed_cells"),
            pl.col("year").max().alias("professionals_year"),
            pl.col("source").first().alias("professionals_source"),
        )
    )


def ratio_table(
    counted: pl.DataFrame, heads: pl.DataFrame, labels: pl.DataFrame, reference: str, min_count: int
) -> pl.DataFrame:
    """One row per metro with openings: ratio, interval, inverse, relative odds, is_thin, is_estimate, caveat."""
    table = (
        counted.join(heads, on="metro_code", how="left")
        .join(labels.select("metro_code", "metro"), on="metro_code", how="left")
        .with_columns(pl.coalesce("metro", "metro_label", "metro_code").alias("metro"),
                      pl.col("is_estimate").fill_null(False))
        .drop("metro_label")
        .with_columns(pl.when(pl.col("professionals") > 0).then(pl.col("professionals")).alias("professionals"))
    )
    table = metrics.add_success_ratio(table)
    table = metrics.add_relative_odds(table, "metro", reference)
    table = table.with_columns((pl.col("postings") < min_count).alias("is_thin"))
    caveat = (
        pl.when(pl.col("professionals").is_null())
        .then(pl.lit("no professionals count for this place (OEWS covers US metros; estimates cover listed "
                     "Canadian metros)"))
        .when(pl.col("is_estimate"))
        .then(pl.lit("professionals are an ESTIMATE (2021 provincial count × 2016 metro share of tech workers)"))
        .when(pl.col("suppressed_cells") > 0)
        .then(pl.lit("OEWS suppressed some occupations here: professionals are a lower bound"))
        .otherwise(pl.lit(""))
    )
    thin = pl.when(pl.col("is_thin")).then(pl.lit(f"fewer than {min_count} postings")).otherwise(pl.lit(""))
    return table.with_columns(
        pl.concat_str([caveat, thin], separator="; ").str.strip_chars("; ").alias("caveat")
    ).sort(["success_ratio_pct", "openings"], descending=True, nulls_last=True)
