"""One lock per data directory: a second run waits or stops with one sentence, never sweeps a running one's
temp files; a second build started during the first one's write phase (real processes) changes nothing."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import polars as pl
import pytest

from tests.conftest import MIRROR, REPO, need

TABLES = ("case_studies", "professionals", "salaries", "postings_index")


def data_lock(settings):
    from marketlib.lock import data_lock

    return data_lock(settings)


def _env(root: Path, **extra) -> dict:
    return dict(os.environ, MARKETLIB_ROOT=str(root), MARKETLIB_MIRROR_DIRS=str(MIRROR), MARKETLIB_OFFLINE="1",
                MARKETLIB_FIXTURES_DIRS="", COLUMNS="200", **extra)


def _cli(root: Path, *args: str, **extra) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "marketlib.cli", *args], env=_env(root, **extra),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_the_lock_lives_in_the_data_directory(project):
    from marketlib.lock import lock_path

    assert lock_path(project) == project.root / "data" / ".marketlib.lock"


@pytest.mark.parametrize("args", [("build", "case_studies"), ("fetch", "glassdoor"), ("report",)])
def test_a_second_run_stops_with_one_sentence_and_leaves_the_running_ones_temp_files(project, args):
    processed = project.processed_dir
    processed.mkdir(parents=True, exist_ok=True)
    in_flight = processed / ".tmp-case_studies.parquet.0123456789abcdef"
    with data_lock(project):
        in_flight.write_bytes(b"the first run is still writing this")
        proc = _cli(project.root, *args, MARKETLIB_LOCK_TIMEOUT_SECONDS="0.5")
        _out, err = proc.communicate(timeout=120)
        assert proc.returncode == 2, err
        assert "Another marketlib run is writing to" in err and "Traceback" not in err
        assert "waiting up to 0.5 s" in err
        assert in_flight.exists()  # the sweep did not run: it needs the lock


def _wait_for(path: Path, text: str, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while text not in path.read_text(errors="replace"):
        assert time.monotonic() < deadline, f"{text!r} never appeared in {path}"
        time.sleep(0.05)


def test_a_second_run_waits_for_the_first_then_runs_and_sweeps(project, tmp_path):
    processed = project.processed_dir
    processed.mkdir(parents=True, exist_ok=True)
    leftover = processed / ".tmp-salaries.parquet.feedfacefeedface"
    err_path = tmp_path / "second.err"
    with data_lock(project), err_path.open("w") as err_file:
        leftover.write_bytes(b"left by a killed run")
        proc = subprocess.Popen([sys.executable, "-m", "marketlib.cli", "build", "case_studies"],
                                env=_env(project.root, MARKETLIB_LOCK_TIMEOUT_SECONDS="120"),
                                stdout=subprocess.DEVNULL, stderr=err_file, text=True)
        _wait_for(err_path, "waiting up to 120 s")
        time.sleep(0.5)
        assert proc.poll() is None and leftover.exists()  # still waiting, nothing swept
    proc.wait(timeout=120)
    assert proc.returncode == 0, err_path.read_text()
    assert not leftover.exists()  # swept once the lock was its own


def test_clean_into_the_data_directory_takes_the_lock_elsewhere_not(project, tmp_path):
    given = tmp_path / "in.csv"
    given.write_text("title\nML Engineer\n")
    inside = project.processed_dir / "mine.csv"
    outside = tmp_path / "mine.csv"
    with data_lock(project):
        blocked = _cli(project.root, "clean", str(given), "-o", str(inside), MARKETLIB_LOCK_TIMEOUT_SECONDS="0")
        free = _cli(project.root, "clean", str(given), "-o", str(outside), MARKETLIB_LOCK_TIMEOUT_SECONDS="0")
        _o, blocked_err = blocked.communicate(timeout=120)
        _o, free_err = free.communicate(timeout=120)
    assert blocked.returncode == 2 and "Another marketlib run" in blocked_err and not inside.exists()
    assert free.returncode == 0, free_err
    assert outside.exists()


def test_the_lock_is_reentrant_inside_one_process_and_released_after(project):
    with data_lock(project), data_lock(project):
        pass
    proc = _cli(project.root, "build", "case_studies", MARKETLIB_LOCK_TIMEOUT_SECONDS="0")
    _out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err


def test_report_temp_notebooks_are_unique_per_run(project, tmp_path, monkeypatch):
    from marketlib import report
    from marketlib.notebook_workers import NotebookWorker

    seen = []

    def fake_run(_worker, _notebook, output, _params):
        seen.append(output)
        return "boom"

    monkeypatch.setattr(NotebookWorker, "__init__", lambda self, *_a: setattr(self, "alive", True))
    monkeypatch.setattr(NotebookWorker, "run", fake_run)
    monkeypatch.setattr(NotebookWorker, "close", lambda self: None)
    monkeypatch.setattr(NotebookWorker, "finish", lambda self: None)
    spec = report.ReportSpec("odds", "demo.ipynb", {})
    out_dir = tmp_path / "reports" / "2026-01-01"
    out_dir.mkdir(parents=True)
    report._run_papermill(spec, tmp_path, out_dir, project)
    report._run_papermill(spec, tmp_path, out_dir, project)
    assert len(set(seen)) == 2 and all(Path(p).name.startswith(".tmp-odds.") for p in seen)


# ------------------------------------------------------------------------------------------ real processes

@pytest.fixture(scope="module")
def fetched_root(tmp_path_factory) -> Path:
    need(MIRROR)
    root = tmp_path_factory.mktemp("lock") / "project"
    (root / "data" / "raw").mkdir(parents=True)
    (root / "marketlib.toml").write_text((REPO / "marketlib.toml").read_text())
    proc = _cli(root, "fetch", "evidently", "eren23", "oews", "aijobs", "hiring_lab")
    _out, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err
    return root


# A second `marketlib build`, already imported, that starts the moment the trigger file appears.
_TRIGGERED = """
import pathlib, sys, time
from marketlib import build, cli, sources  # noqa: F401 - imported before the trigger, not after
sources.registry()
trigger = pathlib.Path(sys.argv[1])
while not trigger.exists():
    time.sleep(0.002)
