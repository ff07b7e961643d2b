"""Scaled benchmark corpora: REAL postings resampled with replacement into raw-postings frames.

The pool is every unique real posting the mirror and the recorded fixtures hold:
- Glassdoor 2020 (600 unique postings, ~3.8 KB plain text, with salary estimates), parsed by the project's own
  `sources.glassdoor` parser;
- Zapply new-grad data-science postings with a full description (~5 KB), located via the union CSVs;
- Hacker News "Who is hiring?" comments (HTML, a few dozen), parsed by `sources.hackernews`.

Rows are drawn with a fixed seed and source weights (`MIX`), so the corpus is the same on every machine.
Every row gets a unique `source_posting_id` ("<original id>~r<n>"), so the ids are distinct while company,
title and location repeat: dedup has real work. Sources are named `resampled:<source>` everywhere: these are
generated benchmark data built from real text, not observations.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import numpy as np
import polars as pl

from marketlib import schemas
from marketlib.atomic import write_parquet_atomic
from marketlib.config import get_settings
from marketlib.errors import UserError
from marketlib.snapshots import Snapshot
from marketlib.sources import glassdoor, hn_comments

CORPORA_DIR = Path(__file__).resolve().parent / "corpora"
SEED = 20_250_601
# Share of rows drawn from each source's pool. Glassdoor is the main body (plain text), Zapply adds longer
# modern texts, Hacker News adds HTML and multi-role posts; the weights are a choice, recorded in each result.
MIX = {"glassdoor": 0.5, "zapply": 0.4, "hackernews": 0.1}
RESAMPLED_PREFIX = "resampled:"
# Bump when the way corpora are built changes, so stale cached parquet files are not reused.
CORPUS_VERSION = 1

GLASSDOOR_FILE = "glassdoor_ds_jobs_2020_kenjee/glassdoor_jobs.csv"
ZAPPLY_DIR = "zapply_newgrad_datascience"
HN_DIR = "hackernews"


def _in_dirs(dirs: list[Path], relative: str) -> Path | None:
    for base in dirs:
        if (base / relative).exists():
            return base / relative
    return None


def _stand_in_snapshot(source: str, path: Path) -> Snapshot:
    """A Snapshot pointing at a mirror file, so the source parsers can be reused (they read only id/date)."""
    fetched = dt.datetime.fromtimestamp(path.stat().st_mtime, tz=dt.UTC)
    return Snapshot(
        source, fetched.date().isoformat(), path.name, path, {"fetched_at": fetched.isoformat(), "sha256": ""}
    )


def glassdoor_pool(mirror_dirs: list[Path]) -> pl.DataFrame:
    path = _in_dirs(mirror_dirs, GLASSDOOR_FILE)
    if path is None:
        return schemas.empty_raw_postings()
    table = pl.read_csv(path, infer_schema=False)
    rows = glassdoor.postings_from_frame(table, _stand_in_snapshot("glassdoor", path))
    keys = [c for c in rows.columns if c.startswith("_key_")]
    return schemas.conform_raw_postings(rows.unique(subset=keys, keep="first", maintain_order=True))


def zapply_pool(mirror_dirs: list[Path]) -> pl.DataFrame:
    folder = _in_dirs(mirror_dirs, ZAPPLY_DIR)
    if folder is None:
        return schemas.empty_raw_postings()
    texts = (
        pl.concat(
            [
                pl.read_ndjson(
                    p,
                    schema={
                        "key": pl.String,
                        "employer_name": pl.String,
                        "job_title": pl.String,
                        "description_kind": pl.String,
                        "job_description": pl.String,
                    },
                )
                for p in sorted(folder.glob("zapply_ds_descriptions_part*.jsonl"))
            ]
        )
        .filter(pl.col("description_kind") == "full")
        .unique("key", keep="first", maintain_order=True)
    )
    lists = [
        pl.read_csv(p, infer_schema=False) for p in sorted(folder.glob("zapply_ds_newgrad_postings_*.csv"))
    ]
    places = (
        (
            pl.concat(lists, how="diagonal_relaxed")
            .select(
                "key",
                pl.coalesce(
                    pl.col("job_location"),
                    pl.concat_str(
                        ["job_city", "job_state", "job_country"], separator=", ", ignore_nulls=True
                    ),
                ).alias("location_raw"),
                pl.col("job_is_remote")
                .str.to_lowercase()
                .is_in(["true", "1", "yes"])
                .alias("is_remote_hint"),
                pl.col("job_apply_link").alias("url"),
            )
            .unique("key", keep="first", maintain_order=True)
        )
        if lists
        else pl.DataFrame(schema={"key": pl.String})
    )
    snap_id = f"zapply/mirror/{ZAPPLY_DIR}"
    frame = texts.join(places, on="key", how="left").select(
        pl.lit("zapply").alias("source"),
        pl.lit(snap_id).alias("snapshot_id"),
        pl.col("key").alias("source_posting_id"),
        pl.col("job_title").alias("title"),
        pl.col("employer_name").alias("company"),
        pl.col("location_raw")
        if "location_raw" in places.columns
        else pl.lit(None, pl.String).alias("location_raw"),
        pl.col("job_description").alias("description"),
        *([pl.col("is_remote_hint"), pl.col("url")] if "url" in places.columns else []),
    )
    return schemas.conform_raw_postings(frame)


def _hn_comment_records(folder: Path) -> list[dict]:
    """Top-level HN comments of every recorded fixture, shaped as `hn_comments.comment_frame` records."""
    found: dict[str, dict] = {}

    def add(cid, text, date, author, snapshot_id):
        if text and str(cid) not in found:
            posted = dt.datetime.fromisoformat(date.replace("Z", "+00:00")) if date else None
            found[str(cid)] = {
                "comment_id": str(cid),
                "is_top_level": True,
                "text": text,
                "posted_at": posted,
                "author": author,
                "is_deleted": False,
                "is_dead": False,
                "snapshot_id": snapshot_id,
                "fetched_at": None,
                "month_date": posted.date().replace(day=1) if posted else None,  # the thread month
            }

    comments = folder / "whoishiring_comments_2025-06.json"
    if comments.is_file():
        for c in json.loads(comments.read_text("utf-8")).values():
            add(
                c["id"],
                c.get("content"),
                c.get("date"),
                c.get("commenter"),
                f"hackernews/fixture/{comments.name}",
            )
    cases = folder / "whoishiring_eval_cases_2025-06.json"
    if cases.is_file():
        for case in json.loads(cases.read_text("utf-8"))["test_cases"]:
            c = case["comment"]
            add(
                c["id"],
                c.get("content"),
                c.get("date"),
                c.get("commenter"),
                f"hackernews/fixture/{cases.name}",
            )
    algolia = folder / "algolia_items_who_is_hiring_2026-09.trimmed.json"
    if algolia.is_file():
        for child in json.loads(algolia.read_text("utf-8")).get("children", []):
            add(
                child["id"],
                child.get("text"),
                child.get("created_at"),
                child.get("author"),
                f"hackernews/fixture/{algolia.name}",
            )
    return list(found.values())


def hackernews_pool(fixtures_dirs: list[Path]) -> pl.DataFrame:
    folder = _in_dirs(fixtures_dirs, HN_DIR)
    records = _hn_comment_records(folder) if folder is not None else []
    if not records:
        return schemas.empty_raw_postings()
    postings, _drops = hn_comments.postings_from_comments(records)
    return postings


def real_pool() -> dict[str, pl.DataFrame]:
    """Unique real postings per source (raw-postings frames), read from the configured mirror and fixtures."""
    settings = get_settings()
    mirrors, fixtures = settings.existing_mirror_dirs(), settings.existing_fixtures_dirs()
    pools = {
        "glassdoor": glassdoor_pool(mirrors),
        "zapply": zapply_pool(mirrors),
        "hackernews": hackernews_pool(fixtures),
    }
    pools = {name: frame for name, frame in pools.items() if frame.height}
    if not pools:
        raise UserError(
            "No real postings found for the benchmark corpus: set MARKETLIB_MIRROR_DIRS to the mirror "
            "holding glassdoor_ds_jobs_2020_kenjee/ (and zapply_newgrad_datascience/)."
        )
    return pools


def resample(pools: dict[str, pl.DataFrame], rows: int, seed: int = SEED) -> pl.DataFrame:
    """`rows` postings drawn with replacement from the pools by the MIX weights, in a shuffled order."""
    rng = np.random.default_rng(seed)
    names = list(pools)
    weights = np.array([MIX.get(name, 0.0) for name in names], dtype=float)
    if weights.sum() == 0:
        weights = np.ones(len(names))
    # Which pool each draw comes from, then a row of that pool: one gather on the stacked pools.
    which = rng.choice(len(names), size=rows, p=weights / weights.sum())
    sizes = np.array([pools[n].height for n in names])
    offsets = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    picks = offsets[which] + (rng.random(rows) * sizes[which]).astype(np.int64)
    stacked = pl.concat(
        [
            pool.with_columns(
                pl.lit(RESAMPLED_PREFIX + name).alias("source"),
                (RESAMPLED_PREFIX + pl.col("snapshot_id")).alias("snapshot_id"),
            )
            for name, pool in pools.items()
        ]
    )
    frame = stacked[pl.Series(picks)].with_row_index("_draw")
    # A unique id per drawn row: the original id plus the draw number.
    return (
        frame.with_columns(
            pl.concat_str([pl.col("source_posting_id").fill_null("na"), pl.lit("~r"), pl.col("_draw")]).alias(
                "source_posting_id"
            ),
        )
        .drop("_draw")
        .select(list(schemas.RAW_POSTING_COLUMNS))
    )


def corpus_path(rows: int, directory: Path = CORPORA_DIR) -> Path:
    return directory / f"resampled_postings_{rows}_v{CORPUS_VERSION}_seed{SEED}.parquet"


def build_corpus(rows: int, directory: Path = CORPORA_DIR, *, refresh: bool = False) -> Path:
    """Write (or reuse) the cached corpus of `rows` resampled postings; return its parquet path."""
    path = corpus_path(rows, directory)
    if path.is_file() and not refresh:
        return path
    frame = resample(real_pool(), rows)
    write_parquet_atomic(frame, path)  # a half-written corpus is never picked up
    return path


def describe_pool(pools: dict[str, pl.DataFrame]) -> dict[str, dict]:
    """Size of each source's real pool, for the results file."""
    return {
        name: {
            "unique_postings": pool.height,
            "mean_description_bytes": round(float(pool["description"].str.len_bytes().mean() or 0), 1),
            "weight": MIX.get(name, 0.0),
        }
        for name, pool in pools.items()
    }
