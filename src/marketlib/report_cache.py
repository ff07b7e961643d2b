"""Report results cached by what they depend on, so an unchanged report is not executed again.

A report's key is the sha256 of: its name, title and parameters; the notebook file; every processed table's
file signature (name, size, modification time: a rebuild rewrites them, so it invalidates); the settings
(marketlib.toml and any MARKETLIB_* override); the package's own code and dictionaries; and the versions of
the libraries that shape a page. The record of each report's last good run (`reports/report_cache.json`)
names its key and the files that run wrote; a hit copies those files into today's run directory instead of
running papermill.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import shutil
import threading
from importlib import metadata
from pathlib import Path

from marketlib.atomic import TMP_PREFIX, atomic_write_text, publish_file
from marketlib.config import Settings

CACHE_FILE = "report_cache.json"
# Libraries whose version changes what a page shows (numbers, charts, HTML).
PAGE_LIBRARIES = ("polars", "altair", "vl-convert-python", "nbconvert", "papermill", "nbformat")
_PACKAGE = Path(__file__).resolve().parent
_CODE_SUFFIXES = {".py", ".csv", ".json", ".toml", ".yaml", ".txt"}


def _code_digest() -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in _PACKAGE.rglob("*") if p.suffix in _CODE_SUFFIXES and p.is_file()):
        digest.update(path.relative_to(_PACKAGE).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _versions() -> dict[str, str]:
    out = {}
    for name in PAGE_LIBRARIES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "absent"
    return out


def _tables(settings: Settings) -> list[tuple[str, int, int]]:
    folder = settings.processed_dir
    return sorted((p.name, p.stat().st_size, p.stat().st_mtime_ns) for p in folder.glob("*.parquet")) \
        if folder.is_dir() else []


class ReportCache:
    """Keys and records for one `marketlib report` run (the code and tables are read once per run)."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.path = settings.reports_dir / CACHE_FILE
        self._lock = threading.Lock()  # reports finish on several threads; the record file is shared
        toml = settings.root / "marketlib.toml"
        self._shared = json.dumps({
            "code": _code_digest(), "versions": _versions(), "tables": _tables(settings),
            "settings": toml.read_text("utf-8") if toml.is_file() else "",
            # the settings in effect, MARKETLIB_* environment overrides included
            "effective": dataclasses.asdict(settings) if dataclasses.is_dataclass(settings) else repr(settings),
        }, sort_keys=True, default=str)

    def key(self, name: str, title: str, parameters: dict, notebook: Path) -> str:
        digest = hashlib.sha256(self._shared.encode())
        digest.update(json.dumps({"name": name, "title": title, "parameters": parameters}, sort_keys=True,
                                 default=str).encode())
        digest.update(notebook.read_bytes())
        return digest.hexdigest()

    def _records(self) -> dict:
        try:
            records = json.loads(self.path.read_text("utf-8"))
        except (OSError, ValueError):
            return {}
        return records if isinstance(records, dict) else {}

    def lookup(self, name: str, key: str) -> dict | None:
        """The record of an earlier good run with this key whose files still exist, else None."""
        record = self._records().get(name)
        if not isinstance(record, dict) or record.get("key") != key:
            return None
        run_dir = self.settings.reports_dir / str(record.get("run_date", ""))
        files = record.get("files")
        if not isinstance(files, list) or not files or not all((run_dir / str(f)).is_file() for f in files):
            return None
        return record

    def store(self, name: str, key: str, run_date: str, files: list[str]) -> None:
        with self._lock:
            records = self._records()
            records[name] = {"key": key, "run_date": run_date, "files": files}
            atomic_write_text(self.path, json.dumps(records, indent=2, sort_keys=True) + "\n")

    def restore(self, record: dict, out_dir: Path) -> None:
        """Copy a cached run's files into `out_dir` (nothing to do when it is that run's own directory)."""
        source_dir = self.settings.reports_dir / record["run_date"]
        if source_dir.resolve() == out_dir.resolve():
            return
        for name in record["files"]:
            staged = out_dir / f"{TMP_PREFIX}{name}"
            shutil.copyfile(source_dir / name, staged)
            publish_file(staged, out_dir / name)
