"""A scale-out output directory: parts staged out of sight, then committed with the manifest last.

Every part is written atomically into a staging directory inside OUTDIR (`.tmp-run-<id>/`, invisible to a
`OUTDIR/*.parquet` glob). Only when all parts exist are they moved next to the manifest, which is written
last: a run that fails leaves the previous output and manifest as they were, and a reader that trusts the
manifest never sees a half-written run. OUTDIR must be on a filesystem that the workers and the client share.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import uuid
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from marketlib.atomic import TMP_PREFIX, atomic_write_text, write_parquet_atomic
from marketlib.errors import UserError

MANIFEST = "manifest.json"
MANIFEST_FORMAT = "marketlib.postings-parts/1"


def part_name(index: int) -> str:
    return f"part-{index:05d}.parquet"


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@dataclass(frozen=True)
class Staging:
    """Where one run writes: `parts` (finished parts) and `work` (cleaned rows waiting for their ids)."""

    root: Path

    @classmethod
    def create(cls, outdir: Path) -> Staging:
        try:
            outdir.mkdir(parents=True, exist_ok=True)
            root = outdir / f"{TMP_PREFIX}run-{uuid.uuid4().hex[:12]}"
            (root / "work").mkdir(parents=True)
            (root / "parts").mkdir()
        except OSError as exc:
            raise UserError(f"Cannot write {outdir}: {exc.strerror or exc}.") from None
        return cls(root)

    def work_file(self, index: int) -> Path:
        return self.root / "work" / part_name(index)

    def part_file(self, index: int) -> Path:
        return self.root / "parts" / part_name(index)

    def discard(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)


def write_part(frame: pl.DataFrame, path: Path) -> dict:
    """Write one finished part atomically; its manifest entry (file, rows, sha256, bytes, columns)."""
    write_parquet_atomic(frame, path)
    return {"file": path.name, "rows": frame.height, "sha256": sha256_of(path), "bytes": path.stat().st_size,
            "columns": [f"{name}:{dtype}" for name, dtype in frame.schema.items()]}


def commit(outdir: Path, staging: Staging, parts: list[dict], inputs: list[Path], details: dict) -> dict:
    """Move the staged parts into OUTDIR, drop parts of an earlier run, write the manifest last."""
    columns = parts[0]["columns"] if parts else []
    for part, source in zip(parts, inputs, strict=True):
        if part["columns"] != columns:
            raise UserError(f"Partition {source} has other columns than {inputs[0]}; give partitions of one "
                            "table (same columns and types).")
    manifest_path = outdir / MANIFEST
    manifest_path.unlink(missing_ok=True)  # from here until the new manifest, OUTDIR holds no complete run
    for part in parts:
        os.replace(staging.root / "parts" / part["file"], outdir / part["file"])
    wanted = {part["file"] for part in parts}
    for stale in outdir.glob("part-*.parquet"):
        if stale.name not in wanted:
            stale.unlink()
    manifest = {
        "format": MANIFEST_FORMAT,
        "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        **details,
        "rows": sum(part["rows"] for part in parts),
        "columns": columns,
        "parts": [{"file": p["file"], "rows": p["rows"], "sha256": p["sha256"], "bytes": p["bytes"],
                   "input": str(source)} for p, source in zip(parts, inputs, strict=True)],
    }
    atomic_write_text(manifest_path, json.dumps(manifest, indent=2) + "\n")
    return manifest


def read_output(outdir: Path, *, verify: bool = True) -> pl.DataFrame:
    """All parts a manifest lists, in order, as one frame; with verify, each part's sha256 is checked."""
    manifest_path = Path(outdir) / MANIFEST
    if not manifest_path.is_file():
        raise UserError(f"{outdir} has no {MANIFEST}: no complete run was written there.")
    manifest = json.loads(manifest_path.read_text("utf-8"))
    paths = [Path(outdir) / part["file"] for part in manifest["parts"]]
    if verify:
        for path, part in zip(paths, manifest["parts"], strict=True):
            if sha256_of(path) != part["sha256"]:
                raise UserError(f"{path} does not match the sha256 in {manifest_path}.")
    return pl.concat([pl.read_parquet(p) for p in paths], how="vertical") if paths else pl.DataFrame()
