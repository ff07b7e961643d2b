"""Hacker News "Ask HN: Who is hiring?" posts (postings) and monthly hiring / "Who wants to be hired?" counts
(seekers), from live fetches and from pinned mirror files.

Fetch: the live threads (hn_fetch: Algolia, Firebase, HTML pages) and the pinned upstream files — the two post
archives (hn_archive: 2013-08 … 2018-04 and 2026-01 … 2026-04) and the peer's monthly counts (hn_seekers) —
each a raw snapshot. Options: live=false skips the live threads, pinned=false the pinned files; the live
fetch's options are in hn_fetch.

Parse: the newest fetch of each live thread and every archived thread post become the same comment records,
unioned by comment id (live first, then the newest archive run), -> one raw posting per role of each
top-level comment (hn_comments, hn_parse), the skipped comments counted by reason, one `seekers` row per
month (hn_seekers), and the monthly series the trends page checks against the peer: the posts held per month
(`hn_held_months`), the peer's counts and keyword shares (`hn_peer_volume`, `hn_peer_keywords`) and the
2013–2018 collector's own fields (`hn_peer_fields`).
"""

from __future__ import annotations

import datetime as dt
import json

import polars as pl

from marketlib.snapshots import Snapshot
from marketlib.sources import FetchContext, FetchStatus, ParseResult, Source, SourceOption, fetch_upstream_files
from marketlib.sources import hn_parse as hp
from marketlib.sources.hn_archive import archive_comments, peer_fields
from marketlib.sources.hn_archive import upstream_files as archive_files
from marketlib.sources.hn_comments import (
    LICENSE,
    NAME,
    comment_frame,
    comment_records_frame,
    count_comments,
    firebase_bundle_comments,
    postings_from_comments,
)
from marketlib.sources.hn_fetch import VIAS, Thread, _Fetcher, fetch_live, select_threads, threads_from_titles
from marketlib.sources.hn_seekers import (
    CONTROLARM_CITATION,
    held_months,
    peer_keyword_shares,
    peer_volume,
    seekers_table,
)
from marketlib.sources.hn_seekers import upstream_files as count_files

__all__ = ["SOURCE", "Thread", "_Fetcher", "fetch", "parse", "select_threads", "threads_from_titles"]


def _option_on(ctx: FetchContext, name: str) -> bool:
    return str(ctx.options.get(name, True)).strip().lower() not in ("false", "0", "no", "off")


def fetch(ctx: FetchContext) -> list[FetchStatus]:
    """The live threads (unless live=false), then the pinned archive and count files (unless pinned=false)."""
    statuses = fetch_live(ctx) if _option_on(ctx, "live") else []
    return statuses + (fetch_upstream_files(SOURCE, ctx) if _option_on(ctx, "pinned") else [])


def _thread_snapshots(snapshots: dict[str, Snapshot]) -> dict[str, list[Snapshot]]:
    """Per live thread id, the snapshots of its newest fetch method (a thread fetched via Algolia today and
    via HTML yesterday is read from today's Algolia snapshot only)."""
    by_thread: dict[str, list[Snapshot]] = {}
    for snap in snapshots.values():
        if snap.meta.get("hn_kind") == "thread":
            by_thread.setdefault(str(snap.meta["hn_thread_id"]), []).append(snap)
    chosen = {}
    for thread_id, snaps in by_thread.items():
        newest = max(snaps, key=lambda s: s.meta.get("fetched_at", ""))
        via = newest.meta.get("hn_via")
        chosen[thread_id] = sorted(
            (s for s in snaps if s.meta.get("hn_via") == via),
            key=lambda s: (s.meta.get("hn_page", 0), s.name),
        )
    return chosen


def comments_from_snapshots(snaps: list[Snapshot]) -> pl.DataFrame:
    """Comment records of one live thread fetch, each tagged with its snapshot and the thread month."""
    via = snaps[0].meta.get("hn_via")
    month = dt.date.fromisoformat(snaps[0].meta["hn_month_date"])
    frames = []
    for snap in snaps:
        if via == "algolia":
            records = hp.comments_from_algolia(json.loads(snap.read_bytes()))
        elif via == "firebase":
            if not snap.original_name.endswith("-kids.jsonl"):
                continue
            records = firebase_bundle_comments(snap.read_bytes())
        else:
            records = hp.comments_from_hn_html(snap.read_bytes().decode("utf-8", errors="replace"))[0]
        frames.append(comment_records_frame(records, snapshot_id=snap.snapshot_id, fetched_at=snap.fetched_at,
                                            month_date=month))
    return pl.concat(frames)


