"""The one atomic writer: an exclusive temp file in the target directory, fsync, `os.replace`, fsync of the directory.

A crash at any point leaves either the old file or the new one, never a partial file under the final name.
The temp file is created with O_CREAT|O_EXCL|O_NOFOLLOW under a random name, so a planted file or symlink is
never written through; published files get mode 0644 minus the umask (mkstemp's 0600 would hide reports from a
web server running as another user). Temp files carry the `.tmp-` prefix so a later run holding the data lock
(`marketlib.lock`) can sweep the leftovers of a killed one. Every write error becomes one `WriteError`
sentence that names the file.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from marketlib.errors import MarketlibError

TMP_PREFIX = ".tmp-"
FILE_MODE = 0o644
# Read once at import (single-threaded): os.umask can only be read by setting it, which races with threads.
_UMASK = os.umask(0o022)
os.umask(_UMASK)
_CREATE_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)


class WriteError(MarketlibError):
    """A file could not be written (disk full, no permission, not a directory ...)."""


def _reason(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    text = str(exc).strip()
    return text.splitlines()[0].rstrip(".") if text else type(exc).__name__


def write_error(path: Path, exc: BaseException) -> WriteError:
    return WriteError(f"Cannot write {path}: {_reason(exc)}.")


def is_write_failure(exc: BaseException) -> bool:
    """OS errors, and the errors polars raises when the file under it fails (it wraps ENOSPC/EFBIG)."""
    if isinstance(exc, OSError):
        return True
    try:
        import polars as pl
    except ImportError:  # pragma: no cover - polars is a core dependency
        return False
    return isinstance(exc, pl.exceptions.PolarsError)


def _create_temp(directory: Path, name: str) -> tuple[int, Path]:
    for _ in range(100):
        tmp = directory / f"{TMP_PREFIX}{name}.{secrets.token_hex(8)}"
        try:
            return os.open(tmp, _CREATE_FLAGS, FILE_MODE), tmp
        except FileExistsError:  # a leftover or a planted name: never reuse it
            continue
    raise FileExistsError(f"no free temp name for {name} in {directory}")


def _fsync_directory(directory: Path) -> None:
    with contextlib.suppress(OSError):  # some filesystems cannot fsync a directory; the rename still happened
        fd = os.open(directory, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


@contextlib.contextmanager
def atomic_open(path: Path) -> Iterator[BinaryIO]:
    """A binary temp file that replaces `path` only if the block finishes without error.

    Write errors (from the block too, e.g. polars writing parquet into the handle) raise `WriteError`;
    any other exception passes through unchanged. The temp file never outlives a failure.
    """
    path = Path(path)
    tmp: Path | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = _create_temp(path.parent, path.name)
        with os.fdopen(fd, "wb") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
        tmp = None
        _fsync_directory(path.parent)
    except Exception as exc:
        if is_write_failure(exc) and not isinstance(exc, WriteError):
            raise write_error(path, exc) from exc
        raise
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                tmp.unlink()


def publish_file(tmp: Path, path: Path) -> None:
    """Publish a finished temp file another program wrote (papermill's notebook) like `atomic_open` does."""
    try:
        os.chmod(tmp, FILE_MODE & ~_UMASK)
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        raise write_error(path, exc) from exc
    _fsync_directory(Path(path).parent)


def atomic_write_bytes(path: Path, data: bytes) -> None:
    with atomic_open(path) as fh:
        fh.write(data)


def atomic_write_text(path: Path, text: str) -> None:
    atomic_write_bytes(path, text.encode("utf-8"))


def atomic_copy(src: Path, dst: Path) -> None:
    with open(src, "rb") as fin, atomic_open(dst) as fout:
        shutil.copyfileobj(fin, fout, length=1024 * 1024)


def write_frame_atomic(frame, path: Path) -> None:
    """Write a polars frame as parquet, CSV (list columns joined with ';') or JSON lines, chosen by suffix."""
    import polars as pl

    suffix = Path(path).suffix.lower()
    with atomic_open(path) as fh:
        if suffix == ".parquet":
            frame.write_parquet(fh)
        elif suffix == ".csv":
            lists = [c for c, t in frame.schema.items() if isinstance(t, pl.List)]
            frame.with_columns(pl.col(c).list.join(";") for c in lists).write_csv(fh)
        elif suffix in {".jsonl", ".ndjson"}:
            frame.write_ndjson(fh)
        else:
            raise ValueError(f"no writer for {suffix!r} files")


def write_parquet_atomic(frame, path: Path) -> None:
    """Write a polars frame to parquet atomically."""
    with atomic_open(path) as fh:
        frame.write_parquet(fh)


def sweep_temp_files(directory: Path) -> int:
    """Remove temp files left by a killed writer under `directory`; returns how many were removed.

    Call it only while holding the data lock: a running writer's temp file looks the same as a leftover.
    """
    removed = 0
    if not Path(directory).is_dir():
        return 0
    for tmp in Path(directory).rglob(TMP_PREFIX + "*"):
        if tmp.is_file() or tmp.is_symlink():
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()
                removed += 1
    return removed
