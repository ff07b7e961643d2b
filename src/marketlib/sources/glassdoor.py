"""Glassdoor data-science postings scraped in April 2020 (Ken Jee's ds_salary_proj) -> raw postings.

The file repeats many postings (same description, company and location); only the first of each is kept and
the rest are reported as drops. Any CSV with the same column names is accepted (other scrape years).
"""

from __future__ import annotations

import polars as pl

from marketlib import schemas
from marketlib.snapshots import Snapshot
from marketlib.sources import ParseResult, Source, UpstreamFile, read_csv_snapshot

NAME = "glassdoor"
REQUIRED_COLUMNS = ("Job Title", "Salary Estimate", "Job Description", "Company Name", "Location", "Size")
DEDUP_KEY = ("Job Description", "Company Name", "Location")
MISSING = "-1"  # the scrape's marker for a missing value

# "$53K-$91K (Glassdoor est.)", "Employer Provided Salary:$120K-$140K", "$21-$34 Per Hour(Glassdoor est.)"
_SALARY_RANGE = r"\$(\d+(?:\.\d+)?)(K?)\s*-\s*\$(\d+(?:\.\d+)?)(K?)"


def _null_missing(col: str) -> pl.Expr:
    text = pl.col(col).str.strip_chars()
    return pl.when(text.is_in([MISSING, ""])).then(None).otherwise(text)


def _salary_bound(group_value: int, group_k: int) -> pl.Expr:
    text = pl.col("Salary Estimate")
    value = text.str.extract(_SALARY_RANGE, group_value).cast(pl.Float64)
    is_thousands = text.str.extract(_SALARY_RANGE, group_k) == "K"
    return pl.when(is_thousands).then(value * 1000).otherwise(value)


def _company_size(col: str) -> pl.Expr:
    """'501 to 1000 employees' -> '501-1000', '10000+ employees' -> '10000+'; 'Unknown' and -1 -> null."""
    size = _null_missing(col)
    band = size.str.replace(r"(?i)\s*employees\s*$", "").str.replace(r"\s+to\s+", "-")
    return pl.when(size.str.to_lowercase() == "unknown").then(None).otherwise(band)


def is_glassdoor_frame(frame: pl.DataFrame) -> bool:
    return all(c in frame.columns for c in REQUIRED_COLUMNS)


def postings_from_frame(frame: pl.DataFrame, snap: Snapshot) -> pl.DataFrame:
    """Raw postings (all rows, repeats included) from one Glassdoor CSV read as strings."""
    # pandas wrote its index as the first column with an empty (or "Unnamed: 0") header.
    index_col = frame.columns[0] if frame.columns[0] in ("", "Unnamed: 0") else None
    has_salary = pl.col("Salary Estimate").str.contains(_SALARY_RANGE)
    return frame.select(
        pl.lit(NAME).alias("source"),
        pl.lit(snap.snapshot_id).alias("snapshot_id"),
        (pl.col(index_col) if index_col is not None else pl.lit(None, pl.String)).alias("source_posting_id"),
        _null_missing("Job Title").alias("title"),
        # "Tecolote Research\n3.8": the company's Glassdoor rating follows a newline.
        _null_missing("Company Name").str.replace(r"\s*\n\s*-?\d+(?:\.\d+)?\s*$", "").alias("company"),
        _null_missing("Location").alias("location_raw"),
        _null_missing("Job Description").alias("description"),
        pl.when(has_salary).then(_salary_bound(1, 2)).alias("salary_min"),
        pl.when(has_salary).then(_salary_bound(3, 4)).alias("salary_max"),
        pl.when(has_salary).then(pl.lit("USD")).alias("salary_currency"),
        pl.when(has_salary & pl.col("Salary Estimate").str.contains("(?i)per hour"))
        .then(pl.lit("hour")).when(has_salary).then(pl.lit("year")).alias("salary_period"),
        _null_missing("Salary Estimate").alias("salary_text"),
        # "(Glassdoor est.)" figures are Glassdoor's model, not pay the employer stated.
        (has_salary & pl.col("Salary Estimate").str.contains("(?i)glassdoor est")).alias("salary_is_estimate"),
        _company_size("Size").alias("company_size"),
        # The scrape date is not the posting date, and the file has no posting date: unknown.
        pl.lit(None, pl.Date).alias("posted_date"),
        pl.lit(snap.fetched_at, pl.Datetime("us", "UTC")).alias("fetched_at"),
        *[pl.col(c).alias(f"_key_{i}") for i, c in enumerate(DEDUP_KEY)],
    )


def parse(snapshots: dict[str, Snapshot]) -> ParseResult:
    frames, drops = [], []
    for name, snap in snapshots.items():
        table = read_csv_snapshot(snap)
        if not is_glassdoor_frame(table):
            drops.append((f"{name}: not a Glassdoor postings file (columns do not match)", table.height))
            continue
        frames.append(postings_from_frame(table, snap))
    if not frames:
        return ParseResult.of(NAME, {"postings": schemas.empty_raw_postings()}, drops)
    every = pl.concat(frames, how="vertical")
    keys = [c for c in every.columns if c.startswith("_key_")]
    unique = every.unique(subset=keys, keep="first", maintain_order=True)
    repeated = every.height - unique.height
    if repeated:
        drops.append(("repeated posting (same description, company and location)", repeated))
    return ParseResult.of(NAME, {"postings": schemas.conform_raw_postings(unique)}, drops)


SOURCE = Source(
    name=NAME,
    description="Glassdoor data-science postings scraped in April 2020 (Ken Jee, ds_salary_proj), US only.",
    kind="download",
    license="No license stated; posting texts are Glassdoor/employer content (research use)",
    homepage="https://github.com/PlayingNumbers/ds_salary_proj",
    tables=("postings",),
    parse=parse,
    files=(
        UpstreamFile(
            name="glassdoor_jobs.csv",
            url="https://raw.githubusercontent.com/PlayingNumbers/ds_salary_proj/"
                "eeb1002f8e23a71dbf7d411749479e29ce391c4a/glassdoor_jobs.csv",
            version="eeb1002f8e23a71dbf7d411749479e29ce391c4a",
            sha256="950a1d9e564eeffedb58b95216aa3bb012ef23becab611cfff820d78b0e44123",
            mirror_path="glassdoor_ds_jobs_2020_kenjee/glassdoor_jobs.csv",
        ),
    ),
    citation="Ken Jee, ds_salary_proj (Glassdoor scrape, April 2020)",
    notes="956 rows, 600 unique postings; salaries are mostly Glassdoor estimates, not employer figures.",
)
