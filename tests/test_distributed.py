"""Scale-out on Dask (`marketlib clean INPUT… -o OUTDIR --engine dask`) against the single-process clean.

A local cluster of 2 worker processes stands in for an existing cluster: every run goes through its
scheduler address, as `--address` does. Skipped when the distributed extra is not installed.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import polars as pl
import pytest

pytest.importorskip("distributed", reason="the distributed extra is not installed: "
                                          "pip install 'marketlib[distributed]' (make test installs it)")

from distributed import LocalCluster  # noqa: E402
from distributed.diagnostics.plugin import WorkerPlugin  # noqa: E402

from marketlib.cli import main  # noqa: E402
from marketlib.errors import UserError  # noqa: E402
from marketlib.scaleout import output  # noqa: E402
from marketlib.scaleout.dask_engine import clean_on_dask, require_dask  # noqa: E402
from marketlib.userclean import clean_frame, read_table  # noqa: E402
from tests.conftest import REPO, need  # noqa: E402
from tests.golden import corpus as golden  # noqa: E402


@pytest.fixture(scope="module")
def scheduler():
    """The address of a local cluster: 2 workers, separate processes, one task each at a time."""
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                      env={"POLARS_MAX_THREADS": "1"}) as cluster:
        yield cluster.scheduler_address


def _write_partitions(frame: pl.DataFrame, directory: Path, parts: int, *, csv_every: int = 0) -> list[Path]:
    """`frame` cut into `parts` files in order (every `csv_every`-th one as CSV, the others parquet)."""
    directory.mkdir(parents=True, exist_ok=True)
    size = -(-frame.height // parts)
    paths = []
    for n in range(parts):
        piece = frame.slice(n * size, size)
        if csv_every and n % csv_every == csv_every - 1:
            paths.append(directory / f"part-{n:03d}.csv")
            piece.write_csv(paths[-1])
        else:
            paths.append(directory / f"part-{n:03d}.parquet")
            piece.write_parquet(paths[-1])
    return paths


def _single_process(paths: list[Path], name: str) -> pl.DataFrame:
    """What the single-process `marketlib clean` makes of the partitions' rows as one table."""
    return clean_frame(pl.concat([read_table(p) for p in paths], how="vertical"), {}, name)


def _assert_same_output(outdir: Path, expected: pl.DataFrame) -> None:
    got = output.read_output(outdir)  # also checks every part's sha256 against the manifest
    assert got.columns == expected.columns
    assert got.height == expected.height
    assert got["posting_id"].to_list() == expected["posting_id"].to_list()
    assert got["is_duplicate"].to_list() == expected["is_duplicate"].to_list()
    assert got.equals(expected)


@pytest.fixture(scope="module")
def golden_table() -> pl.DataFrame:
    """Every real text behind the golden labels, with real location strings, and a repeat of some rows in
    later partitions: no source ids, so repeated content keys and fingerprints cross partitions."""
    texts = golden.corpus()
    if not texts:
        pytest.skip("no golden texts in the shared mirror")
    places = pl.read_csv(REPO / "tests" / "golden" / "locations.csv", infer_schema=False)["location_raw"]
    keys = sorted(texts)
    frame = pl.DataFrame({
        "corpus_key": keys,
        "title": [texts[k][0] or texts[k][1].split("|")[0][:80] for k in keys],
        "description": [texts[k][1] for k in keys],
        "location": [places[i % places.len()] for i in range(len(keys))],
        "company": [k.split(":")[0] for k in keys],
    })
    return pl.concat([frame, frame.head(60), frame.slice(100, 40)], how="vertical")


def test_golden_corpora_equal_single_process(project, tmp_path, scheduler, golden_table):
    paths = _write_partitions(golden_table, tmp_path / "golden", 5, csv_every=2)
    manifest = clean_on_dask([str(tmp_path / "golden")], tmp_path / "out", address=scheduler)
    expected = _single_process(paths, "golden")
    assert expected["is_duplicate"].sum() >= 100  # the repeated rows are flagged, across partitions
    _assert_same_output(tmp_path / "out", expected)
    assert manifest["rows"] == golden_table.height and manifest["workers"] == 2
    assert [p["rows"] for p in manifest["parts"]] == [read_table(p).height for p in paths]
    assert not list((tmp_path / "out").glob(".tmp-*"))  # staging is gone


@pytest.mark.slow
def test_200k_resampled_corpus_equals_single_process(project, tmp_path, scheduler):
    from benchmarks import corpus

    need(Path(os.environ["MARKETLIB_MIRROR_DIRS"]) / corpus.GLASSDOOR_FILE)
    frame = corpus.resample(corpus.real_pool(), 200_000)
    # Every tenth row loses its source id, so content keys repeat (within and across partitions) as well.
    frame = frame.with_columns(
        pl.when(pl.int_range(pl.len()) % 10 == 0).then(None).otherwise(pl.col("source_posting_id"))
        .alias("source_posting_id"))
    paths = _write_partitions(frame, tmp_path / "resampled", 8)
    clean_on_dask([str(tmp_path / "resampled" / "*.parquet")], tmp_path / "out", address=scheduler)
    expected = _single_process(paths, "resampled")
    assert expected["is_duplicate"].sum() > 100_000  # resampling with replacement: most rows repeat
    _assert_same_output(tmp_path / "out", expected)


