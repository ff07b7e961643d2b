"""Local sources added with `marketlib import`: found by their `data/raw/<NAME>/source.json`, parsed like any other.

The registry (sources/__init__) lists them beside the built-in sources; `marketlib.imports` writes them.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import polars as pl

from marketlib import schemas
from marketlib.snapshots import Snapshot
from marketlib.sources import FetchStatus, ParseResult, Source

REGISTRATION = "source.json"
SNAPSHOT_NAME = "postings.parquet"
LICENSE = "Your own postings (imported with `marketlib import`); not redistributed by marketlib."


def registered_names(raw_dir: Path) -> list[str]:
    """Local sources registered in a raw directory (folders holding a valid source.json)."""
    if not raw_dir.is_dir():
        return []
    names = []
    for path in sorted(raw_dir.glob(f"*/{REGISTRATION}")):
        try:
            entry = json.loads(path.read_text("utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(entry, dict) and entry.get("name") == path.parent.name and entry.get("kind") == "import":
            names.append(path.parent.name)
    return names


def parse_imported(snapshots: dict[str, Snapshot]) -> ParseResult:
    """The newest imported snapshot as raw postings (already mapped when it was imported)."""
    snap = snapshots.get(SNAPSHOT_NAME)
    if snap is None:
        return ParseResult({"postings": schemas.empty_raw_postings()})
    frame = pl.read_parquet(io.BytesIO(snap.read_bytes()))
    return ParseResult({"postings": schemas.conform_raw_postings(
        frame.with_columns(pl.lit(snap.snapshot_id).alias("snapshot_id")))})


def imported_source(name: str, raw_dir: Path) -> Source:
    """The registry entry of a local source: nothing to fetch (import again to refresh), parsed like any other."""
    try:
        entry = json.loads((raw_dir / name / REGISTRATION).read_text("utf-8"))
    except (OSError, ValueError):
        entry = {}

    def fetch(_ctx) -> list[FetchStatus]:
        return [FetchStatus(name, "import", "ok", message="local source: run `marketlib import` again to refresh")]

    return Source(name=name, description=str(entry.get("description", "Imported postings")), kind="import",
                  license=LICENSE, homepage="", tables=("postings",), parse=parse_imported, fetch=fetch,
                  in_fetch_all=False, notes="added with `marketlib import`")
