"""The salary-survey cleaning: survey rows as the source gave them -> the `salaries` table.

A survey row names a job title and an employment code; the cleaning adds the project's role family and
employment type, the same normalizers the postings use.
"""

from __future__ import annotations

import polars as pl

from marketlib import schemas
from marketlib.clean.roles import role_family_expr
from marketlib.clean.values import employment_type


def clean_salaries(frame: pl.DataFrame) -> pl.DataFrame:
    """Survey rows (the `salaries` columns, role_family not yet set) -> the `salaries` table."""
    return schemas.conform(frame.with_columns(
        role_family_expr(pl.col("job_title")).alias("role_family"),
        employment_type(pl.col("employment_type")).alias("employment_type"),
    ), schemas.schema("salaries"))
