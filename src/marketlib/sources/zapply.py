"""Zapply "New Grad Data Science Jobs 2026" feed: JSON job files written by a GitHub Action (CC BY-NC-SA 4.0).

Two schemas: v1 (Aug 2025 - Jan 2026: `id`, city/state, relative "Posted 11 Days Ago", often a placeholder
description) and v2 (Feb - May 2026: `job_id`, location, remote flag, UTC posting time, salary, tags).
History: the mirror's union of every version of `new_jobs.json` / `current_jobs.json`, and the full or excerpt
descriptions of 3,213 jobs in `zapply_ds_descriptions_part*.jsonl` (joined by key). The upstream repository
removed its data files on 2026-06-17, so a live download may find nothing; it says so.
"""

from __future__ import annotations

import json

import polars as pl

from marketlib.clean.values import employment_type, parse_bool, salary_period
from marketlib.errors import UserError
from marketlib.snapshots import Snapshot
from marketlib.sources import ParseResult, UpstreamFile
from marketlib.sources._joblists import LiveFile, finish_postings, gather_sightings, joblist_source, parse_timestamp

NAME = "zapply"
REPO = "zapplyjobs/New-Grad-Data-Science-Jobs-2026"
HEAD_COMMIT = "d7b08da238418ecfbbce26a6249adfccbdb1e434"
LICENSE = "CC BY-NC-SA 4.0 (Copyright (c) 2025 Zapply): attribution, non-commercial, share-alike"
MIRROR = "zapply_newgrad_datascience"
_VERSION = f"union of every version to {HEAD_COMMIT[:12]} (2026-07-02)"

UNION_FILES = tuple(
    UpstreamFile(name, f"https://github.com/{REPO}", _VERSION, sha, f"{MIRROR}/{name}")
    for name, sha in (
        ("zapply_ds_newgrad_postings_v1_2025-08_2026-01.csv",
         "8c09fbce0c7781b9172deaa20c845dac6246510ccd4cebfe0a6ff1a2101ed094"),
        ("zapply_ds_newgrad_postings_v2_2026-02_2026-05.csv",
         "a19b475460e6d1a248316f6700cb0762b9bfe5776ef9182cd8e9eb29a972a5de"),
    )
)
DESCRIPTION_FILES = tuple(
    UpstreamFile(name, f"https://github.com/{REPO}", _VERSION, sha, f"{MIRROR}/{name}")
    for name, sha in (
        ("zapply_ds_descriptions_part1.jsonl", "f41a4d365ea74450191c078fbdab69e04bc322051a47c30a8d1b411cfaa5c0bc"),
        ("zapply_ds_descriptions_part2.jsonl", "06a54f53bd1d6e0be2601fc567418b222f02f0216151c51a5b2b2f23cb114ad5"),
        ("zapply_ds_descriptions_part3.jsonl", "423a41643c4c29b6858022ce81c4f4dd94b2b4d60cb63af931b978123726fd71"),
    )
)
LIVE_FILES = tuple(
    LiveFile(f"live_{name}", f"https://raw.githubusercontent.com/{REPO}/HEAD/.github/data/{name}", "ds_newgrad")
    for name in ("new_jobs.json", "current_jobs.json")
)
PLACEHOLDER = r"(?i)^\s*data science job for the role\b"
_TEXT_FIELDS = ("employer_name", "job_title", "job_city", "job_state", "job_country", "job_location",
                "job_posted_at_datetime_utc", "job_employment_type", "job_apply_link", "job_description",
                "_original_source")


def _text(value) -> str | None:
    return None if value is None or value == "" else str(value)


def parse_json(data: bytes) -> pl.DataFrame:
    """A raw `new_jobs.json` / `current_jobs.json` (either schema) -> one row per job with the union-CSV
    column names plus job_description and salary_min/max/currency/interval."""
    try:
        jobs = json.loads(data)
    except ValueError as exc:
        raise UserError(f"The Zapply file is not valid JSON ({exc}).") from exc
    if not isinstance(jobs, list):
        raise UserError("The Zapply file is not a JSON array of jobs.")
    rows = []
    # One loop over the JSON objects: flattening nested dicts of two schemas is plain Python work.
    for job in jobs:
        if not isinstance(job, dict):
            continue
        salary = job.get("salary") if isinstance(job.get("salary"), dict) else {}
        row = {field: _text(job.get(field)) for field in _TEXT_FIELDS}
        row.update(
            key=_text(job.get("job_id") or job.get("id")),
            job_posted_at_raw=_text(job.get("job_posted_at")),
            job_is_remote=_text(job.get("job_is_remote")),
            salary_min=salary.get("min"), salary_max=salary.get("max"),
            salary_currency=_text(salary.get("currency")), salary_interval=_text(salary.get("interval")),
        )
        rows.append(row)
    schema = {c: pl.String() for c in (*_TEXT_FIELDS, "key", "job_posted_at_raw", "job_is_remote",
                                       "salary_currency", "salary_interval")}
    schema |= {"salary_min": pl.Float64(), "salary_max": pl.Float64()}
    return pl.DataFrame(rows, schema=schema)


def relative_posted_date(text: pl.Expr, seen: pl.Expr) -> pl.Expr:
    """'Posted 11 Days Ago', '3 days ago', '1d', 'Today', '5h', 'Yesterday' + when seen -> a date.

    '30+ Days Ago' and 'Recently' give null (the caller falls back to first_seen, an estimate).
    """
    lower = text.str.to_lowercase()
    days = lower.str.extract(r"^(?:posted\s+)?(\d+)\s*(?:d\b|days?\s+ago)", 1).cast(pl.Int64, strict=False)
    day_zero = lower.str.contains(r"today|^\d+\s*h\b|hours?\s+ago|just")
    offset = (pl.when(lower.str.contains(r"\d+\+")).then(None)
              .when(days.is_not_null()).then(days)
              .when(day_zero).then(0)
              .when(lower.str.contains("yesterday")).then(1)
              .otherwise(None))
    return seen.dt.date() - pl.duration(days=offset)


