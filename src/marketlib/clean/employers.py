"""Employer names for counting: one key per employer whatever the spelling, and job boards flagged.

`company_key` builds on dedup.normalize_company (lowercase, legal forms such as Inc/LLC/Ltd/Corp/GmbH and
punctuation dropped) and also drops spaces and a web suffix, so 'AI Jobs', 'AiJobs' and 'aijobs.com' are one
employer, as are 'JPMorgan Chase & Co.' and 'JP Morgan Chase'. Known aggregators (data/job_aggregators.csv) post
other employers' openings under their own name; `is_aggregator` flags them.
"""

from __future__ import annotations

from functools import lru_cache
from importlib.resources import files

import polars as pl

from marketlib.clean.dedup import normalize_company

_WEB_SUFFIX = r"(?i)\.(?:com|ai|io|net|org|co|jobs)\b"


def company_key(expr: pl.Expr) -> pl.Expr:
    """The counting key of a company name ('' when nothing is left, e.g. '###')."""
    return normalize_company(expr.fill_null("").str.replace_all(_WEB_SUFFIX, " ")).str.replace_all(r"[\s_]+", "")


@lru_cache(maxsize=1)
def aggregator_keys() -> tuple[str, ...]:
    table = pl.read_csv(files("marketlib") / "data" / "job_aggregators.csv", comment_prefix="#", infer_schema=False)
    return tuple(table.select(company_key(pl.col("name"))).to_series().unique().sort().to_list())


def is_aggregator(key: pl.Expr) -> pl.Expr:
    """True where a company key (company_key) is a known job board or aggregator."""
    return key.is_in(list(aggregator_keys()))


def employer_counts(postings: pl.DataFrame, weight: str | None = None) -> pl.DataFrame:
    """One row per employer key: the most common spelling as `company`, `spellings` (distinct names merged),
    `postings`, `openings` (sum of `weight`, else the postings), `is_aggregator`. Rows without a name dropped."""
    keyed = postings.with_columns(company_key(pl.col("company")).alias("_key")).filter(pl.col("_key") != "")
    spelled = (keyed.group_by("_key", "company").agg(pl.len().alias("_n"))
               .sort(["_key", "_n", "company"], descending=[False, True, False])
               .group_by("_key", maintain_order=True)
               .agg(pl.col("company").first(), pl.col("company").n_unique().alias("spellings")))
    counted = keyed.group_by("_key").agg(
        pl.len().alias("postings"),
        (pl.col(weight).sum() if weight else pl.len().cast(pl.Float64)).alias("openings"),
    )
    return (spelled.join(counted, on="_key", how="inner")
            .with_columns(is_aggregator(pl.col("_key")).alias("is_aggregator")))
