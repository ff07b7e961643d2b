"""aijobs.net (formerly ai-jobs.net) salary survey, CC0 -> `salaries` (one row per reported salary).

These are survey responses, not postings; geography is the country only.
"""

from __future__ import annotations

import io

import polars as pl

from marketlib import schemas
from marketlib.clean.roles import role_family_expr
from marketlib.errors import UserError
from marketlib.snapshots import Snapshot
from marketlib.sources import Source, UpstreamFile

NAME = "aijobs"
REQUIRED_COLUMNS = ("work_year", "experience_level", "employment_type", "job_title", "salary_in_usd",
                    "employee_residence", "remote_ratio", "company_location", "company_size")
# Freelance (FL, 16 rows in the 2025-01 file) is contract work in the project's employment types.
EMPLOYMENT_TYPES = {"FT": "full_time", "PT": "part_time", "CT": "contract", "FL": "contract"}


def salaries_from_table(frame: pl.DataFrame, snap: Snapshot) -> pl.DataFrame | None:
    """The survey file as `salaries`; None when the columns do not match."""
    if any(c not in frame.columns for c in REQUIRED_COLUMNS):
        return None
    upper = {c: pl.col(c).str.strip_chars().str.to_uppercase() for c in REQUIRED_COLUMNS}
    out = frame.select(
        pl.col("work_year").str.strip_chars().cast(pl.Int32, strict=False).alias("work_year"),
        pl.col("job_title").str.strip_chars().alias("job_title"),
        role_family_expr(pl.col("job_title")).alias("role_family"),
        upper["experience_level"].alias("experience_level"),
        upper["employment_type"].replace_strict(EMPLOYMENT_TYPES, default=None).alias("employment_type"),
        pl.col("salary_in_usd").str.strip_chars().cast(pl.Float64, strict=False).alias("salary_usd"),
        upper["company_location"].alias("company_location"),
        upper["employee_residence"].alias("employee_residence"),
        upper["company_size"].alias("company_size"),
        pl.col("remote_ratio").str.strip_chars().cast(pl.Int32, strict=False).alias("remote_ratio"),
        pl.lit(NAME).alias("source"),
        pl.lit(snap.snapshot_id).alias("snapshot_id"),
    )
    return schemas.conform(out, schemas.schema("salaries"))


def parse(snapshots: dict[str, Snapshot]) -> dict[str, pl.DataFrame]:
    frames, reasons, rows = [], [], []
    for name, snap in snapshots.items():
        try:
            table = pl.read_csv(io.BytesIO(snap.read_bytes()), infer_schema=False)
        except pl.exceptions.PolarsError as exc:
            raise UserError(f"{snap.snapshot_id} is not a readable CSV ({str(exc).splitlines()[0]}).") from None
        frame = salaries_from_table(table, snap)
        if frame is None:
            reasons.append(f"{name}: not an aijobs.net salaries file (columns do not match)")
            rows.append(table.height)
            continue
        bad = frame.filter(pl.col("work_year").is_null() | pl.col("salary_usd").is_null()
                           | pl.col("job_title").is_null())
        if bad.height:
            reasons.append(f"{name}: no year, title or USD salary")
            rows.append(bad.height)
        frames.append(frame.filter(pl.col("work_year").is_not_null() & pl.col("salary_usd").is_not_null()
                                   & pl.col("job_title").is_not_null()))
    out = {"salaries": pl.concat(frames, how="vertical") if frames else schemas.empty("salaries")}
    if reasons:
        out["_drops"] = pl.DataFrame({"reason": reasons, "rows": rows},
                                     schema={"reason": pl.String, "rows": pl.Int64})
    return out


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
