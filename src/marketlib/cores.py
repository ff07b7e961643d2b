"""How the cleaning shares the machine's cores between its own workers and polars' thread pool.

No polars import here: polars sizes its pool once, when it is first imported, from POLARS_MAX_THREADS.
"""

from __future__ import annotations

import os
import sys


def available_cores() -> int:
    """The cores this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


# Chunks the file-to-file cleaning (`marketlib.cleanfile`) cleans at once, in worker processes: the cores, at
# most two, so peak memory stays bounded (each worker holds one chunk and its own start-up, ~0.5 GB).
CLEAN_WORKERS = int(os.environ.get("MARKETLIB_CLEAN_WORKERS", 0)) or min(2, available_cores())


def polars_threads_per_worker(workers: int) -> int:
    """Polars threads per worker, so that workers x threads is the cores."""
    return max(1, available_cores() // workers)


def share_cores_between_workers() -> None:
    """Give polars one cleaning worker's share of the cores, here and in the worker processes the cleaning
    starts (they inherit it); call before polars is imported.

    The cleaning runs CLEAN_WORKERS chunks at once; a full-size polars pool under each of them oversubscribes
    the cores. Measured with the workers as threads, 100k rows through `marketlib clean` on 2 cores: 28.9 s CPU
    and 578k context switches with 2 polars threads each, 23.5 s and 20k with 1; the whole `marketlib build`
    of the mirror: 46.5 -> 38.9 s CPU, wall 43.4 -> 38.8 s. A POLARS_MAX_THREADS set by the user wins; once
    polars is imported (a library caller) nothing changes."""
    if "polars" not in sys.modules:
        os.environ.setdefault("POLARS_MAX_THREADS", str(polars_threads_per_worker(CLEAN_WORKERS)))
    # numpy (imported by pyarrow) starts one OpenBLAS thread per core that spins for work it never gets
    # here (~1% of a `marketlib clean` run's CPU); the cleaning does no linear algebra.
    if "numpy" not in sys.modules:
        os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
