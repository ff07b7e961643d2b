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
from marketlib.sources._imported import LICENSE, REGISTRATION, SNAPSHOT_NAME


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
