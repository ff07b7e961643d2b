"""The on-disk HTTP cache (requests-cache's SQLite backend), which a damaged file cannot take down.

A cache file that is not a database (garbage bytes, a truncated copy, a disk error) is moved aside as
`<name>.corrupt-<UTC timestamp>` with one warning, and a fresh cache takes its place: the cache only saves
requests, so losing it costs time, never data, and the moved file stays for inspection.
"""

from __future__ import annotations

import datetime as dt
import logging
import sqlite3
import threading
from pathlib import Path

import requests

log = logging.getLogger(__name__)

# SQLite's write-ahead log and shared-memory files belong to the database file and move with it.
_SIDECARS = ("-wal", "-shm")


class ResponseCache:
    """Successful (200) responses keyed by request, each kept until its expiry."""

    def __init__(self, path: Path, expire_seconds: int):
        self.path = Path(path)
        self._expire = dt.timedelta(seconds=expire_seconds)
        self._lock = threading.Lock()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._backend = self._open()
        except sqlite3.DatabaseError as exc:
            self._backend = self._replace_damaged(exc, None)

    def _open(self):
        from requests_cache import SQLiteCache

        backend = SQLiteCache(self.path, wal=True)
        try:
            len(backend.responses)  # reads the table: a truncated file fails here rather than mid-fetch
        except sqlite3.DatabaseError:
            backend.close()
            raise
        return backend

    def _replace_damaged(self, exc: sqlite3.DatabaseError, damaged) -> object:
        """Move the damaged file aside (once, even when several threads hit it) and open a fresh one."""
        with self._lock:
            if damaged is not None and damaged is not self._backend:
                return self._backend  # another thread already replaced it
            if damaged is not None:
                try:
                    damaged.close()
                except sqlite3.Error:
                    pass
            stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
            moved = self.path.with_name(f"{self.path.name}.corrupt-{stamp}")
            for suffix in ("", *_SIDECARS):
                source = self.path.with_name(self.path.name + suffix)
                if source.exists():
                    source.replace(moved.with_name(moved.name + suffix))
            log.warning("The HTTP cache %s is damaged (%s); moved it to %s and started a fresh cache.",
                        self.path, exc, moved.name)
            self._backend = self._open()
            return self._backend

    def get(self, prepared: requests.PreparedRequest) -> requests.Response | None:
        backend = self._backend
        try:
            response = backend.get_response(backend.create_key(prepared))
        except sqlite3.DatabaseError as exc:
            self._replace_damaged(exc, backend)
            return None
        if response is None or response.is_expired or response.status_code != 200:
            return None
        return response

    def save(self, prepared: requests.PreparedRequest, response: requests.Response) -> None:
        if response.status_code != 200:
            return
        backend = self._backend
        try:
            backend.save_response(response, backend.create_key(prepared),
                                  expires=dt.datetime.now(dt.UTC) + self._expire)
        except sqlite3.DatabaseError as exc:
            self._replace_damaged(exc, backend)
        except Exception as exc:  # noqa: BLE001 - a cache write failure must not fail the fetch
            log.warning("could not cache %s: %s", response.url, exc)

    def close(self) -> None:
        self._backend.close()
