"""eren23/awesome-ml-system-design-case-studies: a 2,430-row MIT catalogue -> `case_studies` (second source).

Its free `;`-separated tags are kept, plus its own taxonomy as `category:<primary_category>` and
`subcategory:<sub_category>` tags; domains come from all of them through the shared tag -> domain map.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from marketlib import schemas
from marketlib.snapshots import Snapshot
from marketlib.sources import ParseResult, Source, UpstreamFile, parse_files
from marketlib.sources.evidently import add_domains, read_table, split_tags

NAME = "eren23"
FILE = "case_studies.csv"
REQUIRED_COLUMNS = ("id", "title", "company", "industry", "primary_category", "sub_category", "tags", "year",
                    "source_url")
# Date of the pinned file version (commit 3464bb5, "Update catalog: 2026-07-25").
VERSION_DATE = dt.date(2026, 7, 25)


def _taxonomy_tag(prefix: str, col: str) -> pl.Expr:
    value = pl.col(col).str.strip_chars()
    return pl.when(value.is_not_null() & (value != "")).then(pl.lit(prefix) + value)


def case_studies_from_table(frame: pl.DataFrame, snap: Snapshot) -> pl.DataFrame | None:
    """The catalogue as `case_studies`; None when the columns do not match."""
    if any(c not in frame.columns for c in REQUIRED_COLUMNS):
        return None
    # A newer catalogue version carries newer `date_added` values: its newest one dates the edition.
    newest_added = (frame.get_column("date_added").str.to_date(strict=False).max()
                    if "date_added" in frame.columns else None)
    standard = frame.select(
        pl.col("id").str.strip_chars().alias("case_id"),
        pl.lit(NAME).alias("source"),
        pl.lit(snap.snapshot_id).alias("snapshot_id"),
        pl.lit(newest_added or VERSION_DATE, pl.Date).alias("edition_date"),
        pl.col("company").str.strip_chars().alias("company"),
        pl.col("industry").str.strip_chars().alias("industry"),
        pl.col("title").str.replace_all(r"\s+", " ").str.strip_chars().alias("title"),
        pl.concat_list(
            split_tags("tags", ";"),
            _taxonomy_tag("category:", "primary_category"),
            _taxonomy_tag("subcategory:", "sub_category"),
        ).list.drop_nulls().alias("tags"),
        pl.col("year").str.strip_chars().cast(pl.Int32, strict=False).alias("year"),
        pl.col("source_url").str.strip_chars().alias("url"),
    )
    return schemas.conform(add_domains(standard), schemas.schema("case_studies"))


def parse(snapshots: dict[str, Snapshot]) -> ParseResult:
    return parse_files(NAME, "case_studies", snapshots, convert=case_studies_from_table,
                       read=lambda snap: read_table(snap.read_bytes(), snap.snapshot_id),
                       not_ours="not the eren23 catalogue (columns do not match)")


SOURCE = Source(
    name=NAME,
    description="eren23 awesome-ml-system-design-case-studies catalogue (2,430 case studies, 16 categories).",
    kind="download",
    license="MIT (catalogue data, per the repository README)",
    homepage="https://github.com/eren23/awesome-ml-system-design-case-studies",
    tables=("case_studies",),
    parse=parse,
    files=(
        UpstreamFile(
            name=FILE,
            url="https://raw.githubusercontent.com/eren23/awesome-ml-system-design-case-studies/"
                "3464bb50775e5a942f865297eb7440e92364d00f/data/case_studies.csv",
            version="3464bb50775e5a942f865297eb7440e92364d00f",
            sha256="94835b230d4084977ce3a0c80b85cec097668b2035e74c616ca0f54b56c7b032",
            mirror_path="eren23_ml_case_studies/case_studies.csv",
        ),
    ),
    citation="Eren Akbulut, awesome-ml-system-design-case-studies (catalogue of 2026-07-25)",
    notes="Aggregates several lists (applied-ml, Evidently, Chip Huyen ...); de-duplicated by URL upstream.",
)
