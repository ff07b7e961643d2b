"""Did a change make `marketlib clean` slower? The CLI as a process on one resampled corpus file, an earlier
checkout's source against this one's, interleaved (A B A B ...) so both see the same machine load.

    git worktree add /tmp/base <commit>
    python benchmarks/ab.py --base-src /tmp/base/src --rows 100k --repeat 3

Prints every run and the best CPU and wall seconds of each side, checks that both wrote the same rows, and
writes the result to benchmarks/results/ab-<date>-<rows>.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:  # run as a script: make `benchmarks` importable as a package
    sys.path.insert(0, str(REPO))

import polars as pl  # noqa: E402

from benchmarks import corpus  # noqa: E402
from benchmarks.cli import RESULTS_DIR, measure, perturbed_corpus  # noqa: E402
from benchmarks.run import parse_sizes  # noqa: E402
from marketlib.atomic import atomic_write_text  # noqa: E402


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-src", required=True, help="the earlier checkout's src/ directory")
    parser.add_argument("--rows", default="100k")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    (rows,) = parse_sizes(args.rows)
    sides = {"base": str(Path(args.base_src).resolve()), "head": str(REPO / "src")}
    corpus.CORPORA_DIR.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        csv = work / "postings.csv"
        pl.read_parquet(perturbed_corpus(rows, corpus.CORPORA_DIR)).write_csv(csv)
        runs: dict[str, list[dict]] = {name: [] for name in sides}
        for _ in range(args.repeat):
            for name, src in sides.items():
                env = {**os.environ, "PYTHONPATH": src}  # ahead of the installed package
                run = measure([sys.executable, "-m", "marketlib.cli", "clean", str(csv), "-o",
                               str(work / f"{name}.parquet")], env=env)
                runs[name].append(run)
                print(name, run, flush=True)
        heights = {name: pl.scan_parquet(work / f"{name}.parquet").select(pl.len()).collect().item()
                   for name in sides}
    best = {name: {"cpu_seconds": min(r["cpu_seconds"] for r in rs), "wall_seconds": min(r["wall_seconds"] for r in rs)}
            for name, rs in runs.items()}
    result = {"date": dt.date.today().isoformat(), "rows": rows, "sources": sides, "runs": runs, "best": best,
              "output_rows": heights,
              "cpu_ratio": round(best["head"]["cpu_seconds"] / best["base"]["cpu_seconds"], 3),
              "wall_ratio": round(best["head"]["wall_seconds"] / best["base"]["wall_seconds"], 3)}
    print(f"head / base: CPU {result['cpu_ratio']}, wall {result['wall_ratio']}; rows written {heights}")
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    atomic_write_text(RESULTS_DIR / f"ab-{result['date']}-{rows}.json", json.dumps(result, indent=2) + "\n")
    return result


if __name__ == "__main__":
    main()
