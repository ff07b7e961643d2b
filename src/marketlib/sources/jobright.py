"""Jobright.ai "Data Analysis New Grad" list: daily data-analyst / data-scientist openings (GitHub README).

One markdown table `Company | Job Title | Location | Work Model | Date Posted`; "↳" repeats the company of the
row above; the title links to `jobright.ai/jobs/info/<24-hex id>`. The README keeps only the last 7 days, so
the history is the mirror's union of its ~8,800 versions (Aug 2024 - Aug 2026, keyed by the Jobright id).
"""

from __future__ import annotations

import polars as pl

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

NAME = "jobright"
REPO = "jobright-ai/2026-Data-Analysis-New-Grad"
HEAD_COMMIT = "ab530637d5d283680cb07b785a16bd85d59a5c7e"
LICENSE = "None stated (no LICENSE file): Jobright.ai's curated list, cite it, do not re-host; counts published"
MIRROR = "jobright_data_analysis_newgrad"
JOB_URL = "https://jobright.ai/jobs/info/"

UNION_FILES = tuple(
    UpstreamFile(name, f"https://github.com/{REPO}", f"union of every README version to {HEAD_COMMIT[:12]} "
                 "(2026-08-22)", sha, f"{MIRROR}/{name}")
    for name, sha in (
        ("jobright_da_newgrad_2024-08_2025-03.csv", "c2e630de4ec5b25bc54fe817815cf256b2c216c9d11c056ef0e897551f29f455"),
        ("jobright_da_newgrad_2025-04_2025-10.csv", "61ef8c22e86c5d6b5f042023168e1ae3febfb1df9b641b93872bbcc93fa51ecd"),
        ("jobright_da_newgrad_2025-11_2026-08.csv", "20f032d773ec44e0ebf8f2050cddb74b1d5f707ecc56d3ec826dc58d21ac5780"),
    )
)
LIVE_FILES = (LiveFile("live_README.md", f"https://raw.githubusercontent.com/{REPO}/HEAD/README.md", "da_newgrad"),)
_EMPTY = {"jobright_id": pl.String(), "company": pl.String(), "title": pl.String(), "location": pl.String(),
          "work_model": pl.String(), "date_posted_md": pl.String()}


def parse_readme(text: str) -> pl.DataFrame:
    """The README table -> jobright_id, company ("↳" filled from above), title, location, work_model,
    date_posted_md (e.g. "Aug 25", no year)."""
    cells = markdown_tables(text)
    if "job title" not in cells.columns:
        return pl.DataFrame(schema=_EMPTY)
    company = cell_text(pl.col("company"))
    return cells.select(
        cell_href(pl.col("job title")).str.extract(r"/jobs/info/([0-9a-fA-F]{24})", 1).alias("jobright_id"),
        pl.when(company.str.contains(r"^↳")).then(None).otherwise(company).forward_fill().alias("company"),
        cell_text(pl.col("job title")).alias("title"),
        cell_text(pl.col("location")).alias("location"),
        cell_text(pl.col("work model")).alias("work_model"),
        cell_text(pl.col("date posted")).alias("date_posted_md"),
    )


def month_day_date(month_day: pl.Expr, seen: pl.Expr) -> pl.Expr:
    """'Jul 02' + the date it was seen -> the latest such date not after the sighting (+1 day for time zones)."""
    seen_date = seen.dt.date()
    same_year = (month_day + pl.lit(" ") + seen_date.dt.year().cast(pl.String)).str.to_date("%b %d %Y",
                                                                                              strict=False)
    year_before = (month_day + pl.lit(" ") + (seen_date.dt.year() - 1).cast(pl.String)).str.to_date(
        "%b %d %Y", strict=False)
    return pl.when(same_year > seen_date + pl.duration(days=1)).then(year_before).otherwise(same_year)


def _repair_union(union: pl.DataFrame) -> pl.DataFrame:
    """Rows the union's own parser left unparsed (a title with [nested] brackets kept as a raw markdown link):
    take the id from the link and the title from its text."""
    broken = pl.col("jobright_id").is_null()
    return union.with_columns(
        pl.when(broken).then(pl.col("title").str.extract(r"/jobs/info/([0-9a-fA-F]{24})", 1))
        .otherwise(pl.col("jobright_id")).alias("jobright_id"),
        pl.when(broken).then(cell_text(pl.col("title"))).otherwise(pl.col("title")).alias("title"),
    )


def _to_list_frame(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.with_columns(
        pl.col("jobright_id").alias("key"),
        pl.col("jobright_id").alias("source_posting_id"),
        (pl.lit(JOB_URL) + pl.col("jobright_id")).alias("url"),
        pl.col("location").alias("location_raw"),
        pl.when(pl.col("work_model").is_null()).then(None)
        .otherwise(pl.col("work_model").str.to_lowercase() == "remote").alias("is_remote_hint"),
        month_day_date(pl.col("date_posted_md"), pl.col("first_seen")).alias("posted_date"),
        pl.lit("da_newgrad").alias("list_name"),
    )


def _union_frame(union: pl.DataFrame, _file_name: str) -> pl.DataFrame:
    return _to_list_frame(_repair_union(union).with_columns(
        parse_timestamp(pl.col("first_seen")).alias("first_seen"),
        parse_timestamp(pl.col("last_seen")).alias("last_seen")))


def _live_frame(snap: Snapshot, _live: LiveFile) -> pl.DataFrame:
    rows = parse_readme(snap.read_bytes().decode("utf-8", errors="replace"))
    # first_seen dates the "Aug 25" posting day; sightings() then stamps the fetch time
    at = pl.lit(snap.fetched_at, dtype=pl.Datetime("us", "UTC"))
    return _to_list_frame(rows.with_columns(at.alias("first_seen")))


def parse(snapshots: dict[str, Snapshot]) -> ParseResult:
    unioned, drops = gather_sightings(snapshots, union_files=[f.name for f in UNION_FILES], live_files=LIVE_FILES,
                                      union_frame=_union_frame, live_frame=_live_frame,
                                      no_key="no Jobright id in the title link")
    return finish_postings(unioned, NAME, drops)


def _count_rows(data: bytes, _live: LiveFile) -> int:
    return parse_readme(data.decode("utf-8", errors="replace")).get_column("jobright_id").drop_nulls().len()


SOURCE = joblist_source(
    live_files=LIVE_FILES,
    count_rows=_count_rows,
    name=NAME,
    description="Jobright.ai new-grad data analysis / data science openings (US), every README version since "
                "Aug 2024, plus today's README when online.",
    license=LICENSE,
    homepage=f"https://github.com/{REPO}",
    parse=parse,
    files=UNION_FILES,
    citation=f"Jobright.ai, {REPO} (GitHub), README.md.",
    notes="A data-analysis feed (0.8% ML-titled); multi-city postings are one row per city.",
)