cli.main(sys.argv[2:])
"""


def test_a_second_build_during_the_first_ones_write_phase_crashes_nothing_and_loses_nothing(fetched_root,
                                                                                              tmp_path):
    processed = fetched_root / "data" / "processed"
    reference = _cli(fetched_root, "build", *TABLES, "--force")
    _out, err = reference.communicate(timeout=300)
    assert reference.returncode == 0, err
    expected = {t: pl.read_parquet(processed / f"{t}.parquet") for t in TABLES}

    trigger = tmp_path / "go"
    second = subprocess.Popen([sys.executable, "-c", _TRIGGERED, str(trigger), "build", *TABLES, "--force"],
                              env=_env(fetched_root), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(3)  # let it finish its imports
    first = _cli(fetched_root, "build", *TABLES, "--force")
    deadline = time.monotonic() + 240
    seen = False
    while first.poll() is None and time.monotonic() < deadline:
        if any(processed.glob(".tmp-*")):  # the first run is writing a table right now
            seen = True
            break
        time.sleep(0.002)
    trigger.touch()
    first_out, first_err = first.communicate(timeout=300)
    second_out, second_err = second.communicate(timeout=300)
    assert seen, "the first build finished before its write phase was seen"
    assert first.returncode == 0 and "Traceback" not in first_err, first_err
    assert second.returncode == 0 and "Traceback" not in second_err, second_err
    assert "waiting up to" in second_err  # it waited for the first instead of sweeping its temp files
    for table, frame in expected.items():
        assert pl.read_parquet(processed / f"{table}.parquet").equals(frame), table
        assert table in first_out and table in second_out
    assert not list(processed.glob(".tmp-*"))
