"""Shared machinery of the GitHub-hosted job lists (speedyapply, jobright, zapply, simplify, ai_labs).

Each list is a file that a bot rewrites every day and that keeps only recent openings. Its history therefore
lives in two places:

- the pinned *union* files of the mirror (every daily version of the list, unioned by posting key, with
  first_seen / last_seen commit times), and
- the *live* snapshots marketlib takes itself (`fetch` downloads today's raw file at the repository's HEAD).

`parse` turns both into *sightings* (one row per key and observation with first_seen / last_seen) and
`union_sightings` folds them into one row per opening. The raw-format helpers here are pure: markdown tables
whose cells hold HTML or markdown links, cell text and link extraction, timestamp parsing.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from marketlib import schemas
from marketlib.snapshots import Snapshot, list_snapshots, write_snapshot
from marketlib.sources import ParseResult, Source, read_csv_snapshot

UTC_DT = pl.Datetime("us", "UTC")

# Columns every sightings frame carries besides the list's own attribute columns.
SIGHTING_COLUMNS: dict[str, pl.DataType] = {
    "key": pl.String(),
    "first_seen": UTC_DT,
    "last_seen": UTC_DT,
    "posted_date": pl.Date(),
    "snapshot_id": pl.String(),
    "fetched_at": UTC_DT,
}
# Extra columns a list parser returns next to schemas.RAW_POSTING_COLUMNS (conform drops them in the build).
HISTORY_COLUMNS: dict[str, pl.DataType] = {"first_seen": UTC_DT, "last_seen": UTC_DT, "list_name": pl.String()}


# ---------------------------------------------------------------------------------------------- raw formats

_SEPARATOR = re.compile(r"^\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")
_HEADING = re.compile(r"^#{1,6}\s+(.*?)\s*$")
_UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")


def _split_row(line: str) -> list[str]:
    body = line.strip()
    body = body[1:] if body.startswith("|") else body
    body = body[:-1] if body.endswith("|") and not body.endswith("\\|") else body
    return _merge_broken_cells([cell.strip().replace("\\|", "|") for cell in _UNESCAPED_PIPE.split(body)])


def _unclosed(cell: str) -> bool:
    lower = cell.lower()
    return (lower.count("<strong") > lower.count("</strong") or lower.count("<a ") > lower.count("</a>")
            or lower.count("[") > lower.count("]"))


def _merge_broken_cells(cells: list[str]) -> list[str]:
    """Re-join cells split by a raw '|' inside an HTML element or a markdown link text
    (`<strong>Hewlett Packard Enterprise | HPE</strong>`, `**[ISS | Institutional Shareholder Services](...)**`)."""
    merged: list[str] = []
    for cell in cells:
        if merged and _unclosed(merged[-1]):
            merged[-1] = f"{merged[-1]} | {cell}"
        else:
            merged.append(cell)
    return merged


def markdown_tables(text: str) -> pl.DataFrame:
    """Every row of every markdown table in `text`, cells as written (HTML and links kept).

    Columns: one per header name of the table (lower-cased), plus `section` (the nearest heading above the
    table) and `table_index`. Tables with other headers are stacked with nulls where a column is missing.
    Looping over lines is unavoidable here: markdown tables are a line format.
    """
    lines = text.splitlines()
    rows: list[dict[str, str | int | None]] = []
    section: str | None = None
    table_index = -1
    i = 0
    while i < len(lines):
        line = lines[i]
        heading = _HEADING.match(line)
        if heading:
            section = heading.group(1)
        is_header = line.lstrip().startswith("|") and i + 1 < len(lines) and _SEPARATOR.match(lines[i + 1])
        if not is_header:
            i += 1
            continue
        header = [h.strip().lower() for h in _split_row(line)]
        table_index += 1
        i += 2
        while i < len(lines) and lines[i].lstrip().startswith("|"):
            cells = _split_row(lines[i])
            row: dict[str, str | int | None] = dict(zip(header, cells + [None] * (len(header) - len(cells)),
                                                        strict=False))
            row["section"] = section
            row["table_index"] = table_index
            rows.append(row)
            i += 1
    if not rows:
        return pl.DataFrame(schema={"section": pl.String(), "table_index": pl.Int64()})
    # A column with no value in any row (no heading above the tables, a short row) is Null-typed; cells are text.
    return pl.DataFrame(rows, infer_schema_length=None).with_columns(pl.col(pl.Null).cast(pl.String()))


_ENTITIES = {"&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": '"', "&#39;": "'", "&nbsp;": " ", "&#x27;": "'"}


def cell_text(expr: pl.Expr) -> pl.Expr:
    """Visible text of a markdown/HTML cell: tags, link targets and emphasis removed, entities decoded."""
    out = (expr.str.replace_all(r"<[^>]*>", " ")
           .str.replace_all(r"!\[[^\]]*\]\([^)]*\)", " ")
           .str.replace_all(r"\[((?:[^\[\]]|\[[^\[\]]*\])*)\]\([^)]*\)", "$1")  # one level of [nested]
           .str.replace_all(r"\*\*|__", ""))
    for entity, char in _ENTITIES.items():
        out = out.str.replace_all(entity, char, literal=True)
    out = out.str.replace_all(r"\s+", " ").str.strip_chars()
    return pl.when(out == "").then(None).otherwise(out)


def cell_href(expr: pl.Expr) -> pl.Expr:
    """The first link target of a cell: an HTML href or a markdown link."""
    html = expr.str.extract(r"""href\s*=\s*["']([^"']+)["']""", 1)
    markdown = expr.str.extract(r"\]\((https?://[^)\s]+)\)", 1)
    return pl.coalesce(html, markdown).str.replace_all("&amp;", "&", literal=True)


def parse_timestamp(expr: pl.Expr) -> pl.Expr:
    """ISO-8601 text with an offset, a 'Z' or none (taken as UTC) -> UTC datetime; anything else -> null."""
    text = expr.str.strip_chars().str.replace(r"Z$", "+00:00")
    with_offset = text.str.to_datetime("%Y-%m-%dT%H:%M:%S%.f%z", time_zone="UTC", strict=False,
                                       time_unit="us")
    naive = text.str.to_datetime("%Y-%m-%dT%H:%M:%S%.f", strict=False, time_unit="us").dt.replace_time_zone("UTC")
    day = text.str.to_date("%Y-%m-%d", strict=False).cast(pl.Datetime("us")).dt.replace_time_zone("UTC")
    return pl.coalesce(with_offset, naive, day)


# ---------------------------------------------------------------------------------------------- union logic

def sightings(frame: pl.DataFrame, *, snapshot: Snapshot | None = None) -> pl.DataFrame:
    """Give a list frame the sighting columns; a raw live file is one sighting at its fetch time."""
    frame = frame.filter(pl.col("key").is_not_null())
    if snapshot is not None:
        at = snapshot.fetched_at.astimezone(dt.UTC)
        frame = frame.with_columns(
            pl.lit(at, dtype=UTC_DT).alias("first_seen"),
            pl.lit(at, dtype=UTC_DT).alias("last_seen"),
            pl.lit(snapshot.snapshot_id).alias("snapshot_id"),
            pl.lit(at, dtype=UTC_DT).alias("fetched_at"),
        )
    for name, dtype in SIGHTING_COLUMNS.items():
        frame = frame.with_columns((pl.col(name) if name in frame.columns else pl.lit(None)).cast(dtype)
                                   .alias(name))
    return frame


def union_sightings(frames: list[pl.DataFrame]) -> pl.DataFrame:
    """Fold sightings into one row per key.

    first_seen = earliest, last_seen = latest, posted_date = earliest stated; every other column (snapshot_id
    and fetched_at included) comes from the latest sighting that has a value for it, so a description seen
    once is kept even when later versions drop it.
    """
    frames = [f for f in frames if f.height]
    if not frames:
        return pl.DataFrame(schema=SIGHTING_COLUMNS)
    stacked = pl.concat(frames, how="diagonal_relaxed").sort("last_seen", nulls_last=False, maintain_order=True)
    others = [c for c in stacked.columns if c not in ("key", "first_seen", "last_seen", "posted_date")]
    return stacked.group_by("key", maintain_order=True).agg(
        pl.col("first_seen").min(),
        pl.col("last_seen").max(),
        pl.col("posted_date").min(),
        *[pl.col(c).drop_nulls().last() for c in others],
    ).sort("first_seen", "key")


def to_raw_postings(frame: pl.DataFrame, source: str) -> pl.DataFrame:
    """Conform a unioned list to schemas.RAW_POSTING_COLUMNS plus HISTORY_COLUMNS.

    posted_date is the source's own date when it states one, else the first sighting's date (an estimate).
    """
    frame = frame.with_columns(
        pl.lit(source).alias("source"),
        pl.coalesce(pl.col("posted_date"), pl.col("first_seen").dt.date()).alias("posted_date"),
    )
    if "source_posting_id" not in frame.columns:
        frame = frame.with_columns(pl.col("key").alias("source_posting_id"))
    frame = frame.rename({"first_seen": "first_seen_at", "last_seen": "last_seen_at"})
    raw = schemas.conform_raw_postings(frame)
    return pl.concat([raw, schemas.conform(frame, {"list_name": pl.String()})], how="horizontal")


def finish_postings(unioned: pl.DataFrame, source: str, drops: dict[str, int]) -> ParseResult:
    """The parser's result: raw postings + history columns, and the reasons (with rows) it skipped any.

    Openings without a title are dropped here (title is required downstream) and counted.
    """
    postings = to_raw_postings(unioned, source)
    titled = pl.col("title").str.strip_chars().fill_null("") != ""
    drops = {**drops, "no title": postings.filter(~titled).height}
    return ParseResult.of(source, {"postings": postings.filter(titled)},
                          {reason: rows for reason, rows in drops.items() if rows})


# ---------------------------------------------------------------------------------------------- snapshots

def snapshot_history(snapshot: Snapshot) -> list[Snapshot]:
    """Every valid snapshot of the same file name, oldest first (a live list's day-by-day history)."""
    raw_dir = Path(snapshot.path).parents[2]  # <raw_dir>/<source>/<YYYY-MM-DD>/<file>
    return [s for s in list_snapshots(snapshot.source, raw_dir) if s.original_name == snapshot.original_name]


def live_history(snapshots: dict[str, Snapshot], name: str) -> list[Snapshot]:
    snap = snapshots.get(name)
    return snapshot_history(snap) if snap is not None else []


def read_union_csv(snapshot: Snapshot | None) -> pl.DataFrame | None:
    """A mirror union CSV as strings (dtypes are set by each list's own column map)."""
    if snapshot is None:
        return None
    return read_csv_snapshot(snapshot).with_columns(
        pl.lit(snapshot.snapshot_id).alias("snapshot_id"),
        pl.lit(snapshot.fetched_at.astimezone(dt.UTC), dtype=UTC_DT).alias("fetched_at"),
    )


def gather_sightings(snapshots: dict[str, Snapshot], *, union_files: Iterable[str],
                     live_files: Iterable[LiveFile], union_frame: Callable[[pl.DataFrame, str], pl.DataFrame],
                     live_frame: Callable[[Snapshot, LiveFile], pl.DataFrame],
                     no_key: str) -> tuple[pl.DataFrame, dict[str, int]]:
    """A list's pinned union CSVs and every live snapshot as list frames (`union_frame(union, file name)`,
    `live_frame(snapshot, live file)`), folded into one row per key.

    Rows without a key are counted under the reason `no_key` before `sightings` drops them.
    """
    frames: list[pl.DataFrame] = []
    missing = 0

    def add(frame: pl.DataFrame, snapshot: Snapshot | None = None) -> None:
        nonlocal missing
        missing += frame.get_column("key").null_count()
        frames.append(sightings(frame, snapshot=snapshot))

    for name in union_files:
        union = read_union_csv(snapshots.get(name))
        if union is not None:
            add(union_frame(union, name))
    for live in live_files:
        for snap in live_history(snapshots, live.name):
            add(live_frame(snap, live), snap)
    return union_sightings(frames), {no_key: missing}


# ---------------------------------------------------------------------------------------------- live fetch

@dataclass(frozen=True)
class LiveFile:
    """Today's raw file of a list at the repository's HEAD; stored as snapshot `name`."""

    name: str
    url: str
    list_name: str


def fetch_joblist(ctx, source, live_files: tuple[LiveFile, ...],
                  count_rows: Callable[[bytes, LiveFile], int]) -> list:
    """Pinned history from the mirror (hash-verified), then today's raw files when the network is allowed.

    `ctx.options["live"]`: True forces the live download (an honest error when offline), False skips it,
    absent means "when the network is available". `count_rows` parses a download to count its openings; a
    download with none is stored but reported as `empty` (the list may have changed its format).
    """
    from marketlib.sources import FetchStatus, fetch_upstream_files

    statuses = fetch_upstream_files(source, ctx)
    wanted = ctx.options.get("live")
    if wanted is False:
        return statuses
    if wanted is None and ctx.settings.offline:
        newest = max((f.version for f in source.files), default="")
        for live in live_files:
            statuses.append(FetchStatus(source.name, live.name, "empty",
                                        f"offline: today's list was not downloaded; the pinned history "
                                        f"({newest}) is used"))
        return statuses
    for live in live_files:
        status = FetchStatus(source.name, live.name, "error")
        ctx.say(f"{source.name}: downloading {live.url}")
        try:
            response = ctx.session.get(live.url)
            status.requests += 1
            status.http_status = response.status_code
            data = response.content
            rows = count_rows(data, live)
            snap = write_snapshot(source.name, live.name, data=data, url=live.url, license=source.license,
                                  params={"version": "HEAD", "list": live.list_name},
                                  http_status=response.status_code, raw_dir=ctx.raw_dir)
            status.snapshots.append(snap.snapshot_id)
            status.items = rows
            status.status = "ok" if rows else "empty"
            status.message = "" if rows else "the downloaded list holds no openings (format changed?)"
        except Exception as exc:  # noqa: BLE001 - one list's failure must not stop the others
            from marketlib.http import describe_fetch_error

            status.status, status.message, status.http_status = describe_fetch_error(exc)
        statuses.append(status)
    return statuses


def joblist_source(*, live_files: tuple[LiveFile, ...], count_rows: Callable[[bytes, LiveFile], int],
                   **fields) -> Source:
    """The registry entry of a job list: a download of its pinned history, fetched by `fetch_joblist`."""

    def fetch(ctx) -> list:
        return fetch_joblist(ctx, source, live_files, count_rows)

    source = Source(kind="download", tables=("postings",), fetch=fetch, **fields)
    return source
