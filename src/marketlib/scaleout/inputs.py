"""The partitions of a scale-out input: files, directories and glob patterns, in a stable order."""

from __future__ import annotations

import glob
import os
from pathlib import Path

from marketlib.errors import UserError

PARTITION_SUFFIXES = (".parquet", ".csv", ".jsonl", ".ndjson")
_GLOB_CHARS = set("*?[")


def _files_under(directory: Path) -> list[Path]:
    # Hive-style layouts (year=2025/part-0.parquet) nest partitions in subdirectories; hidden and temp
    # files (.tmp-..., _SUCCESS) are not partitions.
    return sorted(p for p in directory.rglob("*")
                  if p.is_file() and p.suffix.lower() in PARTITION_SUFFIXES
                  and not any(part.startswith((".", "_")) for part in p.relative_to(directory).parts))


def list_partitions(inputs: list[str]) -> list[Path]:
    """Every partition file the inputs name, in the order given (directories and globs sorted by path)."""
    found: list[Path] = []
    for item in inputs:
        path = Path(item)
        if path.is_dir():
            files = _files_under(path)
            if not files:
                raise UserError(f"Input directory {path} holds no {', '.join(PARTITION_SUFFIXES)} files.")
        elif _GLOB_CHARS & set(item):
            files = sorted(Path(p) for p in glob.glob(item, recursive=True) if Path(p).is_file())
            if not files:
                raise UserError(f"Input pattern {item} matches no file.")
        elif path.is_file():
            files = [path]
        else:
            raise UserError(f"Cannot read {path}: no such file or directory.")
        for file in files:
            if file.suffix.lower() not in PARTITION_SUFFIXES:
                raise UserError(f"Cannot read {file}: use .parquet, .csv or .jsonl partitions.")
        found.extend(files)
    return list(dict.fromkeys(p.resolve() for p in found))


def dataset_name(inputs: list[str], partitions: list[Path]) -> str:
    """The name every partition's rows carry as `source` (when the input has none) and in `snapshot_id`:
    the input directory's name, else the common directory of the files (a single file: its stem)."""
    if len(inputs) == 1 and Path(inputs[0]).is_dir():
        return Path(inputs[0]).resolve().name or "user"
    if len(partitions) == 1:
        return partitions[0].stem or "user"
    return Path(os.path.commonpath([str(p.parent) for p in partitions])).name or "user"

