"""The one atomic writer: no symlink followed, 0644 files, every write error one sentence; typed settings."""

from __future__ import annotations

import hashlib
import os
import resource
import signal
import stat
import subprocess
import sys

import polars as pl
import pytest

from marketlib import cli
from marketlib.atomic import atomic_open, atomic_write_text, write_parquet_atomic
from marketlib.config import get_settings


def _clean(capsys, *args) -> tuple[int, str]:
    with pytest.raises(SystemExit) as info:
        cli.main(["clean", *args])
    return info.value.code, capsys.readouterr().err


def test_a_planted_temp_symlink_is_never_written_through(project, tmp_path, capsys):
    given = tmp_path / "in.csv"
    given.write_text("title\nML Engineer\n")
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    out = tmp_path / "out.csv"
    # The name marketlib clean used for its temp file: a symlink planted there must not be followed.
    (tmp_path / ".tmp-out.csv").symlink_to(victim)
    cli.main(["clean", str(given), "-o", str(out)])
    assert victim.read_text() == "keep me"
    assert pl.read_csv(out)["title"].to_list() == ["ML Engineer"]
    assert (tmp_path / ".tmp-out.csv").is_symlink()  # left alone, not replaced


def test_published_files_are_0644_under_the_usual_umask(project, tmp_path):
    old = os.umask(0o022)
    try:
        atomic_write_text(tmp_path / "page.html", "<p>x</p>")
        write_parquet_atomic(pl.DataFrame({"a": [1]}), tmp_path / "t.parquet")
    finally:
        os.umask(old)
    for name in ("page.html", "t.parquet"):
        assert stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o644, name


def test_clean_output_is_0644(project, tmp_path, capsys):
    given = tmp_path / "in.csv"
    given.write_text("title\nML Engineer\n")
    cli.main(["clean", str(given), "-o", str(tmp_path / "out.parquet")])
    assert stat.S_IMODE((tmp_path / "out.parquet").stat().st_mode) == 0o644


def test_a_failure_inside_the_block_leaves_no_temp_and_no_target(tmp_path):
    with pytest.raises(RuntimeError), atomic_open(tmp_path / "x.bin") as fh:
        fh.write(b"half")
        raise RuntimeError("stop")
    assert list(tmp_path.iterdir()) == []


def test_an_os_error_while_writing_is_one_sentence_naming_the_file(tmp_path, monkeypatch):
    import errno

    from marketlib.atomic import WriteError

    def full(*_args):
        raise OSError(errno.ENOSPC, "No space left on device")

    target = tmp_path / "state.json"
    with pytest.raises(WriteError, match=r"^Cannot write .*state.json: No space left on device\.$"):
        with atomic_open(target) as fh:
            monkeypatch.setattr(fh, "write", full)
            fh.write(b"{}")
    assert list(tmp_path.iterdir()) == []


def _limit_file_size() -> None:
    # A file-size limit makes every write past 16 KiB fail with EFBIG, as a full disk fails with ENOSPC.
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (16 * 1024, 16 * 1024))


@pytest.mark.parametrize("suffix", [".parquet", ".csv", ".jsonl"])
def test_a_full_disk_for_every_output_format_is_one_sentence(project, tmp_path, suffix):
    given = tmp_path / "in.csv"
    noise = [hashlib.sha256(str(i).encode()).hexdigest() * 4 for i in range(600)]  # parquet cannot squeeze it
    rows = "\n".join(f"Machine Learning Engineer {i},Company {i},Austin TX,{noise[i]}" for i in range(600))
    given.write_text("title,company,location,description\n" + rows + "\n")
    out = tmp_path / "out" / f"cleaned{suffix}"
    out.parent.mkdir()
    proc = subprocess.run([sys.executable, "-m", "marketlib.cli", "clean", str(given), "-o", str(out)],
                          capture_output=True, text=True, env=dict(os.environ), preexec_fn=_limit_file_size)
    assert proc.returncode == 2, proc.stderr[-2000:]
    assert "Traceback" not in proc.stderr and f"Cannot write {out}" in proc.stderr
    assert len(proc.stderr.strip().splitlines()) <= 3  # one sentence (rich may wrap it)
    assert list(out.parent.iterdir()) == []  # no partial output, no temp file left


# ------------------------------------------------------------------------------------------ typed settings

@pytest.mark.parametrize("variable, value, allowed", [
    ("MARKETLIB_OFFLINE", "ture", "one of 1, true, yes, on, 0, false, no, off"),
    ("MARKETLIB_MAX_RETRIES", "abc", "a whole number"),
    ("MARKETLIB_MAX_RETRIES", "2.5", "a whole number"),
    ("MARKETLIB_MIN_INTERVAL_SECONDS", "-1", "0 or more"),
    ("MARKETLIB_LOCK_TIMEOUT_SECONDS", "soon", "a number"),
])
def test_a_bad_setting_names_the_variable_and_the_allowed_values(project, monkeypatch, capsys, variable, value,
                                                                  allowed):
    monkeypatch.setenv(variable, value)
    get_settings.cache_clear()
    with pytest.raises(SystemExit) as info:
        cli.main(["sources"])
    err = capsys.readouterr().err
    assert info.value.code == 2 and variable in err and allowed in err and repr(value) in err
    assert "Traceback" not in err


@pytest.mark.parametrize("value, expected", [("1", True), ("TRUE", True), (" yes ", True), ("off", False),
                                             ("0", False), ("", False)])
def test_good_boolean_spellings_still_work(project, monkeypatch, value, expected):
    monkeypatch.setenv("MARKETLIB_OFFLINE", value)
    get_settings.cache_clear()
    assert get_settings().offline is expected


def test_a_bad_value_in_marketlib_toml_names_the_file_and_key(project, monkeypatch):
    from marketlib.config import SettingsError, load_settings

    monkeypatch.delenv("MARKETLIB_OFFLINE", raising=False)
    toml = project.root / "marketlib.toml"
    toml.write_text(toml.read_text().replace("max_retries = 4", 'max_retries = "four"'))
    with pytest.raises(SettingsError, match=r"marketlib.toml \[http\] max_retries must be a whole number"):
        load_settings(project.root)
