"""Crash safety: `marketlib fetch` and `marketlib build` killed with SIGKILL at fixed delays.

Real processes, real timing (no hooks in product code): wherever the kill lands (imports, hashing the mirror
copy, the temp-file write, the rename, the sidecar), the snapshots and tables written before stay byte-for-byte
intact and readable, no partial file appears under a final name, and the next run completes and sweeps every
`.tmp-*` file the killed one left.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import polars as pl
import pytest

from marketlib.snapshots import META_SUFFIX, corrupt_snapshots, list_snapshots
from tests.conftest import MIRROR, need

FIRST_SOURCES = ("glassdoor", "evidently")  # fetched before any kill: must survive every crash untouched
KILLED_SOURCES = ("aijobs", "oews")  # fetched by the runs that get killed
TABLES = ("case_studies", "professionals", "salaries", "postings_index")  # not `postings`: its cleaners vary
FETCH_KILL_DELAYS = (0.1, 0.3, 0.6, 1.0)
BUILD_KILL_DELAYS = (0.3, 0.8, 1.4, 2.0)


def _cli(root: Path, *args: str, kill_after: float | None = None) -> int | None:
    """Run the CLI in its own process; with kill_after, SIGKILL it then (None when it had finished)."""
    env = dict(os.environ, MARKETLIB_ROOT=str(root), MARKETLIB_MIRROR_DIRS=str(MIRROR),
               MARKETLIB_OFFLINE="1", MARKETLIB_FIXTURES_DIRS="", COLUMNS="200")
    proc = subprocess.Popen([sys.executable, "-m", "marketlib.cli", *args], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    if kill_after is None:
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err.decode(errors="replace")[-2000:]
        return proc.returncode
    time.sleep(kill_after)
    finished = proc.poll() is not None
    if not finished:
        proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=60)
    return None if finished else -signal.SIGKILL


def _digests(directory: Path) -> dict[str, str]:
    return {str(p.relative_to(directory)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(directory.rglob("*")) if p.is_file() and not p.name.startswith(".tmp-")
            and p.name != "last_fetch.json"}


def _temp_files(directory: Path) -> list[Path]:
    return sorted(directory.rglob(".tmp-*"))


def _assert_snapshots_sound(raw_dir: Path, sources: tuple[str, ...]) -> None:
    """Every visible snapshot matches its sidecar; a data file never sits under a final name half-written."""
    for source in sources:
        assert corrupt_snapshots(source, raw_dir) == [], f"{source} has a corrupt snapshot"
        for snap in list_snapshots(source, raw_dir):
            assert snap.meta["bytes"] == snap.path.stat().st_size


@pytest.fixture(scope="module")
def crash_root(tmp_path_factory) -> Path:
    need(MIRROR)
    root = tmp_path_factory.mktemp("crash") / "project"
    (root / "data" / "raw").mkdir(parents=True)
    repo = Path(__file__).resolve().parents[2]
    (root / "marketlib.toml").write_text((repo / "marketlib.toml").read_text())
    _cli(root, "fetch", *FIRST_SOURCES)
    return root


def test_fetch_killed_at_any_point_keeps_earlier_snapshots_and_next_run_completes(crash_root):
    raw = crash_root / "data" / "raw"

    def forget_killed_sources() -> None:
        # A fresh target each time so the killed run really writes (an identical snapshot is only reused).
        for source in KILLED_SOURCES:
            for path in sorted((raw / source).rglob("*"), reverse=True) if (raw / source).exists() else []:
                path.unlink() if path.is_file() else path.rmdir()

    forget_killed_sources()
    before = _digests(raw)
    assert any(name.startswith("glassdoor/") for name in before)
    outcomes = []
    for delay in FETCH_KILL_DELAYS:
        forget_killed_sources()
        outcomes.append(_cli(crash_root, "fetch", *KILLED_SOURCES, kill_after=delay))
        after = _digests(raw)
        assert {k: v for k, v in after.items() if k in before} == before, f"kill at {delay} s changed old files"
        _assert_snapshots_sound(raw, FIRST_SOURCES + KILLED_SOURCES)
        _cli(crash_root, "fetch", *KILLED_SOURCES)  # the next run completes...
        assert _temp_files(raw) == []  # ...and sweeps what the killed one left
        _assert_snapshots_sound(raw, KILLED_SOURCES)
        for source in KILLED_SOURCES:
            assert list_snapshots(source, raw), f"{source} has no snapshot after the re-run"
    assert -signal.SIGKILL in outcomes  # at least one run was really killed mid-way


def test_build_killed_at_any_point_keeps_previous_tables(crash_root):
    _cli(crash_root, "fetch", *KILLED_SOURCES)
    processed = crash_root / "data" / "processed"
    _cli(crash_root, "build", *TABLES, "--force")
    tables = {t: pl.read_parquet(processed / f"{t}.parquet") for t in TABLES}
    assert tables["salaries"].height > 70_000 and tables["case_studies"].height > 1_000
    outcomes = []
    for delay in BUILD_KILL_DELAYS:
        outcomes.append(_cli(crash_root, "build", *TABLES, "--force", kill_after=delay))
        for table, frame in tables.items():
            # Either the old file or a complete new one (same inputs -> same rows); never a torn parquet.
            assert pl.read_parquet(processed / f"{table}.parquet").equals(frame), f"{table} after kill at {delay}"
        json.loads((processed / "_build_state.json").read_text())  # the state file is whole JSON
    assert -signal.SIGKILL in outcomes
    _cli(crash_root, "build", *TABLES, "--force")
    assert _temp_files(processed) == []
    for table, frame in tables.items():
        assert pl.read_parquet(processed / f"{table}.parquet").equals(frame)




def test_a_data_file_left_without_its_sidecar_is_invisible_and_the_next_run_completes(crash_root):
    raw = crash_root / "data" / "raw"
    _cli(crash_root, "fetch", "glassdoor")
    good = list_snapshots("glassdoor", raw)[-1]
    for path in good.path.parent.iterdir():  # today's snapshot gone, a killed run's data file in its place
        path.unlink()
    orphan = good.path.parent / good.name
    orphan.write_bytes(b"half of a run that was killed")
    assert all(s.path != orphan for s in list_snapshots("glassdoor", raw))  # readers never see it
    _cli(crash_root, "fetch", "glassdoor")
    newest = list_snapshots("glassdoor", raw)[-1]
    assert newest.verify() and newest.meta["sha256"] == good.meta["sha256"]


def test_the_next_run_reclaims_a_data_file_left_without_its_sidecar(crash_root):
    raw = crash_root / "data" / "raw"
    _cli(crash_root, "fetch", "glassdoor")
    good = list_snapshots("glassdoor", raw)[-1]
    for path in good.path.parent.iterdir():
        path.unlink()
    (good.path.parent / good.name).write_bytes(b"half of a run that was killed")
    _cli(crash_root, "fetch", "glassdoor")
    assert sorted(p.name for p in good.path.parent.iterdir() if p.name != "last_fetch.json") == \
        [good.name, good.name + META_SUFFIX]
