"""The before/after table comparison used to show that a refactoring changed no processed table."""

from __future__ import annotations

import polars as pl

from benchmarks import compare_tables


def _write(directory, **tables):
    directory.mkdir()
    for name, frame in tables.items():
        frame.write_parquet(directory / f"{name}.parquet")


def test_row_order_does_not_matter_but_values_do(tmp_path, capsys):
    before = pl.DataFrame({"posting_id": ["a", "b", "c"], "region": ["PA", "CA", None],
                           "skills": [["sql"], [], None]})
    _write(tmp_path / "before", postings=before)
    _write(tmp_path / "same", postings=before.reverse())
    _write(tmp_path / "after", postings=before.with_columns(pl.Series("region", ["IL", "CA", None])))

    assert compare_tables.main([str(tmp_path / "before"), str(tmp_path / "same")]) == 0
    assert "postings" in capsys.readouterr().out
    assert compare_tables.main([str(tmp_path / "before"), str(tmp_path / "after")]) == 1
    assert "region: 1 rows differ" in capsys.readouterr().out
    # a known, explained difference is accepted up to the stated number of rows, and only in that column
    assert compare_tables.main([str(tmp_path / "before"), str(tmp_path / "after"),
                                "--ignore", "postings.region:1"]) == 0
    assert compare_tables.main([str(tmp_path / "before"), str(tmp_path / "after"),
                                "--ignore", "postings.skills:5"]) == 1


def test_a_lost_row_is_a_difference(tmp_path, capsys):
    frame = pl.DataFrame({"area_code": ["1", "2"], "employment": [10, 20]})
    _write(tmp_path / "before", professionals=frame)
    _write(tmp_path / "after", professionals=frame.head(1))
    assert compare_tables.main([str(tmp_path / "before"), str(tmp_path / "after")]) == 1
    assert "rows 2 -> 1" in capsys.readouterr().out
