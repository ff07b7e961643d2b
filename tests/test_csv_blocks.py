"""csv_blocks: a CSV read block by block gives exactly what reading it whole gives, and never reads ahead."""

from __future__ import annotations

import pickle

import polars as pl
import pytest

from marketlib.csv_blocks import csv_frames, csv_ranges, first_row_end, last_row_end


def _tricky_table(rows: int) -> pl.DataFrame:
    """Quoted newlines, escaped quotes, CRLF inside fields, commas, non-ASCII text and empty fields."""
    return pl.DataFrame({
        "title": [f'ML "Engineer" {i}' if i % 3 else f"Data, Scientist {i}" for i in range(rows)],
        "description": [("line one\nline two\r\n" if i % 2 else "") + "é" * (i % 5) + f' said "{i}"'
                        for i in range(rows)],
        "company": [None if i % 7 == 0 else f"Acme {i}" for i in range(rows)],
    })


@pytest.mark.parametrize("block_bytes", [1, 7, 100, 4096, 1 << 20])
def test_blocks_equal_reading_the_whole_file(tmp_path, block_bytes):
    path = tmp_path / "t.csv"
    _tricky_table(500).write_csv(path)
    frames = list(csv_frames(path, block_bytes=block_bytes))
    assert pl.concat(frames).equals(pl.read_csv(path, infer_schema=False))


def test_a_last_row_without_newline_and_a_header_only_file(tmp_path):
    path = tmp_path / "t.csv"
    path.write_bytes(b'a,b\n1,"x\ny"\n2,z')
    assert pl.concat(list(csv_frames(path, block_bytes=3))).rows() == [("1", "x\ny"), ("2", "z")]
    path.write_bytes(b"a,b\n")
    assert list(csv_frames(path)) == []
    path.write_bytes(b"a,b")
    assert list(csv_frames(path)) == []


def test_a_row_ends_only_at_a_newline_outside_quotes():
    data = b'1,"a\n""b""\nc"\n2,d\n3,"e'
    assert first_row_end(data, 0, len(data)) == 14
    assert last_row_end(data, 0, len(data)) == 18
    assert first_row_end(data, 14, len(data)) == last_row_end(data, 14, len(data)) == 18
    assert last_row_end(data, 18, len(data)) == first_row_end(data, 18, len(data)) == 18  # no row ends
    assert last_row_end(b'a,"x\ny', 0, 7) == 0


def test_the_reader_does_not_run_ahead_of_its_consumer(tmp_path):
    """The next block is read only when the next range is asked for: memory stays one block's worth."""
    path = tmp_path / "t.csv"
    _tricky_table(20_000).write_csv(path)
    size = path.stat().st_size
    ranges = csv_ranges(path, block_bytes=size // 20)
    first = next(ranges)
    assert ranges.gi_frame.f_locals["fh"].tell() <= 2 * (size // 20)
    assert first().height + sum(r().height for r in ranges) == 20_000


def test_a_range_travels_to_another_process_as_a_few_numbers(tmp_path):
    path = tmp_path / "t.csv"
    _tricky_table(300).write_csv(path)
    ranges = list(csv_ranges(path, block_bytes=1000))
    assert len(ranges) > 5 and all(len(pickle.dumps(r)) < 400 for r in ranges)
    assert pl.concat([pickle.loads(pickle.dumps(r))() for r in ranges]).equals(pl.read_csv(path, infer_schema=False))
