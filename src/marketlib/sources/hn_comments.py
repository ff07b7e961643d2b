"""HN comment records -> raw postings: the step every way of getting HN posts shares.

A live fetch (Algolia, Firebase, HTML pages), the two mirrored archives and `marketlib clean --format hn` all
produce the same comment records ({comment_id, is_top_level, text, posted_at, author, is_deleted, is_dead},
see hn_parse's adapters), tagged here with the thread month and the snapshot they were read from. The union of
several of them keeps one record per comment id (the first given wins), so a thread collected twice counts once.
"""

from __future__ import annotations

import json
import re

import polars as pl

from marketlib import schemas
from marketlib.sources import hn_parse as hp

NAME = "hackernews"
LICENSE = "Hacker News content © its authors; API terms at github.com/HackerNews/API"
HN_BASE = "https://news.ycombinator.com"
SKIP_REASONS = ("deleted", "dead", "flagged")
UTC_DT = pl.Datetime("us", "UTC")

COMMENT_SCHEMA = {
    "comment_id": pl.String(),
    "is_top_level": pl.Boolean(),
    "text": pl.String(),
    "posted_at": UTC_DT,
    "author": pl.String(),
    "is_deleted": pl.Boolean(),
    "is_dead": pl.Boolean(),
    "snapshot_id": pl.String(),
    "fetched_at": UTC_DT,
    "month_date": pl.Date(),  # first day of the month of the thread the comment belongs to
}


def comment_records_frame(records: list[dict], **tags) -> pl.DataFrame:
    """Comment records (hn_parse adapters) as a COMMENT_SCHEMA frame; `tags` (snapshot_id, fetched_at,
    month_date) fill the columns a record does not carry."""
    frame = pl.DataFrame(records, schema=COMMENT_SCHEMA)
    return frame.with_columns(pl.col(k).fill_null(pl.lit(v, dtype=COMMENT_SCHEMA[k])) for k, v in tags.items())


def comment_frame(comments: list[dict] | pl.DataFrame) -> pl.DataFrame:
    """Comment records -> a frame with `state`: live, deleted, dead or flagged (first of each id kept)."""
    frame = comments if isinstance(comments, pl.DataFrame) else comment_records_frame(comments)
    frame = frame.unique("comment_id", keep="first", maintain_order=True)
    marker = pl.col("text").str.strip_chars().str.to_lowercase()
    return frame.with_columns(
        pl.when(pl.col("is_deleted") | (marker == "[deleted]"))
        .then(pl.lit("deleted"))
        .when(pl.col("is_dead") | (marker == "[dead]"))
        .then(pl.lit("dead"))
        .when(marker == "[flagged]")
        .then(pl.lit("flagged"))
        .otherwise(pl.lit("live"))
        .alias("state")
    )


def count_comments(comments: list[dict] | pl.DataFrame) -> dict[str, int]:
    """Live top-level posts and skipped ones by reason (replies are not posts)."""
    frame = comment_frame(comments).filter(pl.col("is_top_level"))
    counts = dict(frame.group_by("state").len().iter_rows())
    return {"posts": counts.get("live", 0), **{r: counts.get(r, 0) for r in SKIP_REASONS}}


def json_or_none(text: str | None):
    if not text:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return None


def firebase_bundle_comments(bundle: bytes) -> list[dict]:
    kids = []
    for line in bundle.decode("utf-8").splitlines():
        if not line.strip():
            continue
        entry = json.loads(line)
        if entry.get("error"):
            continue  # a failed request is not a deleted comment; the fetch status counted it
        kids.append((entry["id"], json_or_none(entry.get("body"))))
    return hp.comments_from_firebase(kids)


_POSTING_FIELDS = (
    "title", "company", "location_raw", "is_remote_hint", "salary_min", "salary_max", "salary_currency",
    "salary_period", "salary_text", "employment_type",
)


