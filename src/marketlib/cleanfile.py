"""The one bounded path of the postings cleaning, file to file: `marketlib clean`, the benchmarks and
`clean_postings_file` all run it (the cleaning itself, `clean.pipeline`, never touches files).

Pass 1 cleans a stream of raw chunks (`clean.pipeline.clean_partition`, in worker processes) into
uncompressed temporary Arrow part files, keeping in memory only their three short dedup key columns; pass 2
assigns ids and duplicate flags from the keys of all rows (`clean.dedup.assign_ids`); pass 3 streams the parts
into the target through `marketlib.atomic`, one row group (or CSV/JSON-lines block) per part. Peak memory is
set by the chunk size x cores.CLEAN_WORKERS (plus each worker's own start-up) and the keys, not by the texts
of the whole input.
"""

from __future__ import annotations

import itertools
import multiprocessing
import shutil
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from marketlib import cores, schemas
from marketlib.atomic import TMP_PREFIX, atomic_open, is_write_failure, write_error
from marketlib.clean import dedup
from marketlib.clean.pipeline import CHUNK_ROWS, attach_ids, clean_partition

DEFAULT_CHUNK_ROWS = CHUNK_ROWS
# One codec for every parquet target, whichever library writes it: fast to write, read back by any reader.
PARQUET_CODEC = "snappy"


# A raw chunk: a frame, or a small picklable reader of its rows (`ParquetSlice`, `csv_blocks.CsvRange`), so a
# worker process reads its own rows instead of receiving them through a pipe.
Chunk = pl.DataFrame | Callable[[], pl.DataFrame]


class UnreadableChunk(Exception):
    """A chunk's rows could not be read (a bad CSV line, text that is not UTF-8): the caller may read the input
    another way."""


@dataclass(frozen=True)
class ParquetSlice:
    """Rows [offset, offset + rows) of a parquet file."""

    path: Path
    offset: int
    rows: int

    def __call__(self) -> pl.DataFrame:
        return pl.scan_parquet(self.path).slice(self.offset, self.rows).collect()


def parquet_chunks(source: Path, rows: int) -> Iterator[ParquetSlice]:
    total = pl.scan_parquet(source).select(pl.len()).collect().item()
    for offset in range(0, total, rows):
        yield ParquetSlice(Path(source), offset, rows)


class _Writer:
    """Writes finished chunks into an open binary file as parquet, CSV or JSON lines (by the target's suffix).

    Parquet: a single chunk is written by polars; from the second on, pyarrow's ParquetWriter appends one row
    group per chunk (polars cannot append to an open file). So a small file never imports pyarrow (start-up)."""

    def __init__(self, fh, suffix: str) -> None:
        self.fh, self.suffix, self.parquet, self.schema = fh, suffix, None, None
        self.held: pl.DataFrame | None = None  # the first parquet chunk, until a second one comes

    def write(self, frame: pl.DataFrame) -> None:
        if self.suffix == ".parquet":
            if self.held is None and self.parquet is None:
                self.held = frame
                return
            if self.held is not None:
                self._append(self.held)
                self.held = None
            self._append(frame)
        elif self.suffix == ".csv":
            lists = [c for c, t in frame.schema.items() if isinstance(t, pl.List)]
            frame.with_columns(pl.col(c).list.join(";") for c in lists) \
                .write_csv(self.fh, include_header=self.schema is None)
            self.schema = frame.schema
        else:
            frame.write_ndjson(self.fh)
            self.schema = frame.schema

    def _append(self, frame: pl.DataFrame) -> None:
        import pyarrow.parquet as pq

        # Arrow string views share polars' buffers (no copy) and encode faster than large strings; the file
        # keeps no Arrow schema of its own, so readers see plain parquet strings (pandas cannot read views).
        table = frame.to_arrow(compat_level=pl.CompatLevel.newest())
        if self.parquet is None:
            self.schema = table.schema
            self.parquet = pq.ParquetWriter(self.fh, self.schema, compression=PARQUET_CODEC,
                                           store_schema=False)
        self.parquet.write_table(table if table.schema.equals(self.schema) else table.cast(self.schema))

    def close(self, empty: pl.DataFrame) -> None:
        if self.suffix == ".parquet" and self.parquet is None:
            (self.held if self.held is not None else empty).write_parquet(self.fh, compression=PARQUET_CODEC)
        elif self.schema is None and self.suffix == ".csv":
            self.write(empty)
        if self.parquet is not None:
            self.parquet.close()


