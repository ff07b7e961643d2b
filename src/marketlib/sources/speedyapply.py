"""SpeedyApply "AI College Jobs": AI/ML and data-science internships and new-grad openings (GitHub list).

Four markdown files (USA/international x internship/new grad), each with FAANG+, Quant and Other tables whose
cells hold HTML (`<a href=...><strong>Company</strong></a>`, an "Apply" image link, `$51/hr`, `3d`).
History: the mirror's union of every daily version (Sep 2024 - Jul 2026, keyed by posting URL).
"""

from __future__ import annotations

import polars as pl

from marketlib.clean.values import salary_period
from marketlib.snapshots import Snapshot
from marketlib.sources import ParseResult, UpstreamFile
from marketlib.sources._joblists import (
    LiveFile,
    cell_href,
    cell_text,
    finish_postings,
    gather_sightings,
    joblist_source,
    markdown_tables,
    parse_timestamp,
)

NAME = "speedyapply"
REPO = "speedyapply/2026-AI-College-Jobs"
HEAD_COMMIT = "82318d7c80869d79b8f8a536c9d7ab0ca19d35ba"
LICENSE = "None stated (no LICENSE file): facts only, cite the repository, do not redistribute; counts published"
MIRROR = "speedyapply_ai_college_jobs"

UNION_FILES = (
    UpstreamFile("ai_college_jobs_internships_2024-09_2026-07.csv", f"https://github.com/{REPO}",
                 f"union of every daily version to {HEAD_COMMIT[:12]} (2026-07-02)",
                 "ca8394b8264324d00f8b79200404f5215a2809ceeda0e8d73c4cf2fda71554b7",
                 f"{MIRROR}/ai_college_jobs_internships_2024-09_2026-07.csv"),
    UpstreamFile("ai_college_jobs_newgrad_2024-09_2026-07.csv", f"https://github.com/{REPO}",
                 f"union of every daily version to {HEAD_COMMIT[:12]} (2026-07-02)",
                 "b1c6fad85ef5577b95c928437a25cbf23a8fb957a3dcce997d69a8c92acd8ab5",
                 f"{MIRROR}/ai_college_jobs_newgrad_2024-09_2026-07.csv"),
)
# list name -> path in the repository
LIST_PATHS = {"intern_usa": "README.md", "newgrad_usa": "NEW_GRAD_USA.md", "newgrad_intl": "NEW_GRAD_INTL.md",
              "intern_intl": "INTERN_INTL.md"}
LIVE_FILES = tuple(LiveFile(f"live_{path}", f"https://raw.githubusercontent.com/{REPO}/HEAD/{path}", name)
                   for name, path in LIST_PATHS.items())
SECTIONS = {"faang+": "faang", "quant": "quant", "other": "other"}


def parse_markdown(text: str) -> pl.DataFrame:
    """One speedyapply markdown file -> company, position, location, salary, section, posting_url,
    company_url, age_days (the "Age" cell, e.g. "3d" -> 3)."""
    cells = markdown_tables(text)
    if "company" not in cells.columns or "position" not in cells.columns:
        return pl.DataFrame(schema={c: pl.String() for c in ("company", "position", "location", "salary",
                                                              "section", "posting_url", "company_url")}
                            | {"age_days": pl.Int64()})
    for optional in ("salary", "posting", "age", "location"):
        if optional not in cells.columns:
            cells = cells.with_columns(pl.lit(None, dtype=pl.String()).alias(optional))
    section = pl.col("section").str.to_lowercase().str.replace_all(r"[^a-z+ ]", "").str.strip_chars()
    return cells.filter(pl.col("position").is_not_null()).select(
        cell_text(pl.col("company")).alias("company"),
        cell_text(pl.col("position")).alias("position"),
        cell_text(pl.col("location")).alias("location"),
        cell_text(pl.col("salary")).alias("salary"),
        section.replace_strict(SECTIONS, default=None).alias("section"),
        cell_href(pl.col("posting")).alias("posting_url"),
        cell_href(pl.col("company")).alias("company_url"),
        pl.col("age").str.extract(r"(-?\d+)\s*d", 1).cast(pl.Int64, strict=False).alias("age_days"),
    )


def _salary(frame: pl.DataFrame) -> pl.DataFrame:
    """'$51/hr' -> 51 per hour, '$172k/yr' -> 172,000 per year (USD)."""
    amount = frame.get_column("salary").str.extract(r"\$\s*([\d,.]+)", 1).str.replace_all(",", "") \
        .cast(pl.Float64, strict=False)
    thousands = frame.get_column("salary").str.contains(r"(?i)\d\s*k")
    value = pl.when(thousands).then(amount * 1000).otherwise(amount)
    period = salary_period(pl.col("salary").str.extract(r"/\s*(hr|hour|yr|year|mo|month|wk|week)", 1))
    return frame.with_columns(value.alias("salary_min"), value.alias("salary_max"), period.alias("salary_period"),
                              pl.when(amount.is_not_null()).then(pl.lit("USD")).alias("salary_currency"))


def _to_list_frame(frame: pl.DataFrame) -> pl.DataFrame:
    """Union-CSV or raw columns -> the list frame (key = posting URL)."""
    return _salary(frame).with_columns(
        pl.col("posting_url").alias("key"),
        pl.col("posting_url").alias("url"),
        pl.col("posting_url").alias("source_posting_id"),
        pl.col("position").alias("title"),
        pl.col("location").alias("location_raw"),
        pl.col("salary").alias("salary_text"),
        pl.when(pl.col("list_name").str.starts_with("intern")).then(pl.lit("internship"))
        .otherwise(None).alias("employment_type"),
    )


def _union_frame(union: pl.DataFrame, _file_name: str) -> pl.DataFrame:
    return _to_list_frame(union.rename({"list": "list_name"})).with_columns(
        parse_timestamp(pl.col("first_seen")).alias("first_seen"),
        parse_timestamp(pl.col("last_seen")).alias("last_seen"),
        pl.col("est_posted_date").str.to_date("%Y-%m-%d", strict=False).alias("posted_date"),
    )


def _live_frame(snap: Snapshot, live: LiveFile) -> pl.DataFrame:
    rows = parse_markdown(snap.read_bytes().decode("utf-8", errors="replace"))
    fetched_day = snap.fetched_at.date()
    return _to_list_frame(rows.with_columns(
        pl.lit(live.list_name).alias("list_name"),
        (pl.lit(fetched_day) - pl.duration(days=pl.col("age_days").fill_null(0))).alias("posted_date"),
    ))


def parse(snapshots: dict[str, Snapshot]) -> ParseResult:
    unioned, drops = gather_sightings(snapshots, union_files=[f.name for f in UNION_FILES], live_files=LIVE_FILES,
                                      union_frame=_union_frame, live_frame=_live_frame, no_key="no posting link")
    return finish_postings(unioned, NAME, drops)


def _count_rows(data: bytes, _live: LiveFile) -> int:
    return parse_markdown(data.decode("utf-8", errors="replace")).height


SOURCE = joblist_source(
    live_files=LIVE_FILES,
    count_rows=_count_rows,
    name=NAME,
    description="SpeedyApply AI/ML & data-science internship and new-grad list (USA + international), "
                "every daily version since Sep 2024, plus today's files when online.",
    license=LICENSE,
    homepage=f"https://github.com/{REPO}",
    parse=parse,
    files=UNION_FILES,
    citation=f"SpeedyApply, {REPO} (GitHub), README.md, NEW_GRAD_USA.md, NEW_GRAD_INTL.md, INTERN_INTL.md.",
    notes="Student-level roles only; a posting re-listed under a new URL counts twice.",
)
