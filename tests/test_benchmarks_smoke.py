"""Smoke tests of the performance harness (benchmarks/): it runs end to end on a tiny corpus and writes a
well-formed result. No timing is asserted: wall-clock numbers belong in benchmarks/results, not in tests."""

from __future__ import annotations

import importlib
import json

import polars as pl
import pytest

from benchmarks import corpus, run
from marketlib import schemas
from tests.conftest import MIRROR, need


@pytest.fixture
def mirror(project):
    need(MIRROR / corpus.GLASSDOOR_FILE)
    return project


def test_resampled_corpus_is_real_labelled_and_deterministic(mirror):
    pools = corpus.real_pool()
    assert pools["glassdoor"].height == 600  # the 600 unique postings of the 956-row file
    first = corpus.resample(pools, 500)
    again = corpus.resample(pools, 500)
    assert first.equals(again)
    assert list(first.columns) == list(schemas.RAW_POSTING_COLUMNS)
    assert first.get_column("source").str.starts_with(corpus.RESAMPLED_PREFIX).all()
    assert first.get_column("snapshot_id").str.starts_with(corpus.RESAMPLED_PREFIX).all()
    assert first.get_column("source_posting_id").n_unique() == 500
    # Resampling with replacement: texts repeat, so dedup has work.
    assert first.get_column("description").n_unique() < 500
    real_texts = set(pl.concat([p.get_column("description") for p in pools.values()]).to_list())
    assert set(first.get_column("description").to_list()) <= real_texts


def test_parse_sizes_and_targets():
    assert run.parse_sizes("10k,100k,1m") == (10_000, 100_000, 1_000_000)
    assert run.parse_sizes("200") == (200,)
    with pytest.raises(SystemExit):
        run.parse_sizes("lots")
    results = {
        "marketlib": [
            {"rows": 100_000, "seconds": 5.0, "peak_rss_gb": 1.0},
            {"rows": 1_000_000, "seconds": 70.0, "peak_rss_gb": 3.0},
        ],
        "baseline": [{"rows": 100_000, "seconds": 200.0, "estimated": False}],
    }
    status = {t["target"]: t["status"] for t in run.evaluate(results)}
    assert status == {
        "1M postings wall seconds": "MISS",
        "1M postings peak RSS GB": "pass",
        "speed-up vs baseline at 100k": "pass",
        "time(1M) / time(100k)": "MISS",
    }


def test_harness_runs_end_to_end_on_200_rows(mirror, tmp_path):
    try:
        importlib.import_module("marketlib.clean.pipeline")
    except ImportError as exc:
        pytest.skip(f"the cleaning pipeline does not import yet: {exc}")
    results_dir = tmp_path / "results"
    returned = run.main([
        "--sizes", "200", "--baseline-sizes", "200", "--steps-size", "200",
        "--corpora-dir", str(tmp_path / "corpora"), "--results-dir", str(results_dir),
    ])
    files = list(results_dir.glob("*.json"))
    assert len(files) == 1
    written = json.loads(files[0].read_text())
    assert written["targets"] == returned["targets"]
    assert "RESAMPLED" in written["label"]
    assert written["machine"]["logical_cores"] >= 1 and written["machine"]["polars"] == pl.__version__
    (ours,) = written["marketlib"]
    assert "error" not in ours, ours.get("error")
    assert ours["rows"] == ours["output_rows"] == 200
    assert ours["seconds"] > 0 and ours["peak_rss_gb"] > 0 and ours["description_mb"] > 0
    (theirs,) = written["baseline"]
    assert theirs["output_rows"] == 200 and theirs["estimated"] is False
    steps = written["steps"]["steps"]
    assert [s["step"] for s in steps][:2] == ["conform (raw)", "text"]
    assert all(s["status"] == "ok" for s in steps), steps
    assert {t["status"] for t in written["targets"]} == {"not measured"}  # no 1M/100k run here


def test_cli_bench_measures_each_process_on_its_own(mirror, tmp_path):
    """benchmarks/cli.py end to end on 300 rows: every run exits 0, the table has a verdict per target, and a
    child's peak RSS is its own: this process holds 600 MB while the children run, and none of them reports it."""
    from benchmarks import cli

    ballast = bytearray(600 * 2**20)
    ballast[::4096] = b"x" * len(ballast[::4096])  # touch every page so it counts in this process's RSS
    result = cli.main(["--sizes", "300", "--repeat", "1", "--skip-reports", "--corpora-dir", str(tmp_path / "corpora"),
                       "--results-dir", str(tmp_path / "results")])
    del ballast
    best = result["sizes"][0]["best"]
    assert set(best) == {"floor", "cli_with_ids", "cli_without_ids"}
    for run_ in best.values():
        assert run_["exit_code"] == 0 and run_["cpu_seconds"] > 0
        assert 0 < run_["peak_rss_gb"] < 0.55
    texts = pl.read_parquet(cli.perturbed_corpus(300, tmp_path / "corpora"))["description"]
    assert texts.n_unique() == 300  # the perturbation makes every text distinct
    targets = {c["target"] for c in result["checks"]}
    assert "cli_without_ids CPU ÷ floor at 300" in targets
    assert "1-row clean wall seconds (median of 5 warm runs)" in targets
    assert any((tmp_path / "results").glob("cli-*.md"))
