"""Scaling row: the same resampled corpus cleaned single-process and on a local Dask cluster of 1 and 2 workers.

Single-process is `clean_postings_file` in a fresh process (benchmarks/run.py's `marketlib` worker). The Dask
runs time the command users run, as a process, start-up of the local cluster included:
`marketlib clean <partitions dir> -o <outdir> --engine dask --workers N`. The corpus is cut into parquet
partitions of `PARTITION_ROWS` rows (one task each). Wall seconds are compared; CPU seconds (the command and
every worker process it waited for) say how much of a wall-time gap is the shared machine.

    .venv/bin/python benchmarks/scaling.py --size 1m      # also run by `make bench` (benchmarks/run.py)
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

import polars as pl  # noqa: E402

from benchmarks import corpus  # noqa: E402

PARTITION_ROWS = 50_000
WORKER_COUNTS = (1, 2)
TIMEOUT_SECONDS = 3600


def partition_corpus(corpus_file: Path, rows_per_part: int = PARTITION_ROWS) -> Path:
    """The corpus cut into parquet partitions beside it (cached: reused while the corpus file is unchanged)."""
    directory = corpus_file.with_name(f"{corpus_file.stem}.parts-{rows_per_part}")
    if directory.is_dir() and (directory / "_COMPLETE").is_file():
        return directory
    shutil.rmtree(directory, ignore_errors=True)
    tmp = Path(tempfile.mkdtemp(prefix=".tmp-parts-", dir=corpus_file.parent))
    frame = pl.read_parquet(corpus_file)
    for n, offset in enumerate(range(0, frame.height, rows_per_part)):
        frame.slice(offset, rows_per_part).write_parquet(tmp / f"part-{n:05d}.parquet")
    (tmp / "_COMPLETE").touch()  # underscore files are not partitions
    os.replace(tmp, directory)
    return directory


def _children_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def time_dask(parts_dir: Path, workers: int) -> dict:
    """`marketlib clean DIR -o OUT --engine dask --workers N` as a process: wall and CPU seconds."""
    marketlib = Path(sys.executable).with_name("marketlib")
    with tempfile.TemporaryDirectory(dir=parts_dir.parent) as out_dir:
        cmd = [str(marketlib), "clean", str(parts_dir), "-o", out_dir, "--engine", "dask", "--workers", str(workers)]
        load_before = round(os.getloadavg()[0], 2)
        started, cpu = time.perf_counter(), _children_cpu_seconds()
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=TIMEOUT_SECONDS, cwd=REPO)
        seconds, cpu_seconds = time.perf_counter() - started, _children_cpu_seconds() - cpu
        if proc.returncode != 0:
            tail = (proc.stderr or proc.stdout).strip().splitlines()[-1:]
            return {"workers": workers, "error": f"exit {proc.returncode}: " + " | ".join(tail)}
        manifest = json.loads((Path(out_dir) / "manifest.json").read_text())
    return {"workers": workers, "process_seconds": seconds, "cpu_seconds": cpu_seconds,
            "output_rows": manifest["rows"], "parts": len(manifest["parts"]),
            "load_average_1min_before": load_before, "load_average_1min_after": round(os.getloadavg()[0], 2)}


def scaling_row(rows: int, corpora_dir: Path = corpus.CORPORA_DIR, partition_rows: int = PARTITION_ROWS) -> dict:
    """Single-process vs 1 and 2 local Dask workers on `rows` resampled postings, with the ratios."""
    from benchmarks import run

    corpus_file = corpus.build_corpus(rows, corpora_dir)
    parts_dir = partition_corpus(corpus_file, partition_rows)
    print(f"scaling: single process on {rows:,} rows ...", flush=True)
    single = run.spawn("marketlib", corpus_file)
    row = {"rows": rows, "partition_rows": partition_rows, "cores": os.cpu_count(), "single": single, "dask": []}
    for workers in WORKER_COUNTS:
        print(f"scaling: dask, {workers} local worker(s), on {rows:,} rows ...", flush=True)
        row["dask"].append(time_dask(parts_dir, workers))
    base = single.get("process_seconds")
    for run_ in row["dask"]:
        if base and run_.get("process_seconds"):
            run_["speedup_vs_single"] = round(base / run_["process_seconds"], 3)
            run_["rows_per_second"] = round(rows / run_["process_seconds"], 1)
            run_["rows_per_second_per_core"] = round(rows / run_["process_seconds"] / min(
                run_["workers"], os.cpu_count() or 1), 1)
    timed = {r["workers"]: r.get("process_seconds") for r in row["dask"]}
    if timed.get(1) and timed.get(2):
        row["speedup_2_vs_1_workers"] = round(timed[1] / timed[2], 3)
    return row


def print_row(row: dict) -> None:
    print(f"\nscaling on {row['rows']:,} rows ({row['partition_rows']:,}-row partitions, {row['cores']} cores)")
    print(f"{'run':<22}{'wall s':>9}{'CPU s':>9}{'rows/s':>10}{'vs single':>11}")
    single = row["single"]
    if "error" in single:
        print(f"{'single process':<22} error: {single['error']}")
    else:
        print(f"{'single process':<22}{single['process_seconds']:>9.1f}{single.get('cpu_seconds', 0):>9.1f}"
              f"{row['rows'] / single['process_seconds']:>10,.0f}{1.0:>10.2f}x")
    for r in row["dask"]:
        label = f"dask, {r['workers']} worker(s)"
        if "error" in r:
            print(f"{label:<22} error: {r['error']}")
            continue
        print(f"{label:<22}{r['process_seconds']:>9.1f}{r['cpu_seconds']:>9.1f}"
              f"{r.get('rows_per_second', 0):>10,.0f}{r.get('speedup_vs_single', 0):>10.2f}x")
    if "speedup_2_vs_1_workers" in row:
        print(f"2 workers vs 1: {row['speedup_2_vs_1_workers']:.2f}x")


def main(argv: list[str] | None = None) -> dict:
    from benchmarks import run
    from marketlib.atomic import atomic_write_text

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", default="1m", help="rows (default 1m)")
    parser.add_argument("--corpora-dir", default=str(corpus.CORPORA_DIR))
    parser.add_argument("--results-dir", default=str(run.RESULTS_DIR))
    args = parser.parse_args(argv)
    row = scaling_row(run.parse_sizes(args.size)[0], Path(args.corpora_dir))
    row["machine"] = run.machine()
    print_row(row)
    out = Path(args.results_dir) / f"scaling-{time.strftime('%Y-%m-%d')}-{row['rows']}.json"
    atomic_write_text(out, json.dumps(row, indent=2) + "\n")
    print(f"results written to {out}")
    return row


if __name__ == "__main__":
    main()
