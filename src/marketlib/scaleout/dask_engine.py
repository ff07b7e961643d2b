"""The scale-out task graph on Dask distributed.

1. One task per input partition: read it, `clean_partition` it (every row-local step), stage the cleaned rows
   in OUTDIR's staging directory, hand on the short dedup key columns with each row's table order.
2. Shuffle the keys by `_key` and number repeated keys (`dedup.with_posting_ids`), then by `_fp` and flag the
   later postings of each fingerprint (`dedup.with_duplicate_flags`): the same functions the single-process
   path runs on the whole table, each on groups that the shuffle keeps whole.
3. Shuffle the ids back by partition; one task per partition attaches them and writes the finished part.
A worker that dies is replaced and its tasks rerun by Dask (staged files are rewritten whole, so a rerun is
harmless); the parts become visible only at the commit, manifest last (`scaleout.output`).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import polars as pl

from marketlib import schemas
from marketlib.atomic import write_parquet_atomic
from marketlib.clean import dedup
from marketlib.clean.pipeline import attach_ids, clean_partition
from marketlib.cores import available_cores, polars_threads_per_worker
from marketlib.errors import UserError
from marketlib.scaleout import output
from marketlib.scaleout.inputs import dataset_name, list_partitions

# A row's table order across partitions: partition index in the high bits, row within it in the low ones.
_ROW_BITS = 32
_KEYS_SCHEMA = {"_order": pl.Int64, "_key": pl.String, "_fp": pl.String, "_posted": pl.Date}
_IDS_SCHEMA = {"_order": pl.Int64, "_fp": pl.String, "_posted": pl.Date, "posting_id": pl.String}
_FLAGS_SCHEMA = {"_order": pl.Int64, "_part": pl.Int64, "posting_id": pl.String, "is_duplicate": pl.Boolean}
_ENTRY_SCHEMA = {"index": pl.Int64, "entry": pl.String}


def require_dask() -> None:
    try:
        import dask.dataframe  # noqa: F401
        import distributed  # noqa: F401
    except ImportError:
        raise UserError("--engine dask needs the distributed extra: pip install 'marketlib[distributed]'.") \
            from None


def _pandas(frame: pl.DataFrame):
    # Arrow-backed columns: the long key strings cross to pandas and through the shuffle without copies.
    return frame.to_pandas(use_pyarrow_extension_array=True)


def _meta(schema: dict[str, pl.DataType]):
    return _pandas(pl.DataFrame(schema=schema))


def _polars(frame, schema: dict[str, pl.DataType]) -> pl.DataFrame:
    return schemas.conform(pl.from_pandas(frame), schema)


def _clean_to_staging(index: int, path: str, *, staging_root: str, mapping: dict[str, str], name: str):
    from marketlib.userclean import raw_postings, read_table

    try:
        raw = raw_postings(read_table(Path(path)), mapping, name)
    except UserError as exc:  # "Input has no column ..." -> name the partition
        raise UserError(f"{path}: {exc}") from None
    part = clean_partition(raw, keep_extra=True)
    write_parquet_atomic(part.drop(dedup.KEY_COLUMNS), output.Staging(Path(staging_root)).work_file(index))
    order = (pl.lit(index, pl.Int64) * (1 << _ROW_BITS) + pl.int_range(pl.len(), dtype=pl.Int64)).alias("_order")
    return _pandas(schemas.conform(part.select(order, *dedup.KEY_COLUMNS), _KEYS_SCHEMA))


def _ids_of_key_groups(frame):
    work = _polars(frame, _KEYS_SCHEMA).sort("_order")  # with_posting_ids numbers repeats in table order
    return _pandas(dedup.with_posting_ids(work).select(list(_IDS_SCHEMA)))


def _flags_of_fingerprint_groups(frame):
    flagged = dedup.with_duplicate_flags(_polars(frame, _IDS_SCHEMA))
    part = (pl.col("_order") // (1 << _ROW_BITS)).alias("_part")
    return _pandas(flagged.select("_order", part, "posting_id", "is_duplicate"))


def _finish_part(staging_root: str, index: int, ids: pl.DataFrame) -> dict:
    staging = output.Staging(Path(staging_root))
    part = pl.read_parquet(staging.work_file(index))
    ids = ids.sort("_order").select("posting_id", "is_duplicate")
    if ids.height != part.height:
        raise RuntimeError(f"partition {index}: {part.height} rows but {ids.height} ids after the shuffle")
    finished = attach_ids(part, ids)
    schemas.validate("postings", finished)
    return {"index": index, **output.write_part(finished, staging.part_file(index))}


def _write_part_groups(frame, staging_root: str):
    import json

    ids = _polars(frame, _FLAGS_SCHEMA)
    entries = [{"index": index, "entry": json.dumps(_finish_part(staging_root, index, group))}
               for (index,), group in ids.group_by("_part")]
    return _pandas(pl.DataFrame(entries, schema=_ENTRY_SCHEMA))


def _run_graph(client, partitions: list[Path], staging: output.Staging, mapping: dict[str, str],
               name: str) -> list[dict]:
    import json

    import dask.dataframe as dd

    root = str(staging.root)
    keys = dd.from_map(_clean_to_staging, list(range(len(partitions))), [str(p) for p in partitions],
                       staging_root=root, mapping=mapping, name=name, meta=_meta(_KEYS_SCHEMA),
                       enforce_metadata=False, label="clean-partition")
    ids = keys.shuffle(on="_key").map_partitions(_ids_of_key_groups, meta=_meta(_IDS_SCHEMA))
    flags = ids.shuffle(on="_fp").map_partitions(_flags_of_fingerprint_groups, meta=_meta(_FLAGS_SCHEMA))
    written = flags.shuffle(on="_part").map_partitions(_write_part_groups, root, meta=_meta(_ENTRY_SCHEMA))
    entries = {int(i): json.loads(e) for i, e in client.compute(written).result().itertuples(index=False)}
    # A partition without rows sends nothing through the shuffles: it is finished on its own.
    empty_ids = pl.DataFrame(schema={"_order": pl.Int64, "posting_id": pl.String, "is_duplicate": pl.Boolean})
    missing = [i for i in range(len(partitions)) if i not in entries]
    for entry in client.gather([client.submit(_finish_part, root, i, empty_ids, pure=False) for i in missing]):
        entries[entry["index"]] = entry
    return [entries[i] for i in range(len(partitions))]


@contextlib.contextmanager
def connect(address: str | None, workers: int | None) -> Iterator:
    """A client of the scheduler at `address`, else of a local cluster of `workers` processes."""
    from distributed import Client, LocalCluster

    if address:
        try:
            client = Client(address, timeout="20s")
        except (OSError, TimeoutError) as exc:
            raise UserError(f"Cannot reach the Dask scheduler at {address}: {exc}.") from None
        with client:
            yield client
        return
    workers = workers or available_cores()
    # One task at a time per worker process; polars' own threads share the cores among the workers.
    env = {"POLARS_MAX_THREADS": str(polars_threads_per_worker(workers))}
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None,
                      env=env) as cluster, Client(cluster) as client:
        yield client


def clean_on_dask(inputs: list[str], outdir: Path, mapping_items: list[str] | None = None, *,
                  address: str | None = None, workers: int | None = None) -> dict:
    """Clean partitioned inputs on Dask into OUTDIR (parts + manifest); returns the manifest."""
    from marketlib.userclean import parse_mapping

    require_dask()
    partitions = list_partitions(inputs)
    outdir = Path(outdir).resolve()
    inside = [p for p in partitions if outdir in p.parents]
    if inside:
        raise UserError(f"The input {inside[0]} is inside the output directory {outdir}; choose another one.")
    mapping = parse_mapping(mapping_items or [])
    name = dataset_name(inputs, partitions)
    staging = output.Staging.create(outdir)
    try:
        with connect(address, workers) as client:
            parts = _run_graph(client, partitions, staging, mapping, name)
            details = {"engine": "dask", "workers": len(client.scheduler_info()["workers"]), "dataset": name}
        return output.commit(outdir, staging, parts, partitions, details)
    finally:
        staging.discard()