def _live_threads(snapshots: dict[str, Snapshot]) -> tuple[list[pl.DataFrame], list[dict]]:
    """(comment frames of the live hiring threads, newest fetch first; one count row per live month)."""
    live_hiring, months = [], {}
    threads = sorted(_thread_snapshots(snapshots).items(), key=lambda kv: kv[1][0].meta.get("fetched_at", ""),
                     reverse=True)
    for thread_id, snaps in threads:
        meta = snaps[0].meta
        comments = comments_from_snapshots(snaps)
        month = dt.date.fromisoformat(meta["hn_month_date"])
        row = months.setdefault(month, {"month_date": month, "thread_id": None, "seekers": None,
                                        "hiring_posts": None, "snapshot_id": None})
        if meta["hn_thread_kind"] == "hiring":
            live_hiring.append(comments)
            row["hiring_posts"] = count_comments(comments)["posts"]
            row["thread_id"] = row["thread_id"] or thread_id
            row["snapshot_id"] = row["snapshot_id"] or snaps[0].snapshot_id
        elif meta["hn_thread_kind"] == "seekers":
            row["seekers"] = count_comments(comments)["posts"]
            row["thread_id"], row["snapshot_id"] = thread_id, snaps[0].snapshot_id  # the seekers thread wins
    return live_hiring, list(months.values())


def hiring_comments(snapshots: dict[str, Snapshot], live_hiring: list[pl.DataFrame] | None = None) -> pl.DataFrame:
    """Every hiring-thread comment held, live and archived, one per comment id (with its `state`): live
    threads first (newest fetch first, so a comment keeps its latest text), then the newest archive run."""
    if live_hiring is None:
        live_hiring = _live_threads(snapshots)[0]
    return comment_frame(pl.concat([*live_hiring, archive_comments(snapshots)]))


def parse(snapshots: dict[str, Snapshot]) -> ParseResult:
    live_hiring, live_months = _live_threads(snapshots)
    comments = hiring_comments(snapshots, live_hiring)
    postings, drops = postings_from_comments(comments)
    tables = {"postings": postings, "seekers": seekers_table(live_months, snapshots),
              "hn_held_months": held_months(comments), "hn_peer_volume": peer_volume(snapshots),
              "hn_peer_keywords": peer_keyword_shares(snapshots), "hn_peer_fields": peer_fields(snapshots)}
    return ParseResult.of(NAME, tables, drops.select("reason", "rows").iter_rows())


SOURCE = Source(
    name=NAME,
    description="Hacker News monthly 'Who is hiring?' postings (live threads and two archives, 2013–2018 and "
    "2026) and monthly hiring / 'Who wants to be hired?' counts.",
    kind="scrape",
    license=LICENSE + "; archives: gaganpreet/hn-hiring-mapped (Unlicense), gantryops/hn-jobs-data (MIT); "
    "counts: controlarm/hn-hiring-analysis (no license stated; facts, cited)",
    homepage="https://news.ycombinator.com/submitted?id=whoishiring",
    tables=("postings", "seekers", "hn_held_months", "hn_peer_volume", "hn_peer_keywords", "hn_peer_fields"),
    parse=parse,
    fetch=fetch,
    files=archive_files() + count_files(),
    citation="Hacker News, 'Ask HN: Who is hiring?' threads by user whoishiring, via the Algolia HN Search API "
    "and the official Firebase API; archives gaganpreet/hn-hiring-mapped (commit 9b6b32f9c3e0) and "
    f"gantryops/hn-jobs-data (commit de8c3aee06b2); {CONTROLARM_CITATION}.",
    notes="Only top-level comments are posts; deleted, dead and flagged comments are skipped and counted. "
    "The posted date of an HN posting is its thread's month.",
    options=(SourceOption("months", "How many recent months of threads (default 3).", int),
             SourceOption("via", f"Which API to read threads from: {', '.join(VIAS)}.")),
)
