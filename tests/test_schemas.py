import datetime as dt

import polars as pl
import pytest

from marketlib import schemas
from marketlib.errors import SchemaError


def _professionals(**overrides):
    row = {"area_code": "0041860", "area_type": "msa", "area_name": "San Francisco-Oakland-Fremont, CA",
           "metro_code": "41860", "soc_code": "15-2051", "occupation_name": "Data Scientists",
           "employment": 100, "annual_median_wage_usd": 150000.0, "year": 2025, "source": "oews",
           "snapshot_id": "oews/2026-11-29/x"}
    row.update(overrides)
    return schemas.conform(pl.DataFrame([row]), schemas.schema("professionals"))


def test_every_column_defined_once_with_meaning():
    names = [c.name for c in schemas.COLUMN_DEFINITIONS]
    assert sorted(n for n in set(names) if names.count(n) > 1) == []
    assert len(schemas.COLUMNS) == len(schemas.COLUMN_DEFINITIONS)
    for table, cols in schemas.TABLES.items():
        assert len(cols) == len(set(cols)), table
        for c in cols:
            assert schemas.COLUMNS[c].meaning, c


def test_a_column_defined_twice_is_refused():
    first = schemas.Column("rows", pl.Int64(), "Rows.")
    again = schemas.Column("rows", pl.String(), "Rows, as text.")
    with pytest.raises(ValueError, match="'rows' is defined twice"):
        schemas.index_columns([first, again])
    assert schemas.index_columns([first])["rows"] is first


def test_valid_table_passes():
    frame = _professionals()
    assert schemas.validate("professionals", frame).columns == list(schemas.TABLES["professionals"])


def test_error_names_table_column_and_rows():
    frame = pl.concat([_professionals(), _professionals(area_type="galaxy")])
    with pytest.raises(SchemaError) as err:
        schemas.validate("professionals", frame)
    msg = str(err.value)
    assert "'professionals'" in msg and "'area_type'" in msg and "row 1" in msg and "galaxy" in msg


def test_missing_column_and_dtype_and_range():
    with pytest.raises(SchemaError, match="missing column"):
        schemas.validate("professionals", _professionals().drop("soc_code"))
    with pytest.raises(SchemaError, match="dtype"):
        schemas.validate("professionals", _professionals().with_columns(pl.col("employment").cast(pl.String)))
    with pytest.raises(SchemaError, match="out of range"):
        schemas.validate("professionals", _professionals(employment=-5))
    with pytest.raises(SchemaError, match="has nulls"):
        schemas.validate("professionals", _professionals(area_name=None))


def test_unique_posting_id_enforced():
    frame = schemas.conform(pl.DataFrame({"posting_id": ["a", "a"], "source": ["s", "s"],
                                          "snapshot_id": ["x", "x"], "title": ["t", "t"],
                                          "yoe_bucket": ["none", "none"], "is_duplicate": [False, False],
                                          "posted_date": [dt.date(2025, 1, 1)] * 2}),
                            schemas.schema("postings"))
    with pytest.raises(SchemaError, match="duplicate"):
        schemas.validate("postings", frame)
