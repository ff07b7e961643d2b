"""Hacker News items from a user's file -> raw postings, for `marketlib clean FILE --format hn`.

Accepted shapes: JSONL or a JSON array of HN items ({id, text, by?, time? unix seconds}: the HN API's and the
2026 archive's `jobs`), one item object, an Algolia `items/<id>` thread (its top-level children), or a
gantryops `raw.json` run (its "who_is_hiring" jobs). Every item is a top-level post; one raw posting per
advertised role, `source_posting_id` = comment id plus `#n` when a post advertises several roles, and the
posted date is the thread month (from the thread title when the file has one, else the month of `time`).
A malformed JSONL line or an item without id is reported by its line (or position) and skipped.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import polars as pl

from marketlib.errors import UserError
from marketlib.sources import hn_parse as hp
from marketlib.sources.hn_comments import comment_records_frame, postings_from_comments

Warn = Callable[[str], None]


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


def _jsonl_items(text: str, warn: Warn) -> list[tuple[str, object]]:
    items = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            items.append((f"line {number}", json.loads(line)))
        except ValueError as exc:
            warn(f"line {number} is not valid JSON ({_first_line(exc)}); it was skipped.")
    return items


def _container_items(obj) -> tuple[list[tuple[str, object]], str]:
    """(items with where they were, the thread title or "") of a parsed JSON document."""
    if isinstance(obj, list):
        return [(f"item {n}", item) for n, item in enumerate(obj, start=1)], ""
    if isinstance(obj, dict) and isinstance(obj.get("jobs"), list):  # a gantryops raw.json run
        title = str((obj.get("sources") or {}).get("who_is_hiring_thread_title") or "")
        jobs = [j for j in obj["jobs"] if not isinstance(j, dict) or j.get("source", "who_is_hiring") ==
                "who_is_hiring"]
        return [(f"job {n}", job) for n, job in enumerate(jobs, start=1)], title
    if isinstance(obj, dict) and isinstance(obj.get("children"), list):  # an Algolia items/<id> thread
        return [("thread", obj)], str(obj.get("title") or "")
    return [("item 1", obj)], ""


def _records(items: list[tuple[str, object]], warn: Warn) -> list[dict]:
    records = []
    for where, item in items:
        if isinstance(item, dict) and isinstance(item.get("children"), list):
            records += hp.comments_from_algolia(item)
        elif isinstance(item, dict) and item.get("id") not in (None, ""):
            records += hp.comments_from_firebase([(item["id"], item)])
        else:
            warn(f"{where} is not an HN item with an id; it was skipped.")
    return records


def read_hn_items(path: Path, warn: Warn) -> pl.DataFrame:
    """Raw postings (schemas.RAW_POSTING_COLUMNS) of the HN items in `path`."""
    path = Path(path)
    try:
        text = path.read_bytes().decode("utf-8", errors="replace")
    except OSError as exc:
        raise UserError(f"Cannot read {path}: {exc.strerror or exc}.") from None
    title = ""
    if path.suffix.lower() in {".jsonl", ".ndjson"}:
        items = _jsonl_items(text, warn)
    else:
        try:
            items, title = _container_items(json.loads(text))
        except ValueError as exc:
            if len(text.strip().splitlines()) < 2:
                raise UserError(f"Cannot read {path}: not JSON ({_first_line(exc)}).") from None
            items = _jsonl_items(text, warn)  # a .json file of JSON lines
    records = _records(items, warn)
    if not records:
        raise UserError(f"{path} holds no Hacker News items (objects with an id and a text).")
    kind_month = hp.thread_kind_and_month(title)
    comments = comment_records_frame(records)
    month = pl.lit(kind_month[1]) if kind_month else pl.col("posted_at").dt.truncate("1mo").dt.date()
    comments = comments.with_columns(month.cast(pl.Date).alias("month_date"),
                                     pl.lit(f"user/{path.name}").alias("snapshot_id"))
    postings, drops = postings_from_comments(comments)
    if drops.height:
        reasons = ", ".join(f"{rows} {reason}" for reason, rows in drops.iter_rows())
        warn(f"{int(drops['rows'].sum())} post(s) gave no posting ({reasons}).")
    return postings