def _salary_columns(frame: pl.DataFrame) -> pl.DataFrame:
    """Union CSV: the salary JSON text -> numbers; raw files already carry them."""
    if "salary_min" in frame.columns:
        return frame
    salary = pl.col("salary")
    return frame.with_columns(
        salary.str.json_path_match("$.min").cast(pl.Float64, strict=False).alias("salary_min"),
        salary.str.json_path_match("$.max").cast(pl.Float64, strict=False).alias("salary_max"),
        salary.str.json_path_match("$.currency").alias("salary_currency"),
        salary.str.json_path_match("$.interval").alias("salary_interval"),
    )


def _to_list_frame(frame: pl.DataFrame) -> pl.DataFrame:
    """Either source's columns (with first_seen set) -> the list frame."""
    frame = _salary_columns(frame)
    place = pl.concat_str([pl.col("job_city"), pl.col("job_state"), pl.col("job_country")], separator=", ",
                          ignore_nulls=True)
    stated = parse_timestamp(pl.col("job_posted_at_datetime_utc")).dt.date()
    return frame.with_columns(
        pl.col("key").alias("source_posting_id"),
        pl.col("employer_name").alias("company"),
        pl.col("job_title").alias("title"),
        pl.coalesce(pl.col("job_location"), pl.when(place != "").then(place)).alias("location_raw"),
        # The list's remote flag is set on many on-site jobs (7 of the 16 flagged golden dev postings that name a
        # city are on-site): it counts only where the place names no city; the text still says remote itself.
        pl.when(pl.col("job_city").fill_null("") == "").then(parse_bool(pl.col("job_is_remote")))
        .alias("is_remote_hint"),
        employment_type(pl.col("job_employment_type")).alias("employment_type"),
        pl.coalesce(stated, relative_posted_date(pl.col("job_posted_at_raw"), pl.col("first_seen")))
        .alias("posted_date"),
        salary_period(pl.col("salary_interval")).alias("salary_period"),
        pl.col("job_apply_link").alias("url"),
        pl.lit("ds_newgrad").alias("list_name"),
    )


def _descriptions(snapshots: dict[str, Snapshot]) -> pl.DataFrame:
    parts = [pl.read_ndjson(snapshots[f.name].read_bytes(), schema={"key": pl.String(),
                                                                    "job_description": pl.String()})
             for f in DESCRIPTION_FILES if f.name in snapshots]
    if not parts:
        return pl.DataFrame(schema={"key": pl.String(), "description": pl.String()})
    return (pl.concat(parts).filter(pl.col("job_description").str.strip_chars() != "")
            .unique("key", keep="last").rename({"job_description": "description"}))


def _union_frame(union: pl.DataFrame, _file_name: str) -> pl.DataFrame:
    return _to_list_frame(union.with_columns(
        parse_timestamp(pl.col("first_seen")).alias("first_seen"),
        parse_timestamp(pl.col("last_seen")).alias("last_seen")))


def _live_frame(snap: Snapshot, _live: LiveFile) -> pl.DataFrame:
    rows = parse_json(snap.read_bytes())
    placeholder = pl.col("job_description").str.contains(PLACEHOLDER).fill_null(False)
    return _to_list_frame(rows.with_columns(
        placeholder.alias("placeholder_description"),
        pl.when(placeholder).then(None).otherwise(pl.col("job_description")).alias("description"),
        pl.lit(snap.fetched_at, dtype=pl.Datetime("us", "UTC")).alias("first_seen")))


def parse(snapshots: dict[str, Snapshot]) -> ParseResult:
    unioned, drops = gather_sightings(snapshots, union_files=[f.name for f in UNION_FILES], live_files=LIVE_FILES,
                                      union_frame=_union_frame, live_frame=_live_frame, no_key="no job id")
    if "placeholder_description" in unioned.columns:  # counted per opening, as in its latest live sighting
        drops["placeholder description dropped (row kept)"] = int(
            unioned.get_column("placeholder_description").fill_null(False).sum())
    texts = _descriptions(snapshots)
    if "description" not in unioned.columns:
        unioned = unioned.with_columns(pl.lit(None, dtype=pl.String()).alias("description"))
    unioned = unioned.join(texts, on="key", how="left", suffix="_jsonl").with_columns(
        pl.coalesce(pl.col("description"), pl.col("description_jsonl")).alias("description")
    ).drop("description_jsonl")
    return finish_postings(unioned, NAME, drops)


def _count_rows(data: bytes, _live: LiveFile) -> int:
    return parse_json(data).get_column("key").drop_nulls().len()


SOURCE = joblist_source(
    live_files=LIVE_FILES,
    count_rows=_count_rows,
    name=NAME,
    description="Zapply new-grad data-science feed (US), every version Aug 2025 - May 2026, with full or "
                "excerpt descriptions for 3,213 jobs.",
    license=LICENSE,
    homepage=f"https://github.com/{REPO}",
    parse=parse,
    files=UNION_FILES + DESCRIPTION_FILES,
    citation=f"Zapply, {REPO} (GitHub), .github/data/new_jobs.json and current_jobs.json, CC BY-NC-SA 4.0.",
    notes="Despite the 'new grad' name the feed holds mid and senior roles too; the data files were removed "
          "upstream on 2026-06-17.",
)
