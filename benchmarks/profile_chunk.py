"""Where one worker of `marketlib clean` spends its time: a pyinstrument profile of `clean_partition` on one
25k-row chunk of the perturbed benchmark corpus (the first rows of its 100k file), on one polars thread as a
worker runs. Written to benchmarks/results/profile-clean-partition-<date>-25000.txt.

    .venv/bin/python benchmarks/profile_chunk.py
"""

from __future__ import annotations

import os
import subprocess
import sys

os.environ.setdefault("POLARS_MAX_THREADS", "1")  # before polars is imported, as in a worker process

import datetime as dt  # noqa: E402
from pathlib import Path  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:  # run as a script: make `benchmarks` importable as a package
    sys.path.insert(0, str(REPO))

import polars as pl  # noqa: E402
from pyinstrument import Profiler  # noqa: E402

from benchmarks import cli, corpus  # noqa: E402
from marketlib.atomic import atomic_write_text  # noqa: E402
from marketlib.clean.pipeline import CHUNK_ROWS, clean_partition  # noqa: E402


def main() -> Path:
    chunk = pl.read_parquet(cli.perturbed_corpus(100_000, corpus.CORPORA_DIR)).head(CHUNK_ROWS)
    clean_partition(chunk.head(200))  # dictionaries and gazetteers loaded before the profile starts
    profiler = Profiler(interval=0.002)
    profiler.start()
    clean_partition(chunk)
    profiler.stop()
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True,
                            text=True).stdout.strip()
    out = cli.RESULTS_DIR / f"profile-clean-partition-{dt.date.today().isoformat()}-{CHUNK_ROWS}.txt"
    atomic_write_text(out, f"# clean_partition on {CHUNK_ROWS:,} perturbed benchmark rows, one polars thread, "
                           f"pyinstrument 2 ms, commit {commit}\n"
                      + profiler.output_text(unicode=True, color=False, show_all=False))
    return out


if __name__ == "__main__":
    print(main())