def clean_chunks(chunks: Iterable[Chunk], target: Path, *, keep_extra: bool = False,
                 prepare: Callable[[pl.DataFrame], pl.DataFrame] | None = None,
                 finish: Callable[[pl.DataFrame], pl.DataFrame] | None = None) -> int:
    """Clean raw chunks into `target` (.parquet, .csv or .jsonl), bounded by the chunks' size; returns the rows.

    `prepare` turns an input chunk into raw postings (a user's column mapping; picklable, as it runs in the
    worker processes); `finish` checks or adjusts a finished chunk (the build validates it). The target appears
    atomically, or not at all. A chunk that cannot be read raises UnreadableChunk.
    """
    target = Path(target)
    work_dir = target.parent / f"{TMP_PREFIX}{target.name}.parts"
    try:
        _staged(lambda: work_dir.mkdir(parents=True, exist_ok=True), target)
        cleaned = list(_cleaned_parts(chunks, work_dir, target, prepare, keep_extra))
        ids = dedup.assign_ids(pl.concat([keys for _, keys in cleaned])) if cleaned else pl.DataFrame()
        with atomic_open(target) as fh:
            writer = _Writer(fh, target.suffix.lower())
            for finished in _finished_parts([(path, keys.height) for path, keys in cleaned], ids, finish):
                writer.write(finished)
                del finished
            writer.close(schemas.empty("postings"))
        return ids.height
    finally:
        shutil.rmtree(work_dir, ignore_errors=True)


def _finished_parts(parts: list[tuple[Path, int]], ids: pl.DataFrame,
                    finish: Callable[[pl.DataFrame], pl.DataFrame] | None) -> Iterator[pl.DataFrame]:
    """Each part file (path, rows) read back with its rows' ids and `finish`ed, in order, prepared in a thread one
    part ahead of the writer: reading a part overlaps encoding the one before (at most two finished parts held).
    """
    def load(path: Path, offset: int, rows: int) -> pl.DataFrame:
        finished = attach_ids(pl.read_ipc(path), ids.slice(offset, rows))
        return finish(finished) if finish else finished

    with ThreadPoolExecutor(max_workers=1) as pool:
        pending: deque[Future] = deque()
        offset = 0
        for path, rows in parts:
            pending.append(pool.submit(load, path, offset, rows))
            offset += rows
            if len(pending) == 2:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


def _clean_to_part(n: int, chunk: Chunk, prepare: Callable[[pl.DataFrame], pl.DataFrame] | None,
                   work_dir: Path, target: Path, keep_extra: bool) -> tuple[Path, pl.DataFrame]:
    """One raw chunk read, `prepare`d, cleaned (`clean_partition`) and written to its part file; returns the path
    and the chunk's dedup keys. Runs in a worker process."""
    if callable(chunk):
        try:
            chunk = chunk()
        except (pl.exceptions.PolarsError, ValueError) as exc:
            raise UnreadableChunk(str(exc)) from None
    part = clean_partition(prepare(chunk) if prepare else chunk, keep_extra=keep_extra)
    path = work_dir / f"part-{n:05d}.arrow"
    # A full disk here is the target's error, in one sentence.
    _staged(lambda: part.drop(dedup.KEY_COLUMNS).write_ipc(path, compression="uncompressed"), target)
    return path, part.select(dedup.KEY_COLUMNS)


def _cleaned_parts(chunks: Iterable[Chunk], work_dir: Path, target: Path,
                   prepare: Callable[[pl.DataFrame], pl.DataFrame] | None,
                   keep_extra: bool) -> Iterator[tuple[Path, pl.DataFrame]]:
    """Each chunk cleaned into a part file (`_clean_to_part`), yielded with its dedup keys in input order.

    One chunk is cleaned here (a small file starts fast). More go to cores.CLEAN_WORKERS worker processes, each
    on its share of the cores: threads of one process queue on polars' one thread pool (two chunks in two
    threads ran on 1.4 of 2 cores), and a bigger pool under each thread burns CPU waiting
    (`cores.share_cores_between_workers`). Chunks that are readers are read by the workers themselves; a
    frame is sent to them. At most cores.CLEAN_WORKERS chunks are in flight.

    Parts are uncompressed Arrow IPC: written and read back once, soon, at memory speed (parquet encoding
    cost ~0.6 s per 25k-row part)."""
    chunks = iter(chunks)
    first = next(chunks, None)
    second = next(chunks, None) if first is not None else None
    if second is None:
        if first is not None:
            yield _clean_to_part(0, first, prepare, work_dir, target, keep_extra)
        return
    # Spawned, not forked: a fork would copy polars' thread pool in an unknown state.
    pool = ProcessPoolExecutor(max_workers=cores.CLEAN_WORKERS, mp_context=multiprocessing.get_context("spawn"),
                               initializer=cores.share_cores_between_workers)
    try:
        pending: deque[Future] = deque()
        queue = itertools.chain((first, second), chunks)
        first = second = None  # the queue holds them until they are sent
        for n, chunk in enumerate(queue):
            if len(pending) == cores.CLEAN_WORKERS:
                yield pending.popleft().result()
            pending.append(pool.submit(_clean_to_part, n, chunk, prepare, work_dir, target, keep_extra))
            del chunk
        while pending:
            yield pending.popleft().result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _staged(write: Callable[[], object], target: Path) -> None:
    try:
        write()
    except Exception as exc:
        if is_write_failure(exc):
            raise write_error(target, exc) from exc
        raise


def clean_postings_file(source: Path, target: Path, *, chunk_rows: int = DEFAULT_CHUNK_ROWS) -> int:
    """Clean a parquet file of raw postings into a validated parquet `postings` file with bounded memory."""
    return clean_chunks(parquet_chunks(Path(source), chunk_rows), Path(target),
                        finish=lambda frame: schemas.validate("postings", frame))
