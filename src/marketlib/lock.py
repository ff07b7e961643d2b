"""One lock per data directory, held by every command that writes into it (fetch, build, report, clean).

A second run waits for the first, saying so once, for at most `lock_timeout_seconds` (marketlib.toml or
MARKETLIB_LOCK_TIMEOUT_SECONDS; 0 = do not wait), then stops with one sentence (exit 2). The lock is an OS file
lock (`filelock`), so a killed run releases it. The temp-file sweep runs only while holding it: before the lock
existed, a second run swept the temp files of a first one still writing them.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

from filelock import FileLock, Timeout

from marketlib.atomic import sweep_temp_files
from marketlib.config import Settings
from marketlib.errors import UserError

LOCK_NAME = ".marketlib.lock"

# Locks this process holds, by path, with a nesting depth: `build()` called by the CLI command that already
# holds the lock must not wait on itself (two flock()s of one file conflict even inside one process).
_held: dict[Path, int] = {}
_held_guard = threading.Lock()


def data_dir(settings: Settings) -> Path:
    """The directory the lock guards: the common parent of the raw and processed directories."""
    return Path(os.path.commonpath([settings.raw_dir.resolve(), settings.processed_dir.resolve()]))


def lock_path(settings: Settings) -> Path:
    return data_dir(settings) / LOCK_NAME


def inside_data_dir(path: Path, settings: Settings) -> bool:
    resolved = Path(path).resolve()
    return any(resolved.is_relative_to(d.resolve())
               for d in (settings.raw_dir, settings.processed_dir, settings.reports_dir))


@contextlib.contextmanager
def data_lock(settings: Settings, *, say: Callable[[str], None] | None = None,
              sweep: tuple[Path, ...] = ()) -> Iterator[None]:
    """Hold the data directory's lock; on first entry sweep the temp files of killed runs.

    Sweeps the raw and processed directories plus `sweep` (e.g. the reports directory of a report run).
    """
    path = lock_path(settings)
    with _held_guard:
        depth = _held.get(path, 0)
        if depth:
            _held[path] = depth + 1
    if depth:
        try:
            yield
        finally:
            with _held_guard:
                _held[path] -= 1
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    lock = FileLock(path)
    _acquire(lock, path, settings.lock_timeout_seconds, say or (lambda _msg: None))
    with _held_guard:
        _held[path] = 1
    try:
        for directory in (settings.raw_dir, settings.processed_dir, *sweep):
            sweep_temp_files(directory)
        yield
    finally:
        with _held_guard:
            del _held[path]
        lock.release()


def _acquire(lock: FileLock, path: Path, timeout: float, say: Callable[[str], None]) -> None:
    try:
        lock.acquire(timeout=0)
        return
    except Timeout:
        pass
    if timeout > 0:
        say(f"Another marketlib run is writing to {path.parent}; waiting up to {timeout:g} s for it to finish.")
        try:
            lock.acquire(timeout=timeout, poll_interval=0.2)
            return
        except Timeout:
            pass
    raise UserError(f"Another marketlib run is writing to {path.parent} (lock {path}); try again when it has "
                    f"finished, or raise MARKETLIB_LOCK_TIMEOUT_SECONDS to wait longer.")
