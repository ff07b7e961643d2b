"""The committed published figures (data/raw/reference): typed in by the project, one citation per row.

`fetch` checks the committed table and stores it as a snapshot (reused while its bytes are unchanged), so the
`reference` processed table carries a `snapshot_id` like every other table.
"""

from __future__ import annotations

import io

import polars as pl

from marketlib import schemas
from marketlib.config import get_settings
from marketlib.errors import UserError
from marketlib.snapshots import Snapshot, write_snapshot
from marketlib.sources import FetchStatus, ParseResult, Source

NAME = "reference"
REFERENCE_FILE = "published_figures.csv"
LICENSE = "Facts with citations, typed in by marketlib (MIT)"
REQUIRED_COLUMNS = ("figure_id", "topic", "claim", "value", "unit", "population", "source_title", "source_url",
                    "publication_date")
# The committed file's `value` is text (a number or a label such as "2-4"); `value` in the tables is numeric.
RENAMES = {"value": "published_value"}


def check_reference(frame: pl.DataFrame, where: str) -> pl.DataFrame:
    """The published figures, checked: every row has a value and a citation (title, URL, date)."""
    missing = [c for c in REQUIRED_COLUMNS if c not in frame.columns]
    if missing:
        raise UserError(f"{where} lacks column(s) {', '.join(missing)}.")
    for column in REQUIRED_COLUMNS:
        empty = frame.filter(pl.col(column).is_null() | (pl.col(column).str.strip_chars() == ""))
        if empty.height:
            raise UserError(f"{where}: figure {empty['figure_id'][0]!r} has no {column}.")
    return frame


def load_reference(path=None) -> pl.DataFrame:
    """The committed published figures as written (all text), checked."""
    path = path or get_settings().reference_dir / REFERENCE_FILE
    if not path.is_file():
        raise UserError(f"The reference table {path} is missing.")
    return check_reference(pl.read_csv(path, infer_schema=False), str(path))


def _fetch(ctx) -> list[FetchStatus]:
    path = ctx.settings.reference_dir / REFERENCE_FILE
    frame = load_reference(path)
    snap = write_snapshot(NAME, REFERENCE_FILE, from_path=path, url=None, license=LICENSE,
                          params={"committed": str(path)}, raw_dir=ctx.raw_dir)
    return [FetchStatus(NAME, REFERENCE_FILE, "ok", "committed table, nothing to download", items=frame.height,
                        snapshots=[snap.snapshot_id])]


def reference_from_snapshot(snap: Snapshot) -> pl.DataFrame:
    """One snapshot of the committed table -> the `reference` processed table."""
    frame = check_reference(pl.read_csv(io.BytesIO(snap.read_bytes()), infer_schema=False), snap.snapshot_id)
    frame = frame.rename(RENAMES).with_columns(pl.lit(NAME).alias("source"),
                                               pl.lit(snap.snapshot_id).alias("snapshot_id"))
    return schemas.conform(frame, schemas.schema("reference"))


def _parse(snapshots: dict[str, Snapshot]) -> ParseResult:
    snap = snapshots.get(REFERENCE_FILE)
    table = reference_from_snapshot(snap) if snap is not None else schemas.empty("reference")
    return ParseResult.of(NAME, {"reference": table})


SOURCE = Source(
    name=NAME,
    description="Published figures the reports check (talent reports, case-study counts, posting studies).",
    kind="reference",
    license=LICENSE,
    homepage="data/raw/reference/published_figures.csv",
    tables=("reference",),
    parse=_parse,
    fetch=_fetch,
    citation="See the source_title and source_url of each row.",
)
