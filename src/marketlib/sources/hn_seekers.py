"""Monthly HN hiring and seeker post counts: the project's own counts of live fetches, and the peer counts of
controlarm/hn-hiring-analysis (monthly hiring and "Who wants to be hired?" posts 2014-07 … 2026-06, hiring
posts 2011-04 … 2026-07, and 51 keyword shares), pinned by commit and sha256.

The `seekers` table takes a month from a live fetch when one counted both threads, else from the peer; the
`counts_from` column names which. The peer counts one posting per top-level comment with text, as a live
fetch counts `hiring_posts` and `seekers` here, so the two kinds of rows measure the same thing.
"""

from __future__ import annotations

import io

import polars as pl

from marketlib import schemas
from marketlib.clean.text import html_to_text_series
from marketlib.snapshots import Snapshot
from marketlib.sources import UpstreamFile
from marketlib.sources.hn_archive import pinned_files
from marketlib.sources.hn_comments import NAME

CONTROLARM_COMMIT = "a2573f5c743e0f0cd2c70c0e7721ac9fa2dc9dfe"
CONTROLARM_MIRROR = "hn_monthly_counts_controlarm"
CONTROLARM_PREFIX = "controlarm-"
CONTROLARM_FILES = {  # upstream data/<file> -> sha256 at CONTROLARM_COMMIT
    "hire_vs_seek.csv": "cc151553211d38d1e67a9b70d1dfb46bd0a2c77931dd67bc8bfbf0d7beef720c",
    "keyword_share.csv": "50a3b13fd13a5b0b2238a013d67e95bcff379929b28fd71cfc50b80707e5b5f0",
    "volume.csv": "b04c19c6e8bb2807cdc49ed9448d5fbf39b6ed3e1368a82b445aaf12e42b527b",
}
CONTROLARM_CITATION = "controlarm, hn-hiring-analysis (github.com/controlarm/hn-hiring-analysis), monthly counts " \
                      "from the Algolia HN API, commit a2573f5c743e"
LIVE, PEER = "live_fetch", "controlarm"
PEER_ML_PATTERN = r"machine learning\b"  # the peer's expression for its "Machine learning" share, on lower-cased text


def upstream_files() -> tuple[UpstreamFile, ...]:
    return pinned_files(
        CONTROLARM_FILES, name=CONTROLARM_PREFIX + "{}", version=CONTROLARM_COMMIT,
        url=f"https://raw.githubusercontent.com/controlarm/hn-hiring-analysis/{CONTROLARM_COMMIT}/data/{{}}",
        mirror_path=CONTROLARM_MIRROR + "/data/{}",
    )


def _peer_csv(snapshots: dict[str, Snapshot], file: str) -> tuple[pl.DataFrame, Snapshot] | None:
    snap = snapshots.get(f"{CONTROLARM_PREFIX}{file}")
    if snap is None:
        return None
    frame = pl.read_csv(io.BytesIO(snap.read_bytes()), infer_schema=False)
    month = frame.columns[0]  # "month" (the files' other headers are Korean or "0")
    return frame.with_columns(pl.col(month).str.strip_chars().str.to_date("%Y-%m", strict=False)
                              .alias("month_date")).filter(pl.col("month_date").is_not_null()), snap


def peer_counts(snapshots: dict[str, Snapshot]) -> pl.DataFrame:
    """The peer's months: month_date, hiring_posts, seekers, snapshot_id (hire_vs_seek.csv; its columns are
    month, hiring, seekers, hiring/seekers by position)."""
    found = _peer_csv(snapshots, "hire_vs_seek.csv")
    schema = {"month_date": pl.Date(), "hiring_posts": pl.Int64(), "seekers": pl.Int64(), "snapshot_id": pl.String()}
    if found is None:
        return pl.DataFrame(schema=schema)
    frame, snap = found
    hiring, seekers = frame.columns[1], frame.columns[2]
    return frame.select(
        "month_date",
        pl.col(hiring).cast(pl.Float64, strict=False).round().cast(pl.Int64).alias("hiring_posts"),
        pl.col(seekers).cast(pl.Float64, strict=False).round().cast(pl.Int64).alias("seekers"),
        pl.lit(snap.snapshot_id).alias("snapshot_id"),
    )


