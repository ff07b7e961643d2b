"""Frames of whole rows of a large CSV file, read block by block only when the cleaning asks for the next one.

polars' streaming reader (`scan_csv().collect_batches()`) parses ahead of a slow consumer and queues what it
parsed: cleaning a 1.7 GB file held half of it in memory. Here the reader never runs ahead, so memory is set by
the block size, not by the file. Blocks are read into one reused buffer and cut at the last row end, so each
byte is copied once on its way to polars.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import polars as pl

BLOCK_BYTES = 32 * 2**20
_NEWLINE, _QUOTE = b"\n", b'"'


def first_row_end(data: bytes | bytearray, start: int, end: int) -> int:
    """Offset just past the first complete row of data[start:end] (start is a row boundary), or `start`.

    A newline ends a row when an even number of quote characters precede it in the row: a quoted field may
    hold newlines, and an escaped quote ('""') keeps the parity."""
    pos, odd = start - 1, 0
    while True:
        nxt = data.find(_NEWLINE, pos + 1, end)
        if nxt < 0:
            return start
        odd ^= data.count(_QUOTE, pos + 1, nxt) & 1
        if not odd:
            return nxt + 1
        pos = nxt


def last_row_end(data: bytes | bytearray, start: int, end: int) -> int:
    """Offset just past the last complete row of data[start:end] (start is a row boundary), or `start`.

    One count of the quotes before the last newline, then back newline by newline through the last, unfinished
    row (a long quoted description holds many newlines) while the parity is odd."""
    pos = data.rfind(_NEWLINE, start, end)
    if pos < 0:
        return start
    odd = data.count(_QUOTE, start, pos) & 1
    while odd:
        prev = data.rfind(_NEWLINE, start, pos)
        if prev < 0:
            return start
        odd ^= data.count(_QUOTE, prev, pos) & 1
        pos = prev
    return pos + 1


@dataclass(frozen=True)
class CsvRange:
    """Whole rows of a CSV file, bytes [start, end), read as String columns named `names` (None: the range is
    the whole file, its header line included). Small and picklable: a worker process reads its own rows."""

    path: Path
    names: tuple[str, ...] | None
    start: int
    end: int

    def __call__(self) -> pl.DataFrame:
        if self.names is None:
            return pl.read_csv(self.path, infer_schema=False)
        with open(self.path, "rb") as fh:
            fh.seek(self.start)
            data = fh.read(self.end - self.start)
        return pl.read_csv(data, has_header=False, new_columns=list(self.names), infer_schema=False)


def csv_ranges(path: Path, *, block_bytes: int | None = None) -> Iterator[CsvRange]:
    """The data rows of a UTF-8 CSV file with a header line, as ranges of whole rows of about `block_bytes`.
    Only row ends are found here (one pass of newline and quote counts); the rows are parsed by whoever reads
    a range."""
    block_bytes = block_bytes or BLOCK_BYTES
    path = Path(path)
    size = path.stat().st_size
    if size <= block_bytes:  # one block: nothing to split
        if size:
            yield CsvRange(path, None, 0, size)
        return
    buf, held, names, offset = bytearray(block_bytes), 0, None, 0
    with open(path, "rb") as fh:
        while True:
            if len(buf) < held + block_bytes:  # a row longer than a block: the buffer grows
                buf.extend(bytes(held + block_bytes - len(buf)))
            got = fh.readinto(memoryview(buf)[held:held + block_bytes])
            held += got
            start = 0
            if names is None:
                start = first_row_end(buf, 0, held) if got else held
                if not start:  # the header line is longer than what was read so far (or the file is empty)
                    if got:
                        continue
                    return
                names = tuple(pl.read_csv(bytes(buf[:start]), infer_schema=False).columns)
            # At the end of the file the last row may lack its newline: what is left is one more row.
            end = last_row_end(buf, start, held) if got else held
            if end > start and (got or buf[start:end].strip()):
                yield CsvRange(path, names, offset + start, offset + end)
            buf[:held - end] = buf[end:held]  # the unfinished row moves to the front
            held -= end
            offset += end
            if not got:
                return


def csv_frames(path: Path, *, block_bytes: int | None = None) -> Iterator[pl.DataFrame]:
    """Every data row of a UTF-8 CSV file with a header line, as String columns, one block of rows at a time."""
    for rows in csv_ranges(path, block_bytes=block_bytes):
        frame = rows()
        if frame.height:
            yield frame