class CrashOnce(WorkerPlugin):
    """Kills the worker process the first time it starts cleaning a partition (the marker file says so)."""

    def __init__(self, marker: str):
        self.marker = marker

    def setup(self, worker):
        self.worker = worker

    def transition(self, key, start, finish, **kwargs):
        name = key[0] if isinstance(key, tuple) else key
        if finish == "executing" and "clean-partition" in str(name) and not os.path.exists(self.marker):
            Path(self.marker).touch()
            os._exit(1)


def test_a_killed_worker_is_retried_and_the_output_is_the_same(project, tmp_path, golden_table):
    from distributed import Client

    paths = _write_partitions(golden_table, tmp_path / "in", 4)
    marker = tmp_path / "crashed"
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        client.register_plugin(CrashOnce(str(marker)))
        clean_on_dask([str(tmp_path / "in")], tmp_path / "out", address=cluster.scheduler_address)
    assert marker.exists()  # a worker did die mid-run
    _assert_same_output(tmp_path / "out", _single_process(paths, "in"))


def test_a_failed_run_leaves_the_previous_output_untouched(project, tmp_path, scheduler, golden_table):
    good = _write_partitions(golden_table, tmp_path / "good", 3)
    clean_on_dask([str(tmp_path / "good")], tmp_path / "out", address=scheduler)
    before = {p.name: p.read_bytes() for p in (tmp_path / "out").iterdir()}
    bad = _write_partitions(golden_table.head(50), tmp_path / "bad", 2)
    pl.DataFrame({"name": ["no title column here"]}).write_csv(tmp_path / "bad" / "part-009.csv")
    with pytest.raises(UserError, match="part-009.csv: Input has no column|part-009.csv: Input has no title"):
        clean_on_dask([str(tmp_path / "bad")], tmp_path / "out", address=scheduler)
    after = {p.name: p.read_bytes() for p in (tmp_path / "out").iterdir()}
    assert after == before  # same manifest, same parts, no staging left behind
    assert output.read_output(tmp_path / "out").height == sum(read_table(p).height for p in good)
    assert bad  # the two good partitions of the failed run were cleaned, then discarded


def test_cli_runs_against_an_existing_cluster(project, tmp_path, scheduler, golden_table, capsys):
    _write_partitions(golden_table.head(120), tmp_path / "in", 3)
    out = tmp_path / "out"
    main(["clean", str(tmp_path / "in" / "part-00*.parquet"), "-o", str(out), "--engine", "dask",
          "--address", scheduler])  # success: returns (sys.exit only on failure)
    manifest = json.loads((out / output.MANIFEST).read_text())
    assert manifest["rows"] == 120 and len(manifest["parts"]) == 3
    for part in manifest["parts"]:
        assert output.sha256_of(out / part["file"]) == part["sha256"]
        assert pl.read_parquet(out / part["file"]).height == part["rows"]
    assert "Cleaned 120 rows into 3 parts" in capsys.readouterr().out


@pytest.mark.parametrize("args, message", [
    (["--engine", "spark"], "Unknown engine 'spark'"),
    (["--address", "tcp://127.0.0.1:1"], "--address and --workers need --engine dask"),
    (["--engine", "dask", "--address", "tcp://127.0.0.1:1"], "Cannot reach the Dask scheduler"),
])
def test_cli_user_errors_are_one_sentence(project, tmp_path, capsys, args, message):
    given = tmp_path / "in.csv"
    pl.DataFrame({"title": ["Data Scientist"]}).write_csv(given)
    with pytest.raises(SystemExit) as exit_info:
        main(["clean", str(given), "-o", str(tmp_path / "out"), *args])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert not (tmp_path / "out" / output.MANIFEST).exists()


def test_missing_extra_is_a_clear_user_error(monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed -> ImportError
    with pytest.raises(UserError, match=r"pip install 'marketlib\[distributed\]'"):
        require_dask()


@pytest.mark.slow
def test_scaling_row_runs_end_to_end(project, tmp_path):
    from benchmarks import corpus, scaling

    need(Path(os.environ["MARKETLIB_MIRROR_DIRS"]) / corpus.GLASSDOOR_FILE)
    row = scaling.scaling_row(400, tmp_path / "corpora", partition_rows=100)
    assert "error" not in row["single"] and row["single"]["output_rows"] == 400
    assert [r["workers"] for r in row["dask"]] == [1, 2]
    for run in row["dask"]:
        assert "error" not in run, run.get("error")
        assert run["output_rows"] == 400 and run["parts"] == 4
        assert run["process_seconds"] > 0 and run["speedup_vs_single"] > 0


def test_partitions_of_directories_and_globs(tmp_path):
    from marketlib.scaleout.inputs import list_partitions

    for name in ("year=2025/b.parquet", "year=2024/a.csv", ".tmp-run-1/c.parquet", "_SUCCESS", "notes.txt"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x")
    assert [p.relative_to(tmp_path).as_posix() for p in list_partitions([str(tmp_path)])] == \
        ["year=2024/a.csv", "year=2025/b.parquet"]  # hidden, temp and non-table files are not partitions
    assert [p.name for p in list_partitions([str(tmp_path / "year=*" / "*.parquet")])] == ["b.parquet"]
    with pytest.raises(UserError, match="matches no file"):
        list_partitions([str(tmp_path / "*.jsonl")])
    with pytest.raises(UserError, match="use .parquet, .csv or .jsonl"):
        list_partitions([str(tmp_path / "notes.txt")])
