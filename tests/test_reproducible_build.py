"""Two `marketlib build --force` runs (separate processes) on the same snapshots give identical tables."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import polars as pl
import pytest

from marketlib import schemas
from marketlib.clean.locations import parse_location_strings
from tests.conftest import MIRROR, REPO, need


def _cli(root, *args):
    env = dict(os.environ, MARKETLIB_ROOT=str(root), MARKETLIB_MIRROR_DIRS=str(MIRROR), MARKETLIB_OFFLINE="1",
               MARKETLIB_FIXTURES_DIRS="", COLUMNS="250")
    return subprocess.run([sys.executable, "-m", "marketlib.cli", *args], env=env, capture_output=True, text=True)


@pytest.mark.slow
def test_two_forced_builds_from_the_same_snapshots_are_identical(tmp_path):
    need(MIRROR)
    root = tmp_path / "project"
    (root / "data" / "raw").mkdir(parents=True)
    (root / "marketlib.toml").write_text((REPO / "marketlib.toml").read_text())
    _cli(root, "fetch", "--all")  # network sources fail offline; every mirror source lands
    runs = []
    for i in (1, 2):
        build = _cli(root, "build", "--force")
        assert build.returncode == 0, build.stderr
        shutil.copytree(root / "data" / "processed", tmp_path / f"run{i}")
        runs.append(tmp_path / f"run{i}")
    postings = pl.read_parquet(runs[0] / "postings.parquet")
    assert postings.height > 50_000
    for table in schemas.TABLES:
        first, second = (pl.read_parquet(run / f"{table}.parquet") for run in runs)
        assert first.equals(second), f"{table} differs between two builds of the same snapshots"


def test_a_state_prefix_names_the_state():
    parsed = parse_location_strings(pl.Series(["IL-Rosemont", "PA-Rosemont", "Rosemont, PA", "TX-Austin"]))
    assert parsed.select("region", "country").rows() == [("IL", "US"), ("PA", "US"), ("PA", "US"), ("TX", "US")]
    assert parsed["metro_code"].to_list()[0] == "16980" and parsed["metro_code"].to_list()[3] == "12420"
