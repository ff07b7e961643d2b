"""`marketlib import FILE --as NAME`: your own postings as a local source of the project.

The file (CSV, JSONL or parquet; raw or already cleaned by `marketlib clean`) is mapped to raw postings as
`marketlib clean` maps it, and stored as an immutable snapshot `data/raw/<NAME>/<date>/postings.parquet` with its
provenance (original path, column mapping, sha256). A registration file `data/raw/<NAME>/source.json` makes NAME a
source of kind "import": `marketlib build` cleans it with every other source into `postings`, so `sources: [NAME]`
works in every notebook and report. Importing again adds a newer snapshot; the newest is used.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import polars as pl

from marketlib import schemas
from marketlib.atomic import atomic_write_text
from marketlib.config import Settings, get_settings
from marketlib.errors import UserError
from marketlib.snapshots import Snapshot, check_name, write_snapshot
from marketlib.sources import FetchStatus, Source

REGISTRATION = "source.json"
SNAPSHOT_NAME = "postings.parquet"
LICENSE = "Your own postings (imported with `marketlib import`); not redistributed by marketlib."


def import_file(path: Path, name: str, mapping_items: list[str], settings: Settings | None = None) -> Snapshot:
    """Store `path` as the newest snapshot of local source `name`; returns the snapshot."""
    from marketlib.sources import builtin_sources
    from marketlib.userclean import parse_mapping, raw_postings, read_table

    settings = settings or get_settings()
    name = check_name(name, "source name")
    if name in builtin_sources():
        raise UserError(f"{name!r} is a built-in source; import your file under another name.")
    mapping = parse_mapping(mapping_items)
    try:
        raw = raw_postings(read_table(path), mapping, name)
    except UserError as exc:
        raise UserError(f"{path}: {exc}") from None
    raw = schemas.conform_raw_postings(raw.with_columns(pl.lit(name).alias("source")))
    if raw.height == 0:
        raise UserError(f"{path} has no rows to import.")
    buffer = io.BytesIO()
    raw.write_parquet(buffer)
    snap = write_snapshot(name, SNAPSHOT_NAME, data=buffer.getvalue(), url=Path(path).resolve().as_uri(),
                          license=LICENSE, params={"imported_from": str(Path(path).resolve()),
                                                   "map": mapping_items, "rows": raw.height},
                          raw_dir=settings.raw_dir)
    registration = {"name": name, "kind": "import", "tables": ["postings"], "license": LICENSE,
                    "description": f"Postings imported from {Path(path).name}", "map": mapping_items}
    atomic_write_text(settings.raw_dir / name / REGISTRATION, json.dumps(registration, indent=2))
    return snap


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


def parse_imported(snapshots: dict[str, Snapshot]) -> dict[str, pl.DataFrame]:
    """The newest imported snapshot as raw postings (already mapped when it was imported)."""
    snap = snapshots.get(SNAPSHOT_NAME)
    if snap is None:
        return {"postings": schemas.empty_raw_postings()}
    frame = pl.read_parquet(io.BytesIO(snap.read_bytes()))
    return {"postings": schemas.conform_raw_postings(
        frame.with_columns(pl.lit(snap.snapshot_id).alias("snapshot_id")))}


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
