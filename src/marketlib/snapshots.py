"""Immutable raw snapshots: `data/raw/<source>/<YYYY-MM-DD>/<file>` plus a sidecar `<file>.meta.json`.

Rules: writes are atomic (the data file first, then the sidecar; a file without a sidecar is not a snapshot);
a snapshot is never overwritten (same bytes as the newest snapshot of that name -> reused, different bytes on the
same day -> a new suffixed name `stem-2.ext`); a file whose sha256 no longer matches its sidecar is corrupt and
never used.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import re
from dataclasses import dataclass
from pathlib import Path

from marketlib import __version__
from marketlib.atomic import TMP_PREFIX, atomic_open, atomic_write_text
from marketlib.config import get_settings
from marketlib.errors import CorruptSnapshotError, UnsafeNameError

log = logging.getLogger(__name__)

META_SUFFIX = ".meta.json"
_SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@+-]{0,199}$")
_DATE_DIR = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def check_name(name: str, what: str = "name") -> str:
    """Reject names that could escape a directory: '..', separators, absolute paths, NUL, control chars."""
    if not isinstance(name, str) or not name:
        raise UnsafeNameError(f"The {what} is empty.")
    if "\x00" in name or "/" in name or "\\" in name or name in {".", ".."} or ".." in name:
        raise UnsafeNameError(f"The {what} {name!r} is not allowed (no '..', path separators or NUL).")
    if not _SAFE_NAME.match(name) or name.startswith(TMP_PREFIX) or name.endswith(META_SUFFIX):
        raise UnsafeNameError(
            f"The {what} {name!r} is not allowed (use letters, digits, '.', '_', '-', '@', '+'; at most 200)."
        )
    return name


def safe_join(base: Path, *parts: str) -> Path:
    """Join validated parts under base and make sure the result stays inside it."""
    base = Path(base).resolve()
    target = base.joinpath(*parts).resolve()
    if target != base and base not in target.parents:
        raise UnsafeNameError(f"The path {'/'.join(parts)!r} leaves {base}.")
    return target


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1024 * 1024), b""):
            digest.update(block)
    return digest.hexdigest()


@dataclass(frozen=True)
class Snapshot:
    source: str
    date: str  # YYYY-MM-DD, the fetch day (UTC)
    name: str  # file name on disk (possibly suffixed)
    path: Path
    meta: dict

    @property
    def snapshot_id(self) -> str:
        return f"{self.source}/{self.date}/{self.name}"

    @property
    def original_name(self) -> str:
        """The name the source asked for (without the same-day suffix)."""
        return self.meta.get("file", self.name)

    @property
    def fetched_at(self) -> dt.datetime:
        return dt.datetime.fromisoformat(self.meta["fetched_at"])

    @property
    def sha256(self) -> str:
        return self.meta["sha256"]

    def verify(self) -> bool:
        return self.path.is_file() and sha256_file(self.path) == self.meta.get("sha256")

    def read_bytes(self) -> bytes:
        data = self.path.read_bytes()
        if hashlib.sha256(data).hexdigest() != self.meta.get("sha256"):
            raise CorruptSnapshotError(f"Snapshot {self.snapshot_id} does not match the sha256 in its sidecar.")
        return data


def _raw_dir(raw_dir: Path | None) -> Path:
    return Path(raw_dir) if raw_dir is not None else get_settings().raw_dir


def _suffixed(name: str, n: int) -> str:
    stem, dot, rest = name.partition(".")
    return f"{stem}-{n}{dot}{rest}"


def _load_meta(path: Path) -> dict | None:
    meta_path = path.with_name(path.name + META_SUFFIX)
    try:
        return json.loads(meta_path.read_text("utf-8"))
    except (OSError, ValueError):
        return None


def _iter_snapshots(source: str, raw_dir: Path | None) -> list[Snapshot]:
    base = safe_join(_raw_dir(raw_dir), check_name(source, "source name"))
    found: list[Snapshot] = []
    if not base.is_dir():
        return found
    for day in sorted(p for p in base.iterdir() if p.is_dir() and _DATE_DIR.match(p.name)):
        for meta_path in sorted(day.glob("*" + META_SUFFIX)):
            data_path = meta_path.with_name(meta_path.name[: -len(META_SUFFIX)])
            meta = _load_meta(data_path)
            if meta is None or not data_path.is_file():
                continue
            found.append(Snapshot(source, day.name, data_path.name, data_path, meta))
    found.sort(key=lambda s: (s.meta.get("fetched_at", ""), s.date, s.name))
    return found


def write_snapshot(
    source: str,
    filename: str,
    *,
    data: bytes | None = None,
    from_path: Path | None = None,
    url: str | None = None,
    license: str | None = None,
    params: dict | None = None,
    http_status: int | None = None,
    fetched_at: dt.datetime | None = None,
    extra: dict | None = None,
    raw_dir: Path | None = None,
) -> Snapshot:
    """Store bytes (or a file's content) as a snapshot; reuse the newest one with identical bytes."""
    check_name(source, "source name")
    check_name(filename, "file name")
    if (data is None) == (from_path is None):
        raise ValueError("give exactly one of data= or from_path=")
    fetched_at = (fetched_at or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
    digest = hashlib.sha256(data).hexdigest() if data is not None else sha256_file(Path(from_path))
    size = len(data) if data is not None else Path(from_path).stat().st_size

    previous = [s for s in _iter_snapshots(source, raw_dir) if s.original_name == filename]
    if previous and previous[-1].sha256 == digest and previous[-1].verify():
        return previous[-1]

    day = fetched_at.strftime("%Y-%m-%d")
    day_dir = safe_join(_raw_dir(raw_dir), source, day)
    day_dir.mkdir(parents=True, exist_ok=True)
    name, n = filename, 1
    # A data file without a sidecar is the leftover of a killed write, not a snapshot: its name is reused.
    while (day_dir / (name + META_SUFFIX)).exists():
        n += 1
        name = _suffixed(filename, n)
    target = day_dir / name

    with atomic_open(target) as fh:
        if data is not None:
            fh.write(data)
        else:
            with open(from_path, "rb") as fin:
                for block in iter(lambda: fin.read(1024 * 1024), b""):
                    fh.write(block)
    meta = {
        "source": source,
        "file": filename,
        "url": url,
        "fetched_at": fetched_at.isoformat(),
        "sha256": digest,
        "bytes": size,
        "license": license,
        "params": params or {},
        "http_status": http_status,
        "marketlib_version": __version__,
    }
    if extra:
        meta.update(extra)
    # The sidecar is written last: a data file without one is invisible to readers.
    atomic_write_text(target.with_name(name + META_SUFFIX), json.dumps(meta, indent=2, sort_keys=True))
    return Snapshot(source, day, name, target, meta)


def list_snapshots(source: str, raw_dir: Path | None = None, *, verify: bool = True) -> list[Snapshot]:
    """All snapshots of a source, oldest first; corrupt ones are left out (and logged)."""
    snaps = _iter_snapshots(source, raw_dir)
    if not verify:
        return snaps
    good = []
    for snap in snaps:
        if snap.verify():
            good.append(snap)
        else:
            log.warning("snapshot %s is corrupt (sha256 mismatch); ignoring it", snap.snapshot_id)
    return good


def corrupt_snapshots(source: str, raw_dir: Path | None = None) -> list[Snapshot]:
    return [s for s in _iter_snapshots(source, raw_dir) if not s.verify()]


def latest(source: str, name: str | None = None, raw_dir: Path | None = None) -> Snapshot | None:
    """The newest valid snapshot of a source (optionally of one file name), or None."""
    for snap in reversed(_iter_snapshots(source, raw_dir)):
        if name is not None and snap.original_name != name:
            continue
        if snap.verify():
            return snap
        log.warning("snapshot %s is corrupt (sha256 mismatch); ignoring it", snap.snapshot_id)
    return None


def latest_by_name(source: str, raw_dir: Path | None = None) -> dict[str, Snapshot]:
    """The newest valid snapshot of every file name a source has stored."""
    newest: dict[str, Snapshot] = {}
    for snap in list_snapshots(source, raw_dir):
        newest[snap.original_name] = snap
    return dict(sorted(newest.items()))
