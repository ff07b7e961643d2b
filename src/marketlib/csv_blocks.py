"""Frames of whole rows of a large CSV file, read block by block only when the cleaning asks for the next one.

polars' streaming reader (`scan_csv().collect_batches()`) parses ahead of a slow consumer and queues what it
parsed: cleaning a 1.7 GB file held half of it in memory. Here the reader never runs ahead, so memory is set by
the block size, not by the file.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import polars as pl

if TYPE_CHECKING:
    import numpy as np

BLOCK_BYTES = 32 * 2**20


def row_ends(data: bytes) -> np.ndarray:
    """Offsets just past each complete row of `data`, which starts at a row boundary.

    A newline ends a row when an even number of quote characters precede it: a quoted field may hold newlines,
    and an escaped quote ('""') keeps the parity.
    """
    import numpy as np  # here, not at import: a file of one block never needs it (start-up)

    octets = np.frombuffer(data, dtype=np.uint8)
    newlines = np.flatnonzero(octets == ord("\n"))
    quotes = np.flatnonzero(octets == ord('"'))
    return newlines[np.searchsorted(quotes, newlines) % 2 == 0] + 1


def csv_frames(path: Path, *, block_bytes: int | None = None) -> Iterator[pl.DataFrame]:
    """Every data row of a UTF-8 CSV file with a header line, as String columns, one block of rows at a time."""
    block_bytes = block_bytes or BLOCK_BYTES
    size = Path(path).stat().st_size
    if size <= block_bytes:  # one block: nothing to split
        frame = pl.read_csv(path, infer_schema=False) if size else None
        if frame is not None and frame.height:
            yield frame
        return
    header, pending = b"", b""
    with open(path, "rb") as fh:
        while True:
            block = fh.read(block_bytes)
            pending += block
            ends = row_ends(pending)
            if not header:
                if not ends.size and block:
                    continue
                cut = int(ends[0]) if ends.size else len(pending)
                header, pending, ends = pending[:cut], pending[cut:], ends[1:] - cut
            # At the end of the file the last row may lack its newline: what is left is one more row.
            end = (int(ends[-1]) if ends.size else 0) if block else len(pending)
            if end and (block or pending.strip()):
                yield pl.read_csv(header + pending[:end], infer_schema=False)
            pending = pending[end:]
            if not block:
                return
