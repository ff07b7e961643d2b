"""Evidently AI's "ML and LLM system design" case-study database, four editions -> `case_studies`.

Each edition is a separate file with its own `edition_date`, so counts can be compared across editions.
Tags keep their original spelling; `domains` map them to the project taxonomy through
`marketlib/data/case_study_tag_domains.csv` (shared with the eren23 catalogue).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
from functools import lru_cache
from pathlib import Path

import polars as pl

from marketlib import schemas
from marketlib.errors import UserError
from marketlib.snapshots import Snapshot
from marketlib.sources import ParseResult, Source, UpstreamFile

NAME = "evidently"
TAG_DOMAINS_FILE = Path(__file__).resolve().parents[1] / "data" / "case_study_tag_domains.csv"

# Evidently's own CSV export, and the markdown-derived cross-check copy (PROVENANCE.md of the mirror).
EXPORT_COLUMNS = ("Company", "Industry", "Title", "Tag", "Year", "Link")
MARKDOWN_COLUMNS = ("company", "industry", "year", "tags", "title", "source_url")

# The date each edition's content is known to have existed. The date in a file name is when the copy was
# committed; the 2025-01 copy was committed in 2025-09 but its newest row is from January 2025.
EDITION_DATES = {
    "evidently_db_2024-05_300rows.csv": dt.date(2024, 5, 17),
    "evidently_db_2025-01_511rows.csv": dt.date(2025, 1, 1),
    "evidently_db_2025-03_509rows_parsed_from_markdown.csv": dt.date(2025, 3, 8),
    "evidently_db_2025-11_652rows.csv": dt.date(2025, 11, 23),
}


@lru_cache(maxsize=4)
def load_tag_domains(path: Path = TAG_DOMAINS_FILE) -> pl.DataFrame:
    """The tag -> domain map: (tag lower-cased, domain); tags listed without a domain map to none."""
    if not Path(path).is_file():
        raise UserError(f"The tag-to-domain map {path} is missing.")
    frame = pl.read_csv(path, infer_schema=False)
    if not {"tag", "domain"}.issubset(frame.columns):
        raise UserError(f"{path} needs the columns tag and domain.")
    unknown = frame.filter(pl.col("domain").is_not_null() & ~pl.col("domain").is_in(list(schemas.DOMAINS)))
    if unknown.height:
        raise UserError(f"{path}: domain {unknown['domain'][0]!r} of tag {unknown['tag'][0]!r} is not one of "
                        f"{', '.join(schemas.DOMAINS)}.")
    return (frame.select(pl.col("tag").str.strip_chars().str.to_lowercase(), "domain")
            .drop_nulls().unique().sort("tag", "domain"))


def add_domains(frame: pl.DataFrame, tags_col: str = "tags", out_col: str = "domains") -> pl.DataFrame:
    """Add the sorted, distinct domains of each row's tags (an empty list when none maps)."""
    tag_domains = load_tag_domains()
    indexed = frame.with_row_index("_row")
    found = (
        indexed.select("_row", pl.col(tags_col).alias("tag")).explode("tag")
        .with_columns(pl.col("tag").str.strip_chars().str.to_lowercase())
        .join(tag_domains, on="tag", how="inner")
        .group_by("_row").agg(pl.col("domain").unique().sort().alias(out_col))
    )
    return (indexed.join(found, on="_row", how="left")
            .with_columns(pl.col(out_col).fill_null(pl.lit([], pl.List(pl.String))))
            .drop("_row"))


def split_tags(col: str, separator: str) -> pl.Expr:
    """A separator-joined tag cell -> list of stripped, non-empty tags in their original spelling."""
    return (pl.col(col).fill_null("").str.split(separator)
            .list.eval(pl.element().str.strip_chars().filter(pl.element() != "")))


def case_ids(*parts: pl.Series) -> pl.Series:
    """16-hex sha256 of the joined parts: stable across polars versions (pl.hash is not), hence hashlib."""
    joined = [("\n".join(p or "" for p in row)).encode() for row in zip(*parts, strict=True)]
    return pl.Series("case_id", [hashlib.sha256(b).hexdigest()[:16] for b in joined], dtype=pl.String)


def edition_date(name: str, snap: Snapshot) -> dt.date:
    if name in EDITION_DATES:
        return EDITION_DATES[name]
    month = re.search(r"(20\d\d)-(\d\d)", name)
    if month:
        return dt.date(int(month.group(1)), int(month.group(2)), 1)
    return snap.fetched_at.date()


def _standard_columns(frame: pl.DataFrame) -> pl.DataFrame | None:
    """Either file format -> company, industry, title, tags, year, url; None when neither matches."""
    if all(c in frame.columns for c in EXPORT_COLUMNS):
        names = {"company": "Company", "industry": "Industry", "title": "Title", "year": "Year",
                 "url": "Link"}
        tags = split_tags("Tag", ",")
    elif all(c in frame.columns for c in MARKDOWN_COLUMNS):
        names = {"company": "company", "industry": "industry", "title": "title", "year": "year",
                 "url": "source_url"}
        tags = split_tags("tags", ";")
    else:
        return None
    return frame.select(
        pl.col(names["company"]).str.strip_chars().alias("company"),
        pl.col(names["industry"]).str.strip_chars().alias("industry"),
        # 8 titles of the 2025-01 copy hold line breaks.
        pl.col(names["title"]).str.replace_all(r"\s+", " ").str.strip_chars().alias("title"),
        tags.alias("tags"),
        pl.col(names["year"]).str.strip_chars().cast(pl.Int32, strict=False).alias("year"),
        pl.col(names["url"]).str.strip_chars().alias("url"),
    )