def _role_rows(text: str, post: hp.ParsedPost) -> list[dict]:
    """One dict per advertised role of a parsed post (the header fields repeated on each)."""
    h = post.header
    places = list(h.locations)
    if h.is_remote:
        places.append("Remote" + (f" ({', '.join(h.remote_regions)})" if h.remote_regions else ""))
    # a job post that names no title ("Tableau is hiring! Openings here: <link>") is still one posting, with a
    # blank title (no role family), so its place, company and remote offer count
    roles = post.roles or ([""] if post.is_job_posting else [])
    return [_role_row(text, post, n, role, places) for n, role in enumerate(roles, start=1)]


def _role_row(text: str, post: hp.ParsedPost, n: int, role: str, places: list[str]) -> dict:
    h = post.header
    line = post.role_lines.get(role)
    # a role whose own line offers remote is remote even when the header names no mode
    remote = bool(line and line.remote) and not h.is_remote
    salary = h.salary or (line.salary if line else None)  # the header's range, else the role line's
    return {
        "text": text,
        "role_number": n if len(post.roles) > 1 else None,
        "title": role,
        "company": h.company,
        "location_raw": " | ".join([*places, "Remote"] if remote else places) or None,
        "is_remote_hint": True if remote else h.is_remote,
        "salary_min": salary.minimum if salary else None,
        "salary_max": salary.maximum if salary else None,
        "salary_currency": salary.currency if salary else None,
        "salary_period": salary.period if salary else None,
        "salary_text": h.salary_text if h.salary or not salary else salary.text,
        "employment_type": h.employment_type or ("internship" if re.search(r"\bintern", role, re.I) else None),
    }


_ROLE_SCHEMA = {"text": pl.String(), "role_number": pl.Int64(),
                **{f: schemas.RAW_POSTING_COLUMNS[f] for f in _POSTING_FIELDS}}


def postings_from_comments(comments: list[dict] | pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Top-level comments -> (raw postings, one per role, or one with a blank title for a job post that names
    none; skipped comments as (reason, rows)).

    The posted date is the thread's month (the archives have no time per comment, and a late reply to a
    thread still belongs to its month)."""
    frame = comment_frame(comments).filter(pl.col("is_top_level"))
    live = frame.filter(pl.col("state") == "live").with_columns(pl.col("text").fill_null(""))
    # Header parsing is per-post Python (see hn_parse's module docstring for why), once per distinct text (a
    # post repeated across runs or months is parsed once); the rest is columnar.
    parsed = {text: hp.parse_post("", text) for text in live.get_column("text").unique().to_list()}
    roles = pl.DataFrame([row for text, post in parsed.items() for row in _role_rows(text, post)],
                         schema=_ROLE_SCHEMA)
    postings = live.join(roles, on="text", how="inner", maintain_order="left").select(
        pl.lit(NAME).alias("source"),
        "snapshot_id",
        pl.concat_str("comment_id", pl.lit("#") + pl.col("role_number").cast(pl.String), ignore_nulls=True)
        .alias("source_posting_id"),
        *_POSTING_FIELDS,
        pl.col("text").alias("description"),
        pl.col("month_date").alias("posted_date"),
        "fetched_at",
        (pl.lit(f"{HN_BASE}/item?id=") + pl.col("comment_id")).alias("url"),
    )
    # a job post without a title became a posting above: it is not a drop
    skipped = pl.DataFrame({"text": list(parsed), "reason": [None if p.is_job_posting else p.skip_reason
                                                             for p in parsed.values()]},
                           schema={"text": pl.String(), "reason": pl.String()})
    reasons = pl.concat([
        live.join(skipped, on="text", how="inner").select("reason").drop_nulls(),
        frame.filter(pl.col("state") != "live").select(pl.col("state").alias("reason")),
    ])
    drops = (
        reasons.group_by("reason")
        .len(name="rows")
        .with_columns(pl.col("rows").cast(pl.Int64))
        .sort("reason")
    )
    return schemas.conform_raw_postings(postings), drops