def peer_volume(snapshots: dict[str, Snapshot]) -> pl.DataFrame:
    """The peer's hiring posts per month 2011-04 … (volume.csv) as the `hn_peer_volume` table."""
    found = _peer_csv(snapshots, "volume.csv")
    if found is None:
        return schemas.empty("hn_peer_volume")
    frame, snap = found
    table = frame.select("month_date", pl.col(frame.columns[1]).cast(pl.Float64, strict=False).round()
                         .cast(pl.Int64).alias("peer_hiring_posts"), *_provenance(snap))
    return schemas.conform(table, schemas.schema("hn_peer_volume")).sort("month_date")


def peer_keyword_shares(snapshots: dict[str, Snapshot]) -> pl.DataFrame:
    """The peer's keyword shares, long (the `hn_peer_keywords` table): month_date, keyword, share_pct
    (percent of the month's hiring posts)."""
    found = _peer_csv(snapshots, "keyword_share.csv")
    if found is None:
        return schemas.empty("hn_peer_keywords")
    frame, snap = found
    keywords = [c for c in frame.columns[1:] if c != "month_date"]
    table = (frame.unpivot(keywords, index="month_date", variable_name="keyword", value_name="share_pct")
             .with_columns(pl.col("share_pct").cast(pl.Float64, strict=False), *_provenance(snap)))
    return schemas.conform(table, schemas.schema("hn_peer_keywords")).sort("month_date", "keyword")


def _provenance(snap: Snapshot) -> list[pl.Expr]:
    return [pl.lit(NAME).alias("source"), pl.lit(snap.snapshot_id).alias("snapshot_id")]


def held_months(comments: pl.DataFrame) -> pl.DataFrame:
    """The `hn_held_months` table: per thread month, the live top-level hiring posts the project holds (live
    and archived, one per comment id) and how many match the peer's "machine learning" expression on the
    project's own HTML-to-text conversion — what the peer's counts and share are checked against."""
    posts = comments.filter(pl.col("is_top_level") & (pl.col("state") == "live"))
    text = html_to_text_series(posts["text"].fill_null("")).str.to_lowercase()
    table = (posts.select("month_date", "snapshot_id", text.str.contains(PEER_ML_PATTERN).alias("mentions_ml"))
             .group_by("month_date").agg(pl.len().cast(pl.Int64).alias("held_posts"),
                                         pl.col("mentions_ml").sum().cast(pl.Int64).alias("held_ml_posts"),
                                         pl.col("snapshot_id").min())
             .with_columns(pl.lit(NAME).alias("source")))
    return schemas.conform(table, schemas.schema("hn_held_months")).sort("month_date")


_LIVE_SCHEMA = {"month_date": pl.Date(), "thread_id": pl.String(), "seekers": pl.Int64(),
                "hiring_posts": pl.Int64(), "snapshot_id": pl.String()}


def seekers_table(live_months: list[dict], snapshots: dict[str, Snapshot]) -> pl.DataFrame:
    """One row per month: a live fetch's counts where it counted the seekers thread, else the peer's, else the
    live fetch's partial row (a hiring thread without its seekers thread)."""
    live = pl.DataFrame(live_months, schema=_LIVE_SCHEMA).with_columns(pl.lit(LIVE).alias("counts_from"))
    peer = peer_counts(snapshots).with_columns(pl.lit(None, pl.String).alias("thread_id"),
                                               pl.lit(PEER).alias("counts_from"))
    complete = live.filter(pl.col("seekers").is_not_null())
    peer = peer.filter(~pl.col("month_date").is_in(complete["month_date"].implode()))
    partial = live.filter(pl.col("seekers").is_null() & ~pl.col("month_date").is_in(peer["month_date"].implode()))
    rows = pl.concat([complete, peer.select(complete.columns), partial]).with_columns(pl.lit(NAME).alias("source"))
    return schemas.conform(rows, schemas.schema("seekers")).sort("month_date")