def read_table(data: bytes, name: str = "The file") -> pl.DataFrame:
    try:
        frame = pl.read_csv(io.BytesIO(data), infer_schema=False, encoding="utf8-lossy")
    except pl.exceptions.PolarsError as exc:
        raise UserError(f"{name} is not a readable CSV ({str(exc).splitlines()[0]}).") from None
    # The export starts with a byte-order mark, which polars keeps in the first header.
    return frame.rename({c: c.lstrip("\ufeff") for c in frame.columns})


def case_studies_from_table(frame: pl.DataFrame, name: str, snap: Snapshot) -> pl.DataFrame | None:
    """One edition's rows as `case_studies`; None when the columns match neither known format."""
    standard = _standard_columns(frame)
    if standard is None:
        return None
    standard = standard.with_columns(
        case_ids(standard["url"], standard["title"]),
        pl.lit(NAME).alias("source"),
        pl.lit(snap.snapshot_id).alias("snapshot_id"),
        pl.lit(edition_date(name, snap), pl.Date).alias("edition_date"),
    )
    return schemas.conform(add_domains(standard), schemas.schema("case_studies"))


def parse(snapshots: dict[str, Snapshot]) -> ParseResult:
    frames, drops = [], []
    for name, snap in snapshots.items():
        table = read_table(snap.read_bytes(), snap.snapshot_id)
        frame = case_studies_from_table(table, name, snap)
        if frame is None:
            drops.append((f"{name}: not an Evidently case-study table (columns do not match)", table.height))
        else:
            frames.append(frame)
    studies = pl.concat(frames, how="vertical") if frames else schemas.empty("case_studies")
    return ParseResult.of(NAME, {"case_studies": studies}, drops)


def _file(name: str, url: str, version: str, sha256: str) -> UpstreamFile:
    return UpstreamFile(name=name, url=url, version=version, sha256=sha256,
                        mirror_path=f"evidently_ml_system_design/{name}")


_RAW = "https://raw.githubusercontent.com"
SOURCE = Source(
    name=NAME,
    description="Evidently AI ML/LLM system-design case-study database, four editions (2024-05 to 2025-11).",
    kind="download",
    license="No data licence published by Evidently AI; cite Evidently AI (2025-03 copy: MIT)",
    homepage="https://www.evidentlyai.com/ml-system-design",
    tables=("case_studies",),
    parse=parse,
    files=(
        _file("evidently_db_2024-05_300rows.csv",
              f"{_RAW}/SimulatorML/Similar-Design-Finder/79ef9c9492826ceab5c75e6ab8081cad06e20b4b/"
              "data/raw/evidently_table.csv",
              "79ef9c9492826ceab5c75e6ab8081cad06e20b4b",
              "55d0935288353b7b7e70227e4139ef8e9cd33cc9e453e45de106c735751f4a86"),
        _file("evidently_db_2025-01_511rows.csv",
              f"{_RAW}/Hank0421/Multi-Source-AI-Knowledge-QA-System/75081f913f63a1df8322397a58a9cfc7538d80ad/"
              "ml-cases.csv",
              "75081f913f63a1df8322397a58a9cfc7538d80ad",
              "9049eb6e8b900f5494116d5b3c2ba32d3e3405a6624f0ab15d5f64f761c3d96f"),
        # Derived in the mirror from 509 markdown files of the repository below; not downloadable as one file.
        _file("evidently_db_2025-03_509rows_parsed_from_markdown.csv",
              "https://github.com/themanojdesai/genai-llm-ml-case-studies/tree/"
              "d81bcbcdbe039ad5a51e02f7ab694a3d00ccaf55/case-studies/by-company",
              "d81bcbcdbe039ad5a51e02f7ab694a3d00ccaf55",
              "9891a0ea51cd53322e78a702bedf26db791e6495044ea6bcc00d74d21f118604"),
        _file("evidently_db_2025-11_652rows.csv",
              f"{_RAW}/Ab2021/Tutorials/e4e18a72a29437fabe35d54eddfdcbfee0070d2a/Practical_ML_Design/"
              "650%20ML%20and%20LLM%20use%20cases.csv",
              "e4e18a72a29437fabe35d54eddfdcbfee0070d2a",
              "7dd8316d071688004ff965043f810b696c543002336f535cb8d397aa5753a397"),
    ),
    citation="Evidently AI, ML and LLM system design: 650 case studies (evidentlyai.com/ml-system-design)",
    notes="Third-party copies of Evidently's table export; the 2025-03 file is a parse of a markdown copy.",
)
