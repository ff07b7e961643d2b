"""The cleaning commands give polars each worker's share of the cores, unless the user chose otherwise."""

import os
import subprocess
import sys

PROBE = ("from marketlib import cores; cores.share_cores_between_workers(); import polars as pl; "
         "print(pl.thread_pool_size(), cores.polars_threads_per_worker(cores.CLEAN_WORKERS))")


def _probe(**env: str) -> list[int]:
    clean_env = {k: v for k, v in os.environ.items() if k not in ("POLARS_MAX_THREADS", "MARKETLIB_CLEAN_WORKERS")}
    out = subprocess.run([sys.executable, "-c", PROBE], env={**clean_env, **env}, capture_output=True, text=True,
                         check=True).stdout
    return [int(x) for x in out.split()]


def test_polars_pool_is_the_workers_share_of_the_cores():
    pool, share = _probe(MARKETLIB_CLEAN_WORKERS="1")
    assert share == cores_available() and pool == share
    pool, share = _probe(MARKETLIB_CLEAN_WORKERS=str(cores_available() + 1))
    assert share == 1 and pool == 1


def test_a_users_polars_threads_setting_wins():
    pool, _ = _probe(POLARS_MAX_THREADS="3", MARKETLIB_CLEAN_WORKERS="4")
    assert pool == 3


def test_nothing_changes_once_polars_is_imported(monkeypatch):
    import polars  # noqa: F401

    from marketlib import cores

    monkeypatch.delenv("POLARS_MAX_THREADS", raising=False)
    cores.share_cores_between_workers()
    assert "POLARS_MAX_THREADS" not in os.environ


def cores_available() -> int:
    from marketlib.cores import available_cores

    return available_cores()
