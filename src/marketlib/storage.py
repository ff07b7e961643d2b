"""The processed tables on disk: one place that knows where a table lives and how it is read and written.

Every processed table is `<processed_dir>/<table>.parquet`, validated against `schemas.TABLES` before it is
written (atomically: a failed write leaves the previous table). Readers get an empty frame of the right schema
for a table that was never built, and one clear error for a damaged file.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from marketlib import schemas
from marketlib.atomic import write_parquet_atomic
from marketlib.config import Settings, get_settings
from marketlib.errors import SchemaError, UserError


def table_path(table: str, settings: Settings | None = None) -> Path:
    """Where the processed table `table` lives."""
    if table not in schemas.TABLES:
        raise UserError(f"Unknown table {table!r}; tables are: {', '.join(schemas.TABLES)}.")
    return (settings or get_settings()).processed_dir / f"{table}.parquet"


def load_table(table: str, settings: Settings | None = None) -> pl.DataFrame:
    """Read a processed table; an empty frame of the right schema when it was never built."""
    path = table_path(table, settings)
    if not path.is_file():
        return schemas.empty(table)
    try:
        return pl.read_parquet(path)
    except (pl.exceptions.PolarsError, OSError) as exc:
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise SchemaError(f"Table {table!r} at {path} is damaged ({reason}); rebuild it with "
                          f"`marketlib build {table} --force`.") from None


def write_table(frame: pl.DataFrame, table: str, settings: Settings | None = None) -> Path:
    """Validate `frame` as `table` and write it atomically; returns the path."""
    path = table_path(table, settings)
    write_parquet_atomic(schemas.validate(table, frame), path)
    return path


def is_readable(table: str, settings: Settings | None = None) -> bool:
    """The table exists and its parquet footer can be read."""
    try:
        pl.read_parquet_schema(table_path(table, settings))
        return True
    except (pl.exceptions.PolarsError, OSError):
        return False
