"""`marketlib import`: a user's JobSpy-shaped CSV becomes a local source with a snapshot, built into postings."""

import json
import os
import subprocess
import sys

import polars as pl

from marketlib.build import build, load_table
from marketlib.snapshots import latest_by_name
from marketlib.sources import registry
from tests.conftest import FIXTURES, need

DESCRIPTION = ("We are hiring a Machine Learning Engineer to build recommendation models in Python and PyTorch. "
               "You have 3+ years of experience shipping ML systems, know SQL and Spark, and enjoy working with "
               "product teams on ranking and personalization problems at scale. ") * 2


def _jobspy_csv(path, rows):
    columns = [c["name"] for c in json.loads(need(FIXTURES / "jobspy" / "columns.json").read_text())["columns"]]
    data = [{c: None for c in columns} | row for row in rows]
    pl.DataFrame(data, schema={c: pl.String for c in columns}).write_csv(path)
    return path


def _run(*args):
    env = dict(os.environ)
    return subprocess.run([sys.executable, "-m", "marketlib.cli", *args], capture_output=True, text=True, env=env)


ROWS = [
    {"id": "in-1", "site": "indeed", "title": "Machine Learning Engineer", "company": "Acme",
     "location": "Seattle, WA, US", "date_posted": "2026-11-20", "description": DESCRIPTION},
    {"id": "in-2", "site": "indeed", "title": "Senior Data Scientist", "company": "Beta",
     "location": "Austin, TX, US", "date_posted": "2026-11-21", "description": DESCRIPTION},
]


def test_import_then_build_includes_the_postings(project, tmp_path):
    given = _jobspy_csv(tmp_path / "jobs.csv", ROWS)
    result = _run("import", str(given), "--as", "my-search")
    assert result.returncode == 0, result.stderr
    assert "my-search" in result.stdout
    source = registry(project)["my-search"]
    assert source.kind == "import" and source.tables == ("postings",)
    snaps = latest_by_name("my-search", project.raw_dir)
    assert list(snaps) == ["postings.parquet"]
    meta = snaps["postings.parquet"].meta
    assert meta["params"]["rows"] == 2 and str(given) in meta["params"]["imported_from"]
    outcome = build(["postings"], settings=project)
    assert not outcome.source_errors
    postings = load_table("postings", project).filter(pl.col("source") == "my-search")
    assert postings.height == 2
    assert set(postings["metro_code"].to_list()) == {"42660", "12420"}
    assert set(postings["role_family"].to_list()) == {"ml_engineer", "data_scientist"}
    assert postings["snapshot_id"].str.starts_with("my-search/").all()


def test_import_again_adds_a_newer_snapshot_that_build_uses(project, tmp_path):
    _run("import", str(_jobspy_csv(tmp_path / "a.csv", ROWS[:1])), "--as", "mine")
    second = _run("import", str(_jobspy_csv(tmp_path / "b.csv", ROWS)), "--as", "mine")
    assert second.returncode == 0, second.stderr
    build(["postings"], settings=project)
    assert load_table("postings", project).filter(pl.col("source") == "mine").height == 2


def test_import_refuses_builtin_names_and_bad_files_in_one_sentence(project, tmp_path):
    given = _jobspy_csv(tmp_path / "jobs.csv", ROWS)
    clash = _run("import", str(given), "--as", "glassdoor")
    assert clash.returncode == 2 and "built-in source" in clash.stderr and "Traceback" not in clash.stderr
    bad = tmp_path / "notitle.csv"
    bad.write_text("a,b\n1,2\n")
    missing = _run("import", str(bad), "--as", "mine")
    assert missing.returncode == 2 and "title column" in missing.stderr and "Traceback" not in missing.stderr
    unsafe = _run("import", str(given), "--as", "../escape")
    assert unsafe.returncode == 2 and "Traceback" not in unsafe.stderr
    assert "mine" not in registry(project)
