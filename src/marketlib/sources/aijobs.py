"""aijobs.net (formerly ai-jobs.net) salary survey, CC0 -> `salaries` (one row per reported salary).

These are survey responses, not postings; geography is the country only. The parser keeps the survey's own
employment codes (FT, PT, CT, FL); `clean.salaries` adds the role family and the employment type.
"""

from __future__ import annotations

import polars as pl

from marketlib import schemas
from marketlib.snapshots import Snapshot
from marketlib.sources import ParseResult, Source, UpstreamFile, parse_files

NAME = "aijobs"
REQUIRED_COLUMNS = ("work_year", "experience_level", "employment_type", "job_title", "salary_in_usd",
                    "employee_residence", "remote_ratio", "company_location", "company_size")


def salaries_from_table(frame: pl.DataFrame, snap: Snapshot) -> pl.DataFrame | None:
    """The survey file in the `salaries` columns (role family not set yet); None when the columns do not match."""
    if any(c not in frame.columns for c in REQUIRED_COLUMNS):
        return None
    upper = {c: pl.col(c).str.strip_chars().str.to_uppercase() for c in REQUIRED_COLUMNS}
    out = frame.select(
        pl.col("work_year").str.strip_chars().cast(pl.Int32, strict=False).alias("work_year"),
        pl.col("job_title").str.strip_chars().alias("job_title"),
        upper["experience_level"].alias("experience_level"),
        upper["employment_type"].alias("employment_type"),
        pl.col("salary_in_usd").str.strip_chars().cast(pl.Float64, strict=False).alias("salary_usd"),
        upper["company_location"].alias("company_location"),
        upper["employee_residence"].alias("employee_residence"),
        upper["company_size"].alias("company_size"),
        pl.col("remote_ratio").str.strip_chars().cast(pl.Int32, strict=False).alias("remote_ratio"),
        pl.lit(NAME).alias("source"),
        pl.lit(snap.snapshot_id).alias("snapshot_id"),
    )
    return schemas.conform(out, schemas.schema("salaries"))


def parse(snapshots: dict[str, Snapshot]) -> ParseResult:
    return parse_files(NAME, "salaries", snapshots, convert=salaries_from_table,
                       not_ours="not an aijobs.net salaries file (columns do not match)",
                       required=pl.all_horizontal(pl.col("work_year", "salary_usd", "job_title").is_not_null()),
                       unusable="no year, title or USD salary")


SOURCE = Source(
    name=NAME,
    description="aijobs.net global AI/ML/data salary survey (snapshot of 2025-01-19, 74,301 records).",
    kind="download",
    license="CC0 1.0 (public domain)",
    homepage="https://aijobs.net/salaries/",
    tables=("salaries",),
    parse=parse,
    files=(
        UpstreamFile(
            name="salaries_2025-01-19.csv",
            url="https://raw.githubusercontent.com/foorilla/ai-jobs-net-salaries/"
                "9c225876510af8fbdabdb7ca39d1a6d44be0072b/salaries.csv",
            version="9c225876510af8fbdabdb7ca39d1a6d44be0072b",
            sha256="fce1318d2fa6f574cd36ce192bf3c38debcb61892d15255eb8f772a05e4a5aef",
            mirror_path="aijobs_salaries/salaries_2025-01-19.csv",
        ),
    ),
    citation="aijobs.net salaries (foorilla/ai-jobs-net-salaries), CC0",
    notes="Survey responses, not postings; newer weekly versions are in the upstream repository.",
)
