"""Frames of whole rows of a large CSV file, read block by block only when the cleaning asks for the next one.

polars' streaming reader (`scan_csv().collect_batches()`) parses ahead of a slow consumer and queues what it
parsed: cleaning a 1.7 GB file held half of it in memory. Here the reader never runs ahead, so memory is set by
the block size, not by the file. Blocks are read into one reused buffer and cut at the last row end, so each
byte is copied once on its way to polars.
"""

from __future__ import annotations

from collections.abc import Iterator
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


def csv_frames(path: Path, *, block_bytes: int | None = None) -> Iterator[pl.DataFrame]:
    """Every data row of a UTF-8 CSV file with a header line, as String columns, one block of rows at a time."""
    block_bytes = block_bytes or BLOCK_BYTES
    size = Path(path).stat().st_size
    if size <= block_bytes:  # one block: nothing to split
        frame = pl.read_csv(path, infer_schema=False) if size else None
        if frame is not None and frame.height:
            yield frame
        return
    buf, held, names = bytearray(block_bytes), 0, None
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
                names = pl.read_csv(bytes(buf[:start]), infer_schema=False).columns
            # At the end of the file the last row may lack its newline: what is left is one more row.
            end = last_row_end(buf, start, held) if got else held
            if end > start and (got or buf[start:end].strip()):
                yield pl.read_csv(bytes(memoryview(buf)[start:end]), has_header=False, new_columns=names,
                                  infer_schema=False)
            buf[:held - end] = buf[end:held]  # the unfinished row moves to the front
            held -= end
            if not got:
                return
